/** One `alembic upgrade --sql` range of a plan and the SQL Alembic's offline mode printed for it. */
export interface PreviewStep {
  /** The plan step's `alembic upgrade` target. */
  target: string;
  /** What was passed to Alembic, e.g. "202511131121:skeldir_foundation@head". */
  range: string;
  sql: string;
}

/** The preview as one listing, the same in the app's panel and on the CLI's stdout. */
export function formatPreviewSql(steps: readonly PreviewStep[]): string {
  return steps.map((s) => `-- alembic upgrade --sql ${s.range}\n${s.sql}`).join('\n') || '-- nothing to run: the database is at or past the target';
}
