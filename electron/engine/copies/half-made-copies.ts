import type { Client } from 'pg';
import type { HalfMadeCopy } from '../../../shared/contract/copies';
import { sqlText } from '../db/sql-files';
import { snapshotPrefix, snapshotTimeIn, sparePrefix, templatePrefix } from './copy-names';
import { parseMeta } from './database-copies';

/**
 * Copies a crash left unrecorded or unusable: a snapshot, template or spare whose CREATE
 * DATABASE committed but whose metadata comment was never written (the copy is then found by
 * no lookup, since copies are matched on their metadata), or one an interrupted DROP DATABASE
 * left invalid. Found by name: the prefix carries a digest of the full database name when
 * shortened, so it is this database's alone.
 *
 * A copy without metadata is a finished copy: PostgreSQL makes a new database's pg_database row
 * visible only when its CREATE DATABASE commits, after every file was copied. A copy cancelled,
 * failed (disk full) or cut short by a server crash leaves no row at all (checked on PostgreSQL 15:
 * test/reliability/nothing-lost-half-made.test.ts). What is missing is only our record of it.
 */
export async function findHalfMadeCopies(admin: Client, database: string): Promise<HalfMadeCopy[]> {
  const prefixes = [snapshotPrefix(database), templatePrefix(database), sparePrefix(database)];
  const rows = (
    await admin.query<{ datname: string; meta: string | null; invalid: boolean; size_bytes: string }>(sqlText('e1/select-copies-by-prefix'), [prefixes])
  ).rows;
  const halfMade: HalfMadeCopy[] = [];
  for (const row of rows) {
    if (row.invalid) halfMade.push({ name: row.datname, why: 'invalid', sizeBytes: 0 });
    else if (parseMeta(row.meta) === null) halfMade.push({ name: row.datname, why: 'no-metadata', sizeBytes: Number(row.size_bytes) });
  }
  return halfMade;
}

/**
 * When a snapshot copy without metadata was taken, read from its name; null for a template or
 * spare copy (or a name that is not ours). Such a snapshot holds every row its source had then,
 * so the fix of COPY-HALF-MADE records it as a snapshot instead of dropping it.
 */
export function unrecordedSnapshotTime(copy: HalfMadeCopy): string | null {
  return copy.why === 'no-metadata' ? snapshotTimeIn(copy.name) : null;
}

/** What is wrong with a half-made copy, in the user's words. */
export function describeHalfMade(copy: HalfMadeCopy): string {
  if (copy.why === 'invalid') return `${copy.name} was left invalid by an interrupted DROP DATABASE`;
  const unrecorded = 'has no metadata: the tool stopped before recording it, after PostgreSQL had finished the copy (it lists only finished copies)';
  return unrecordedSnapshotTime(copy) !== null
    ? `${copy.name} ${unrecorded}, so it is a complete snapshot that restore cannot find`
    : `${copy.name} ${unrecorded}, but without its cache key the cache can never use it`;
}
