import type { Client } from 'pg';
import type { AppError } from '../../../../shared/errors/app-error';
import { withFix } from '../../../../shared/report/step-findings';
import { withLockHoldersNamed } from '../../db/other-sessions';

/** What a fix's statements did: those that ran, and why the next one did not, if one failed. */
export interface RepairRun {
  reapplied: string[];
  failed: AppError | null;
}

/**
 * Runs a fix's statements (VERIFY's grants, row-level security or foreign keys) on the repair
 * session one by one, stopping at the first that fails. Each commits on its own: those before it
 * stay applied, and the check read afterwards says what still differs. `errorOf` says the failure
 * in the check's own words; a lock it waited for is named with the sessions that hold one.
 */
export async function applyRepairs(
  client: Client,
  statements: string[],
  database: string,
  errorOf: (error: unknown, statement: string, index: number) => AppError,
): Promise<RepairRun> {
  const reapplied: string[] = [];
  for (const [index, statement] of statements.entries()) {
    try {
      await client.query(statement);
      reapplied.push(statement);
    } catch (error) {
      return { reapplied, failed: await withLockHoldersNamed(errorOf(error, statement, index), client, database) };
    }
  }
  return { reapplied, failed: null };
}

/**
 * A repair step's detail when one of its statements failed: why (with PostgreSQL's own words
 * when the error is not one the tool explains itself), what still differs, and the remedy.
 */
export function repairStoppedDetail(error: AppError, stillDiffers: string): string {
  const said = error.code === 'sql-failed' && error.detail ? ` PostgreSQL said: ${error.detail.replace(/\.?$/, '.')}` : '';
  return withFix(`${error.message}${said} What still differs: ${stillDiffers}`, error.remediation);
}
