import type { Client } from 'pg';
import type { HalfMadeCopy } from '../../../shared/contract/copies';
import { sqlText } from '../db/sql-files';
import { snapshotPrefix, sparePrefix, templatePrefix } from './copy-names';
import { parseMeta } from './database-copies';

/**
 * Copies a crash left unfinished: a snapshot, template or spare whose CREATE DATABASE
 * committed but whose metadata comment was never written (the copy is then found by no
 * lookup, since copies are matched on their metadata), or one an interrupted DROP DATABASE
 * left invalid. Neither can be restored or cloned. Found by name: the prefix carries a
 * digest of the full database name when shortened, so it is this database's alone.
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

/** What is wrong with a half-made copy, in the user's words. */
export function describeHalfMade(copy: HalfMadeCopy): string {
  return copy.why === 'invalid'
    ? `${copy.name} was left invalid by an interrupted DROP DATABASE`
    : `${copy.name} has no metadata (its copy was interrupted before it was finished)`;
}
