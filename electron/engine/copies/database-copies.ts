import type { Client } from 'pg';
import type { Sessions } from '../db/run-sessions';
import { appError, err, ok, type AppError, type Result } from '../../../shared/errors/app-error';
import { PROTECTED_DATABASES } from '../../../shared/profile/identifiers';
import { sqlFormat, sqlText } from '../db/sql-files';
import { readDatabaseRow } from '../db/database-level';
import { errorCodes, statementError } from '../db/pg-errors';
import { queryCancellable, wasCancelled } from '../db/cancellable-statement';
import { copyTag } from './copy-names';

/**
 * Whole-database copies made with CREATE DATABASE … TEMPLATE: the template cache
 * (`<db>__tpl_<key>`) and safety snapshots (`<db>__snap_<time>`). Their metadata lives
 * in the copy's own COMMENT, so the server itself is the index: nothing to keep in sync.
 */
export interface CopyMeta {
  kind: 'template' | 'snapshot' | 'trash';
  /** Database it was copied from. */
  source: string;
  /**
   * The profile database whose copy this is, in full: the only thing lookups match on (a
   * name may be shortened). Copies made before it was recorded fall back to `source`.
   */
  owner?: string;
  createdAt: string;
  /** Template cache key (full sha256). */
  key?: string;
  /** Database-level settings of the source: CREATE DATABASE … TEMPLATE does not copy them. */
  settings?: string[];
  /** A template's profile roles by name, with the OID each had when it was made (see template-cache's roleIdentities). */
  roles?: Record<string, string>;
}

export interface DatabaseCopy {
  name: string;
  sizeBytes: number;
  isTemplate: boolean;
  /** Left invalid by an interrupted DROP DATABASE: it can only be dropped (see half-made-copies). */
  invalid: boolean;
  meta: CopyMeta | null;
}

/**
 * The copies of `owner` with this tag (`snap`, `tpl`, `spare`, `trash`): databases whose name
 * holds the tag and whose metadata names `owner` in full. Never a match on a name's
 * prefix: two databases sharing their first 39 characters must not see each other's copies.
 */
export async function listCopies(admin: Client, owner: string, tag: string): Promise<DatabaseCopy[]> {
  const rows = (
    await admin.query<{ datname: string; size_bytes: string; datistemplate: boolean; invalid: boolean; meta: string | null }>(
      sqlText('cache/select-copies-tagged'),
      [copyTag(tag)],
    )
  ).rows;
  return rows
    .map((row) => ({ name: row.datname, sizeBytes: Number(row.size_bytes), isTemplate: row.datistemplate, invalid: row.invalid, meta: parseMeta(row.meta) }))
    .filter((copy) => copy.meta !== null && copyOwner(copy.meta) === owner);
}

/** The database a copy belongs to, from its metadata (older copies recorded only their source). */
export function copyOwner(meta: CopyMeta): string {
  return meta.owner ?? meta.source;
}

/** The metadata kept in a copy's comment; null for a comment that is not ours. */
export function parseMeta(text: string | null): CopyMeta | null {
  if (!text) return null;
  try {
    const value = JSON.parse(text) as CopyMeta;
    return typeof value === 'object' && value && typeof value.createdAt === 'string' && typeof value.source === 'string' ? value : null;
  } catch {
    return null;
  }
}

/**
 * Copies `from` to `to` (ending other sessions on `from` first: a template must be idle).
 * Disk full or missing privileges come back as a 'snapshot-failed' error saying why.
 * `signal`: an abort stops the copy itself on the server (PostgreSQL removes what it had
 * copied) and comes back as a 'cancelled' error; once the copy is made, its metadata is always written.
 */
export async function copyDatabase(
  sessions: Sessions,
  admin: Client,
  options: { from: string; to: string; owner: string; meta: CopyMeta; markTemplate: boolean; signal?: AbortSignal },
): Promise<Result<void>> {
  if (PROTECTED_DATABASES.includes(options.to)) return err(appError('database-protected', `Refusing to create "${options.to}".`));
  try {
    await endSessionsOn(sessions, admin, options.from);
    const create = sqlFormat('cache/create-database-from-template', options.to, options.from, options.owner);
    await queryCancellable(admin, sessions.settings, create, options.signal);
    await recordCopy(admin, options.to, options.meta, options.markTemplate);
    return ok(undefined);
  } catch (error) {
    if (options.signal?.aborted && wasCancelled(error)) return err(copyCancelled(options.from, options.to));
    return err(copyError(error, options.from, options.to));
  }
}

/** Writes a copy's metadata, which every lookup of copies matches on, and makes it a template when asked (snapshots and cache templates are). */
export async function recordCopy(admin: Client, name: string, meta: CopyMeta, markTemplate: boolean): Promise<void> {
  await admin.query(sqlFormat('cache/comment-on-database', name, JSON.stringify(meta)));
  if (markTemplate) await admin.query(sqlFormat('cache/mark-template', name));
}

/** A copy the caller's cancel stopped: the server removed the part it had made. */
function copyCancelled(from: string, to: string): AppError {
  return appError('cancelled', `The copy of "${from}" to "${to}" was cancelled; nothing was copied.`);
}

function copyError(error: unknown, from: string, to: string): AppError {
  const codes = errorCodes(error);
  const base = statementError(error, `copying ${from} to ${to}`);
  if (codes.includes('53100') || codes.includes('ENOSPC')) {
    return appError('snapshot-failed', `Could not copy "${from}": the server\u2019s disk is full.`, {
      detail: base.detail,
      remediation: 'Free disk space on the PostgreSQL data drive (old safety snapshots are full copies: removing them frees space), then try again.',
      action: 'remove-snapshots',
    });
  }
  if (codes.includes('42501')) {
    return appError('snapshot-failed', `Could not copy "${from}": permission denied.`, {
      detail: base.detail,
      remediation: 'Connect as a superuser (or the database\u2019s owner with CREATEDB): only they may copy a database.',
    });
  }
  if (codes.includes('58P01') || codes.includes('58030') || /permission denied|could not (create|open) (file|directory)/i.test(base.detail ?? '')) {
    return appError('snapshot-failed', `Could not copy "${from}": the server could not write the copy\u2019s files.`, {
      detail: base.detail,
      remediation: 'Check the free space and the permissions of the PostgreSQL data folder, then try again.',
    });
  }
  if (codes.includes('55006')) {
    return appError('snapshot-failed', `Could not copy "${from}": another session is still using it.`, {
      detail: base.detail,
      remediation: 'Close other clients (pgAdmin, IDEs, a running backend) connected to it, then try again.',
    });
  }
  return appError('snapshot-failed', `Could not copy "${from}" to "${to}".`, { detail: base.detail ?? base.message });
}

/** Drops a copy (making it an ordinary database first if it is a template). Never the protected ones. */
export async function dropCopy(sessions: Sessions, admin: Client, name: string): Promise<void> {
  if (PROTECTED_DATABASES.includes(name)) throw new Error(`refusing to drop ${name}`);
  await sessions.forget(name);
  // ALTER DATABASE on a database an interrupted drop left invalid is FATAL (it ends our
  // session); such a database can only be dropped, and needs no unmarking for it.
  const invalid = (await readDatabaseRow(admin, name))?.invalid === true;
  if (!invalid) await admin.query(sqlFormat('cache/unmark-template', name)).catch(() => undefined);
  await admin.query(sqlFormat('cache/drop-database', name));
}

/**
 * Ends every session on a database but the caller's: the kept ones of `sessions` are
 * closed, the others terminated. Returns how many others there were.
 */
export async function endSessionsOn(sessions: Sessions, admin: Client, database: string): Promise<number> {
  await sessions.forget(database);
  return (await admin.query<{ ended: number }>(sqlText('cache/terminate-sessions'), [database])).rows[0]?.ended ?? 0;
}

/** Renames a database after ending its other sessions: instant, whatever its size. */
export async function renameDatabase(sessions: Sessions, admin: Client, from: string, to: string): Promise<void> {
  if (PROTECTED_DATABASES.includes(from) || PROTECTED_DATABASES.includes(to)) throw new Error(`refusing to rename ${from} to ${to}`);
  await endSessionsOn(sessions, admin, from);
  await admin.query(sqlFormat('cache/rename-database', from, to));
}
