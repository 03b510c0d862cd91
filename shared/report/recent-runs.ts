import type { GateReport, RunProvenance, RunReport } from './report';

/** A run as later results are judged against it: what it was and when it started. */
export interface RunMoment {
  command: string;
  /** ISO time the run started. */
  startedAt: string;
}

/**
 * What is remembered of the runs so far, beyond the last report: a diagnosis reads and
 * changes nothing, so the tests of an earlier rebuild still stand after it, and so does a
 * restore that made them stale. The engine keeps it, so a reloaded window shows the same.
 */
export interface RecentRuns {
  /** The last finished run. */
  last: RunReport | null;
  /** The newest run that changed the database (a rebuild, restore, fix …). */
  lastChange: RunMoment | null;
  /** The newest R5 that actually ran. */
  lastValidation: GateReport | null;
  /** The repository, commit and run `lastValidation` is from (null: unknown). */
  lastValidationRun: RunProvenance | null;
}

export const NO_RECENT_RUNS: RecentRuns = { last: null, lastChange: null, lastValidation: null, lastValidationRun: null };

/** Commands (their first word) after which earlier test results no longer describe the database. */
const CHANGES_THE_DATABASE = new Set(['rebuild', 'bootstrap', 'migrate', 'upgrade-to', 'restore', 'fix']);

/** Whether a run of `command` changes the database (so results from before it describe one no longer there). */
export function changesTheDatabase(command: string): boolean {
  return CHANGES_THE_DATABASE.has(command.split(' ')[0]);
}

/** The runs remembered once `report` has finished. */
export function rememberRun(recent: RecentRuns, report: RunReport): RecentRuns {
  const r5 = report.gates.find((g) => g.id === 'R5' && (g.status === 'passed' || g.status === 'failed'));
  return {
    last: report,
    lastChange: changesTheDatabase(report.command) ? { command: report.command, startedAt: report.startedAt } : recent.lastChange,
    lastValidation: r5 ?? recent.lastValidation,
    lastValidationRun: r5 ? (report.provenance ?? null) : recent.lastValidationRun,
  };
}
