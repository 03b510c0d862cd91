import type { GraphView } from '../../../shared/graph/graph-view';
import { resolveTarget } from '../../../shared/graph/resolve-target';

/**
 * The revisions a person looks for first, which the folding never hides: heads, the
 * database's current rows, the target (and where each plan step ends), a failed
 * revision. Also the plan as a path: every revision it runs, and the step numbers.
 */
export interface GraphPins {
  pinned: string[];
  heads: ReadonlySet<string>;
  current: ReadonlySet<string>;
  target: ReadonlySet<string>;
  /** Revision → the plan steps ending there ("1: 202511131121"). */
  steps: ReadonlyMap<string, number[]>;
  /** Every revision the plan runs. */
  onPlan: ReadonlySet<string>;
}

export function graphPins(view: GraphView, failed: string | null): GraphPins {
  const { graph, plan } = view;
  const rows = view.overlay?.currentRows ?? [];
  const resolve = (target: string) => {
    const resolved = resolveTarget(graph, target, rows);
    return resolved.ok ? resolved.value.revisions.filter((id) => graph.revisions[id]) : [];
  };
  const target = new Set(resolve(plan.target));
  const steps = new Map<string, number[]>();
  plan.steps.forEach((step, index) => {
    const ends = resolve(step.target);
    const where = ends.length > 0 ? ends.filter((id) => step.revisions.includes(id) || ends.length === 1) : [];
    const marks = where.length > 0 ? where : step.revisions.slice(-1);
    for (const id of marks) steps.set(id, [...(steps.get(id) ?? []), index + 1]);
  });
  const pinned = new Set<string>([...graph.heads, ...rows, ...target, ...steps.keys()]);
  if (failed && graph.revisions[failed]) pinned.add(failed);
  return {
    pinned: [...pinned].sort(),
    heads: new Set(graph.heads),
    current: new Set(rows),
    target,
    steps,
    onPlan: new Set(plan.revisions),
  };
}
