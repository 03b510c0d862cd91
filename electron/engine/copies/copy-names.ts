import * as crypto from 'node:crypto';

/**
 * Names of a database's copies: `<db>__<tag>_<suffix>` (tpl, spare, trash, snap). When the
 * database name must be shortened to fit PostgreSQL's 63-byte limit, its kept part is
 * followed by 8 hex digits of the sha256 of the full name, so two databases that share a
 * long prefix never make the same copy name (profile names are validated ASCII
 * identifiers, so characters are bytes). Names only keep copies apart; which database a
 * copy belongs to is read from its metadata (see copyOwner), never from its name.
 */
export function copyPrefix(database: string, tag: string, suffixLength: number): string {
  const separator = copyTag(tag);
  const room = 63 - separator.length - suffixLength;
  if (database.length <= room) return `${database}${separator}`;
  const digest = crypto.createHash('sha256').update(database).digest('hex').slice(0, 8);
  return `${database.slice(0, room - digest.length - 1)}_${digest}${separator}`;
}

/** The part every copy of one kind has in its name (`__snap_`): a first sieve before the metadata decides. */
export function copyTag(tag: string): string {
  return `__${tag}_`;
}

/** Followed by 8 hex digits (bootstrap's renamed-aside databases). */
export function trashPrefix(database: string): string {
  return copyPrefix(database, 'trash', 8);
}

/** Followed by a 14-digit UTC time and, for more in the same second, `_N` (room for `_99`). */
export function snapshotPrefix(database: string): string {
  return copyPrefix(database, 'snap', 17);
}

/** The UTC time a snapshot's name carries: YYYYMMDDHHMMSS. */
export function snapshotStamp(time: Date): string {
  return time.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

/** `__snap_` and the stamp at the end of a name, with `_N` for more in one second. */
const SNAPSHOT_TIME = new RegExp(`${copyTag('snap')}(\\d{4})(\\d{2})(\\d{2})(\\d{2})(\\d{2})(\\d{2})(?:_\\d+)?$`);

/**
 * The time in a snapshot's name (ISO), or null when the name does not end as a snapshot's
 * does: the end, not the tag, tells a snapshot copy from a copy of a database whose own name
 * holds `__snap_`.
 */
export function snapshotTimeIn(name: string): string | null {
  const match = SNAPSHOT_TIME.exec(name);
  if (!match) return null;
  const [, year, month, day, hour, minute, second] = match;
  const time = new Date(`${year}-${month}-${day}T${hour}:${minute}:${second}Z`);
  return Number.isNaN(time.getTime()) ? null : time.toISOString();
}

/** Followed by 12 hex digits of the cache key (the template cache). */
export function templatePrefix(database: string): string {
  return copyPrefix(database, 'tpl', 12);
}

/** Followed by 12 hex digits of the cache key (a template's prepared copy). */
export function sparePrefix(database: string): string {
  return copyPrefix(database, 'spare', 12);
}
