import type { ConnectionSettings } from '../../../shared/contract/connection';
import type { EmitEvent } from '../../../shared/contract/events';
import type { AppError } from '../../../shared/errors/app-error';
import type { Profile } from '../../../shared/profile/schema';
import { GATE_IDS, type GateId } from '../../../shared/report/gates';
import { reportOfError, type RunReport } from '../../../shared/report/report';
import { acquireRebuildLock } from '../safety/rebuild-lock';
import { holdsDestructiveLock } from '../safety/destructive-lock';
import type { RunSessions } from '../db/run-sessions';
import { notRunGate } from '../gates/gate-recorder';

export interface LockedRun {
  command: string;
  gates: GateId[];
  /** Set when VERIFY first re-applies something: then it changes the database too. */
  reapply?: string;
  settings: ConnectionSettings;
  profile: Profile;
  /** Folder for lock files (tests); default: the system's temporary folder. */
  lockDir?: string;
}

const CHANGING_GATES: readonly GateId[] = ['E2', 'E3', 'R4'];

function takesTheLock(request: Pick<LockedRun, 'gates' | 'reapply'>): boolean {
  return Boolean(request.reapply) || request.gates.some((gate) => CHANGING_GATES.includes(gate));
}

/**
 * Runs a pipeline under the rebuild lock when it changes the database (E2, E3 or R4, or a
 * fix that re-applies grants, row-level security or foreign keys in VERIFY): a second such
 * run on the same server and database, from this process or any other, is refused before
 * its first gate with "A rebuild is already running (pid …, since …)". Read-only runs
 * (diagnose, verify, validate) never wait for or take the lock.
 */
export async function withRebuildLock(request: LockedRun, emit: EmitEvent, sessions: RunSessions, run: () => Promise<RunReport>): Promise<RunReport> {
  if (!takesTheLock(request)) return run();
  // Called by a command that already holds the lock (restore's re-applying pipeline).
  if (holdsDestructiveLock(request.settings, request.profile.database.name)) return run();
  const startedAt = new Date().toISOString();
  const lock = await acquireRebuildLock({
    settings: request.settings,
    database: request.profile.database.name,
    lockDir: request.lockDir,
    owner: { pid: process.pid, startedAt, command: request.command },
  });
  if (!lock.ok) {
    // A server we cannot reach cannot be changed either: E1 explains the connection
    // problem in its own words (with its finding), and stops the run before E2.
    if (lock.error.code.startsWith('connection-')) return run();
    return refusedReport(request, lock.error, startedAt, emit);
  }
  // The lock's session doubles as the run's superuser session on `postgres`.
  const takeBack = sessions.lend({ database: 'postgres' }, lock.value.session);
  try {
    return await run();
  } finally {
    takeBack();
    await lock.value.release();
  }
}

function refusedReport(request: LockedRun, error: AppError, startedAt: string, emit: EmitEvent): RunReport {
  const gates = GATE_IDS.filter((gate) => request.gates.includes(gate)).map((gate) => notRunGate(gate, 'blocked', emit, error.message));
  const report = reportOfError(request.command, startedAt, request.settings, error, gates);
  emit({ kind: 'job-finished', report });
  return report;
}
