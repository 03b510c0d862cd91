import type { AppError } from '../errors/app-error';
import type { Profile } from '../profile/schema';
import type { MigrationGraph } from './model';
import { planSafeUpgrade, type UpgradeStep } from './plan';
import { simulateVersionRows, upgradeRevisions } from './upgrade-revisions';

/**
 * The plan R4 will run, and where it came from. The graph-derived plan is always
 * computed; the profile's explicit plan wins when present (unless --from-graph), and
 * the app shows both when they differ.
 */
export interface PlanStepView {
  target: string;
  /** Revisions this step runs, in Alembic's order. */
  revisions: string[];
  reason?: string;
}

export interface PlanView {
  target: string;
  source: 'profile' | 'graph';
  steps: PlanStepView[];
  graphSteps: PlanStepView[];
  /** True when the profile's plan and the graph's plan name different targets. */
  differs: boolean;
  /** Every revision the chosen plan runs, in order. */
  revisions: string[];
  error?: AppError;
}

export function buildPlanView(
  graph: MigrationGraph,
  profile: Profile,
  currentRows: string[],
  options: { target?: string; fromGraph?: boolean } = {},
): PlanView {
  const target = options.target ?? profile.migrations.target;
  const safe = planSafeUpgrade(graph, currentRows, target);
  const graphSteps: PlanStepView[] = safe.ok ? safe.value.steps.map(toView) : [];
  const explicit = options.target === undefined || options.target === profile.migrations.target ? profile.migrations.plan : undefined;
  const useProfile = Boolean(explicit && explicit.length > 0 && !options.fromGraph);
  const walked = explicit && explicit.length > 0 ? walkTargets(graph, currentRows, explicit) : null;
  const steps = useProfile && walked ? walked.steps : graphSteps;
  // An explicit plan that walks does not excuse a target the graph does not have: the plan is the profile's way there.
  const unknownTarget = !safe.ok && safe.error.code === 'target-unknown' ? safe.error : undefined;
  const found: AppError | undefined = useProfile && walked ? (walked.error ?? unknownTarget) : safe.ok ? undefined : safe.error;
  // The profile's own target or plan missing from this graph: say whose they are, not only what is missing.
  const byPlan = useProfile && found !== undefined && found === walked?.error;
  const error = found && options.target === undefined && found.code === 'target-unknown' ? fromTheProfile(found, profile, byPlan) : found;
  const targetsOf = (list: PlanStepView[]) => list.map((s) => s.target).join(' ');
  return {
    target,
    source: useProfile ? 'profile' : 'graph',
    steps,
    graphSteps,
    differs: walked !== null && targetsOf(walked.steps) !== targetsOf(graphSteps),
    revisions: steps.flatMap((s) => s.revisions),
    ...(error ? { error } : {}),
  };
}

/** Each target in turn from the rows the previous ones leave; steps with nothing to run are dropped. */
function walkTargets(graph: MigrationGraph, currentRows: string[], targets: string[]): { steps: PlanStepView[]; error: AppError | null } {
  const steps: PlanStepView[] = [];
  let rows = [...currentRows];
  for (const target of targets) {
    const run = upgradeRevisions(graph, rows, target);
    if (!run.ok) return { steps, error: run.error };
    if (run.value.length === 0) continue;
    steps.push({ target, revisions: run.value, reason: 'from the profile\u2019s explicit plan' });
    rows = simulateVersionRows(graph, rows, run.value);
  }
  return { steps, error: null };
}

function toView(step: UpgradeStep): PlanStepView {
  return { target: step.target, revisions: step.revisions, reason: step.reason };
}

/**
 * A target or plan step of the profile that this repository's graph does not have: a
 * repository the profile was not written for (another project, a later checkout that
 * renamed a label). Said as such, with the way out, rather than as a mistyped target.
 */
function fromTheProfile(error: AppError, profile: Profile, planned: boolean): AppError {
  const named = planned && profile.migrations.plan ? `plans ${profile.migrations.plan.join(' then ')}` : `upgrades to ${profile.migrations.target}`;
  return {
    ...error,
    message: `The profile \u201c${profile.name}\u201d ${named}, which this repository does not have: ${error.message}`,
    remediation:
      'If the repository is not the one the profile was written for, upgrade to a target of its own graph (its heads, or one of its branch labels) planned from the graph, or choose a profile written for it.',
    action: 'choose-target',
  };
}
