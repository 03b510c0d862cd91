import { messageWithRemedy } from '../../../../shared/errors/app-error';
import * as crypto from 'node:crypto';
import type { Sessions } from '../../db/run-sessions';
import type { EmitEvent } from '../../../../shared/contract/events';
import type { MigrationGraph } from '../../../../shared/graph/model';
import { overlayState } from '../../../../shared/graph/overlay';
import type { PlanView } from '../../../../shared/graph/plan-view';
import { alembicBlockers, type PrerequisiteReport } from '../../../../shared/prerequisites/prerequisites';
import type { Profile } from '../../../../shared/profile/schema';
import type { Finding, GateReport } from '../../../../shared/report/report';
import { runAlembicDriver, type RevisionRun } from '../../alembic/run-alembic-driver';
import { readAlembicVersion } from '../../db/read-alembic-version';
import { migrationFinding } from '../findings/migration-findings';
import { GateRecorder } from '../gate-recorder';
import { applicationDatabaseUrl } from './application-url';
import { watchProgress, type StallReport } from '../../db/progress-watch';
import { describeSessions, lockWaitNotice } from '../../db/other-sessions';
import { endDriverSessions } from '../../db/driver-sessions';

export interface MigrateRequest {
  sessions: Sessions;
  profile: Profile;
  prerequisites: PrerequisiteReport;
  iniPath: string;
  graph: MigrationGraph;
  plan: PlanView;
  signal?: AbortSignal;
  /** Limit for the whole Alembic run; default DEFAULT_MIGRATION_TIMEOUT_MS. */
  timeoutMs?: number;
}

/**
 * Without a limit a hung Alembic (a lock held by another client, an env.py waiting on
 * input) would hang the rebuild for ever. The sample's migrations take seconds; a local
 * rebuild that takes half an hour is stuck.
 */
export const DEFAULT_MIGRATION_TIMEOUT_MS = 30 * 60_000;

export interface MigrateResult {
  gate: GateReport;
  findings: Finding[];
}

/**
 * Gate R4: the planned upgrades in one Alembic process, as "revision k of n" progress.
 * A failed step becomes a finding naming the guide's failure mode; a cancelled or
 * crashed run re-reads alembic_version and says where the database stands.
 */
export async function migrate(request: MigrateRequest, emit: EmitEvent): Promise<MigrateResult> {
  const { plan, graph } = request;
  const total = plan.revisions.length;
  const recorder = new GateRecorder('R4', emit, plan.steps.length);
  recorder.addDetails({ plan: { source: plan.source, steps: plan.steps, graphSteps: plan.graphSteps, differs: plan.differs } });
  const python = request.prerequisites.python;
  const blockers = alembicBlockers(request.prerequisites);
  if (!python || blockers) {
    recorder.expectSteps(1); // the gate ends with this one step: [1/1]
    // The interpreter's own check asks the user to choose another: each front then says how.
    const action = request.prerequisites.checks.find((check) => !check.ok && check.action)?.action;
    recorder.record({
      id: 'prerequisites',
      title: 'Python with Alembic',
      status: 'failed',
      detail: blockers ?? 'no Python interpreter was found',
      ...(action ? { action } : {}),
    });
    return { gate: recorder.finish('failed'), findings: [] };
  }
  if (plan.error) {
    recorder.expectSteps(1); // the gate ends with this one step: [1/1]
    recorder.record({ id: 'plan', title: 'Plan the upgrade', status: 'failed', detail: messageWithRemedy(plan.error) });
    return { gate: recorder.finish('failed', plan.error), findings: [] };
  }
  if (plan.steps.length === 0) {
    recorder.expectSteps(1); // the gate ends with this one step: [1/1]
    recorder.record({ id: 'up-to-date', title: `alembic upgrade ${plan.target}`, status: 'already', detail: 'already at the target: nothing to run' });
    return { gate: recorder.finish(), findings: [] };
  }

  const applicationName = `skeldir-rebuild-r4-${crypto.randomBytes(4).toString('hex')}`;
  let done = 0;
  const stepStarted: number[] = [];
  const ranPerStep: RevisionRun[][] = plan.steps.map(() => []);
  let currentStep = 0;
  const timeoutMs = request.timeoutMs ?? DEFAULT_MIGRATION_TIMEOUT_MS;
  // The driver is also ended when the server makes no progress on it (a lock held elsewhere, a frozen server).
  const noProgressMs = request.profile.migrationNoProgressSeconds * 1000;
  const stalledStop = new AbortController();
  let stall: StallReport | null = null;
  const watch = watchProgress({
    settings: request.sessions.settings,
    driver: { applicationName },
    limit: {
      ms: noProgressMs,
      onStalled: (report) => {
        stall = report;
        stalledStop.abort();
      },
    },
    onWaiting: (holders) =>
      recorder.log(lockWaitNotice(holders, 'the migration', `without progress it is ended after ${Math.round(noProgressMs / 1000)} s`), 'stderr'),
  });
  const outcome = await runAlembicDriver({
    python,
    iniPath: request.iniPath,
    databaseUrl: applicationDatabaseUrl(request.sessions.settings, request.profile),
    targets: plan.steps.map((s) => s.target),
    mode: 'upgrade',
    applicationName,
    signal: request.signal ? AbortSignal.any([request.signal, stalledStop.signal]) : stalledStop.signal,
    timeoutMs,
    onLine: (line, stream) => {
      watch.noteOutput();
      recorder.log(line, stream);
    },
    onStep: ({ kind, index }) => {
      if (kind === 'start') {
        currentStep = index;
        stepStarted[index] = Date.now();
      }
    },
    onRevision: (revision) => {
      done += 1;
      ranPerStep[currentStep]?.push(revision);
      const message = revision.message || graph.revisions[revision.to]?.message || '';
      emit({ kind: 'progress', gate: 'R4', current: done, total, label: `${revision.to}${message ? ` \u2014 ${message}` : ''}` });
    },
  });

  watch.stop();
  const stalled = stall as StallReport | null;
  const findings: Finding[] = [];
  if (!outcome.ok) {
    recorder.expectSteps(1); // the gate ends with this one step: [1/1]
    recorder.record({ id: 'alembic', title: 'Start Alembic', status: 'failed', detail: messageWithRemedy(outcome.error) });
    return { gate: recorder.finish('failed', outcome.error), findings };
  }
  const run = outcome.value;
  if (run.cancelled || run.timedOut || run.failure?.errorType === 'ProcessExit') {
    const ended = await endDriverSessions(request.sessions, applicationName);
    recorder.log(`ended ${ended} server session${ended === 1 ? '' : 's'} left by the stopped Alembic process; its transaction rolled back`);
  }
  plan.steps.forEach((step, index) => {
    const ran = ranPerStep[index];
    const started = stepStarted[index];
    const title = `alembic upgrade ${step.target}`;
    if (index < run.completedSteps) {
      recorder.record({
        id: `upgrade-${index + 1}`,
        title,
        status: 'passed',
        detail: `${ran.length} revision${ran.length === 1 ? '' : 's'}: ${ran.map((r) => r.to).join(', ')}`,
        durationMs: started ? Date.now() - started : undefined,
        evidence: ran,
      });
    } else if (index === run.completedSteps && (run.failure || run.cancelled || run.timedOut)) {
      const detail = stalled
        ? `ended: no progress from PostgreSQL for ${stalled.seconds} s (the migration's session was ${stalled.why === 'did not answer' ? 'on a server that did not answer' : stalled.why}${stalled.holders.length ? ` held by ${describeSessions(stalled.holders)}` : ''}); ` +
          'the Alembic process was ended and its transaction is rolled back by the server. If another client holds a lock on these tables ' +
          '(a running backend, a psql session, pgAdmin), close it and run again; if PostgreSQL does not answer, restart it. ' +
          `The limit is the profile's migrationNoProgressSeconds (${Math.round(noProgressMs / 1000)} s).`
        : run.cancelled
          ? 'cancelled; the running transaction was rolled back'
          : run.timedOut
            ? `ended: the upgrade took longer than R4's time limit (${formatLimit(timeoutMs)}); the running transaction was rolled back`
            : `${run.failure?.errorType}: ${run.failure?.message}`;
      recorder.record({ id: `upgrade-${index + 1}`, title, status: 'failed', detail, evidence: { ran, error: run.failure } });
    } else {
      recorder.record({ id: `upgrade-${index + 1}`, title, status: 'skipped', detail: 'not run: an earlier step failed' });
    }
  });
  if (run.failure && !run.cancelled) findings.push(migrationFinding(run.failure, request.profile, graph));
  for (const finding of findings) emit({ kind: 'finding', finding });

  const versionAfter = await readAlembicVersion(request.sessions, request.profile);
  const allRan = ranPerStep.flat();
  recorder.addDetails({
    ran: allRan,
    revisionsPlanned: total,
    revisionsRun: allRan.length,
    log: run.log.slice(-2000),
    versionAfter,
    ...(run.failure || run.cancelled || run.timedOut
      ? { standing: versionAfter === null ? 'alembic_version could not be read' : overlayState(graph, versionAfter).summary }
      : {}),
  });
  const failed = Boolean(run.failure || run.cancelled || run.timedOut);
  return { gate: recorder.finish(failed ? 'failed' : 'passed'), findings };
}

function formatLimit(ms: number): string {
  return ms % 60_000 === 0 ? `${ms / 60_000} min` : `${Math.round(ms / 100) / 10} s`;
}
