import type { Client } from 'pg';
import { sqlFormat, sqlText } from '../db/sql-files';

/**
 * Like Rails' environment stored inside the database: every database the tool creates
 * (empty, cloned from a template, restored from a snapshot) carries a marker in its
 * COMMENT. A database without it was made by someone else, by hand or by the old
 * PowerShell script, and is dropped only after a second, explicit confirmation.
 */
export const MANAGED_BY = 'skeldir-rebuild';

export async function markDatabase(admin: Client, database: string, how: string): Promise<void> {
  const marker = JSON.stringify({ managedBy: MANAGED_BY, createdAt: new Date().toISOString(), how });
  await admin.query(sqlFormat('cache/comment-on-database', database, marker));
}

export async function isMarked(admin: Client, database: string): Promise<boolean> {
  const comment = (await admin.query<{ comment: string | null }>(sqlText('e2/select-database-comment'), [database])).rows[0]?.comment;
  if (!comment) return false;
  try {
    return (JSON.parse(comment) as { managedBy?: unknown }).managedBy === MANAGED_BY;
  } catch {
    return false;
  }
}
