import type { CiParityRow } from '../../../shared/parity/ci-vs-local';
import type { RunProvenance, RunReport } from '../../../shared/report/report';
import { changedAfter, type Belonging } from '../../state/provenance';

/**
 * Why the R5 result on Parity's "Test execution" line does not describe the database on
 * screen. When the last run had no R5 of its own (a diagnosis, a bootstrap, a fix), the
 * engine fills that line with the newest R5 that ran, which may be another server's or
 * older than a rebuild, restore or fix since; Test results says the same about the same R5.
 */
export type KeptTestStanding =
  { kind: 'elsewhere'; why: 'repository' | 'server'; provenance: RunProvenance } | { kind: 'changed'; changed: { command: string; startedAt: string } };

/**
 * `report`: the run on screen; `keptRun`: the run the kept R5 came from; `keptBelongs`: how
 * that run belongs to Setup (useBelonging); `lastChange`: the newest run that changed the
 * database (shownLastChange; the report on screen when not given). The rules are
 * provenance.ts's own (belonging, changedAfter), so Parity and Test results cannot disagree.
 */
export function keptTestStanding(
  report: RunReport | null,
  keptRun: RunProvenance | null,
  keptBelongs: Belonging,
  lastChange: { command: string; startedAt: string } | null = report,
): KeptTestStanding | null {
  if (!report || !keptRun) return null;
  // An R5 that ran or was skipped in this run is the line's own: the view's provenance line already speaks for that run.
  if (report.gates.some((gate) => gate.id === 'R5' && gate.status !== 'blocked')) return null;
  if (keptBelongs.kind === 'other') return { kind: 'elsewhere', why: keptBelongs.why, provenance: keptBelongs.provenance };
  const changed = changedAfter(keptRun, lastChange);
  return changed ? { kind: 'changed', changed: { command: changed.command, startedAt: changed.startedAt } } : null;
}

/** The rows with "Test execution" at least "check" when its R5 result is stale: a ✓ beside it would say the tests pass on this database. */
export function withKeptTestStanding(rows: CiParityRow[], standing: KeptTestStanding | null): CiParityRow[] {
  if (!standing) return rows;
  return rows.map((row) => (row.id === 'tests' && row.status === 'ok' ? { ...row, status: 'warn' as const } : row));
}
