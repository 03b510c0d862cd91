import type { PreviewStep as SqlPreviewStep } from '../../../../shared/contract/preview-sql';
import type { ConnectionSettings } from '../../../../shared/contract/connection';
import { appError, err, ok, type Result } from '../../../../shared/errors/app-error';
import type { PlanView } from '../../../../shared/graph/plan-view';
import type { PythonInfo } from '../../../../shared/prerequisites/prerequisites';
import type { Profile } from '../../../../shared/profile/schema';
import { runAlembicDriver } from '../../alembic/run-alembic-driver';
import { applicationDatabaseUrl } from './application-url';
import { simulateVersionRows } from '../../../../shared/graph/upgrade-revisions';
import type { MigrationGraph } from '../../../../shared/graph/model';

/**
 * The SQL each planned step would run, from Alembic's offline mode
 * (`upgrade --sql FROM:TO`): nothing touches the database. FROM is what the previous
 * steps leave in alembic_version.
 */
export async function previewPlanSql(
  python: PythonInfo,
  iniPath: string,
  graph: MigrationGraph,
  plan: PlanView,
  startRows: string[],
  connection: { settings: ConnectionSettings; profile: Profile },
): Promise<Result<SqlPreviewStep[]>> {
  const outcome = await offlinePlanSql(python, iniPath, graph, plan, startRows, connection);
  if (!outcome.ok) return outcome;
  const failure = outcome.value.failure;
  if (failure) {
    return err(
      appError('subprocess-failed', `Alembic could not produce the SQL for \`upgrade --sql ${failure.range}\`.`, {
        detail: `${failure.errorType}: ${failure.message}`,
      }),
    );
  }
  return ok(outcome.value.steps);
}

/** Where offline mode stopped: the step's range, and the SQL it wrote before (the earlier revisions' is whole). */
export interface OfflineSqlFailure {
  index: number;
  range: string;
  errorType: string;
  message: string;
}

/**
 * The same offline SQL, keeping what Alembic wrote before a step failed: VERIFY reads
 * the revisions that did print and reports the rest as not known offline.
 */
export async function offlinePlanSql(
  python: PythonInfo,
  iniPath: string,
  graph: MigrationGraph,
  plan: PlanView,
  startRows: string[],
  connection: { settings: ConnectionSettings; profile: Profile },
): Promise<Result<{ steps: SqlPreviewStep[]; failure: OfflineSqlFailure | null }>> {
  const ranges: string[] = [];
  let rows = [...startRows];
  for (const step of plan.steps) {
    ranges.push(rows.length === 0 ? step.target : `${rows.join(',')}:${step.target}`);
    rows = simulateVersionRows(graph, rows, step.revisions);
  }
  if (ranges.length === 0) return ok({ steps: [], failure: null });
  const outcome = await runAlembicDriver({
    python,
    iniPath,
    // Offline mode needs a URL for the dialect only; it never connects.
    databaseUrl: applicationDatabaseUrl(connection.settings, connection.profile),
    targets: ranges,
    mode: 'sql',
  });
  if (!outcome.ok) return outcome;
  const failed = outcome.value.failure;
  const done = failed ? failed.index + 1 : plan.steps.length;
  const steps = plan.steps.slice(0, done).map((step, i) => ({ target: step.target, range: ranges[i], sql: outcome.value.sql[i] ?? '' }));
  const failure = failed ? { index: failed.index, range: ranges[failed.index] ?? '', errorType: failed.errorType, message: failed.message } : null;
  return ok({ steps, failure });
}
