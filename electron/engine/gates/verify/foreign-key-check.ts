import type { Client } from 'pg';
import { appError, type AppError } from '../../../../shared/errors/app-error';
import type { ExpectedForeignKey, Profile } from '../../../../shared/profile/schema';
import type { StepReport } from '../../../../shared/report/report';
import { errorCodes, statementError } from '../../db/pg-errors';
import { sqlFormat, sqlText } from '../../db/sql-files';
import { applyRepairs, repairStoppedDetail, type RepairRun } from './repair-statements';

type Outcome = Omit<StepReport, 'id' | 'title' | 'durationMs'>;

/** What a profile's foreign key looks like where it differs: missing, or standing with another ON DELETE or name. */
export interface ForeignKeyMismatch {
  expected: ExpectedForeignKey;
  /** The constraint on that column and target as it stands; null: there is none. */
  found: { name: string; onDelete: string } | null;
}

/** pg_constraint.confdeltype as the words a profile uses. */
const ON_DELETE: Record<string, string> = { a: 'NO ACTION', r: 'RESTRICT', c: 'CASCADE', n: 'SET NULL', d: 'SET DEFAULT' };

interface ConstraintRow {
  conname: string;
  column_name: string;
  ref_table: string;
  ref_column: string;
  confdeltype: string;
}

/**
 * VERIFY's "Foreign keys" step: the constraints the profile names (the guide checks that a
 * tenant's jobs go with it, ON DELETE CASCADE) against the catalog; E1's read-only share runs
 * it too. With `repair` (the fix of FOREIGN-KEY-CHANGED, a superuser's session), each one that
 * is missing is added and each one that stands differently is replaced, as the profile
 * describes it, before the catalog is read again.
 */
export async function checkForeignKeys(client: Client, profile: Profile, repair?: Client): Promise<Outcome> {
  let read = await readForeignKeys(client, profile);
  let run: RepairRun = { reapplied: [], failed: null };
  if (repair && read.mismatches.length > 0) {
    const { mismatches } = read;
    run = await applyRepairs(repair, mismatches.map(foreignKeyRepairStatement), profile.database.name, (error, statement, index) =>
      repairError(error, statement, mismatches[index].expected),
    );
    read = await readForeignKeys(client, profile);
  }
  const { reapplied, failed: repairFailed } = run;
  const evidence = { constraints: read.constraints, mismatches: read.mismatches, ...(repair ? { reapplied } : {}) };
  if (read.mismatches.length === 0) {
    const found = read.matched.map(
      ({ expected, name }) =>
        `"${name}" FOREIGN KEY (${expected.column}) REFERENCES ${expected.references.table}(${expected.references.column}) ON DELETE ${expected.onDelete}`,
    );
    const made = reapplied.length ? `; made again: ${reapplied.join('; ')}` : '';
    return { status: 'passed', detail: `${found.join('; ') || 'none expected'}${made}`, evidence };
  }
  const differs = read.mismatches.map(describeForeignKeyMismatch).join('; ');
  const detail = repairFailed ? repairStoppedDetail(repairFailed, differs) : differs;
  return { status: 'failed', detail, evidence };
}

/** How one mismatch reads in VERIFY's detail and in the finding. */
export function describeForeignKeyMismatch({ expected, found }: ForeignKeyMismatch): string {
  const description = `${expected.table}.${expected.column} \u2192 ${expected.references.table}.${expected.references.column} ON DELETE ${expected.onDelete}`;
  if (!found) return `${description}: no such foreign key`;
  if (found.onDelete !== expected.onDelete) return `${description}: the constraint ${found.name} has ON DELETE ${found.onDelete}`;
  return `${description}: named ${found.name}, expected ${expected.name ?? ''}`;
}

/** The statement that makes one foreign key as the profile describes it (PostgreSQL's own default name when the profile gives none). */
export function foreignKeyRepairStatement({ expected, found }: ForeignKeyMismatch): string {
  const name = expected.name ?? `${expected.table}_${expected.column}_fkey`;
  const target = [name, expected.column, expected.references.table, expected.references.column, expected.onDelete];
  return found
    ? sqlFormat('verify/replace-foreign-key', expected.table, found.name, ...target)
    : sqlFormat('verify/add-foreign-key', expected.table, ...target);
}

async function readForeignKeys(client: Client, profile: Profile) {
  const constraints: (ConstraintRow & { table: string; on_delete: string })[] = [];
  const mismatches: ForeignKeyMismatch[] = [];
  const matched: { expected: ExpectedForeignKey; name: string }[] = [];
  for (const expected of profile.expectedForeignKeys) {
    const rows = (await client.query<ConstraintRow>(sqlText('verify/select-foreign-keys'), [expected.table])).rows;
    constraints.push(...rows.map((row) => ({ table: expected.table, ...row, on_delete: ON_DELETE[row.confdeltype] ?? row.confdeltype })));
    const match = rows.find(
      (row) => row.column_name === expected.column && row.ref_table === expected.references.table && row.ref_column === expected.references.column,
    );
    const found = match ? { name: match.conname, onDelete: ON_DELETE[match.confdeltype] ?? match.confdeltype } : null;
    if (!found || found.onDelete !== expected.onDelete || (expected.name && found.name !== expected.name)) mismatches.push({ expected, found });
    else matched.push({ expected, name: found.name });
  }
  return { constraints, mismatches, matched };
}

/** Rows that reference rows now gone are the one failure the user must settle first: said with PostgreSQL's example. */
function repairError(error: unknown, statement: string, expected: ExpectedForeignKey): AppError {
  if (!errorCodes(error).includes('23503')) {
    const failed = statementError(error, `making ${statement}`);
    // Anything else (the referenced key is no longer unique, a column changed type) is damage this fix does not undo.
    return failed.code === 'sql-failed'
      ? { ...failed, remediation: 'Rebuild the database: the migrations make the schema again, after a snapshot of its rows.' }
      : failed;
  }
  const example = (error as { detail?: unknown }).detail;
  return appError(
    'sql-failed',
    `Rows of ${expected.table} reference ${expected.references.table} rows that are gone, so the foreign key cannot be made over them${typeof example === 'string' ? ` (${example.replace(/\.$/, '')})` : ''}.`,
    {
      remediation: `Delete those rows of ${expected.table}, or put back the ${expected.references.table} rows they reference, then run the fix again; or rebuild the database.`,
    },
  );
}
