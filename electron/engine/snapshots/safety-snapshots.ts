import type { Client } from 'pg';
import type { ConnectionSettings } from '../../../shared/contract/connection';
import { noSuchSnapshot, type SnapshotInfo } from '../../../shared/contract/copies';
import { appError, err, ok, type AppError, type Result } from '../../../shared/errors/app-error';
import type { Profile } from '../../../shared/profile/schema';
import { withClient } from '../db/connect';
import { readInsideDatabase } from '../db/read-inside';
import { copyDatabase, dropCopy, listCopies } from '../copies/database-copies';
import { applySettings, databaseSettings } from '../bootstrap/database-level';
import { sqlText } from '../db/sql-files';
import { copyPrefix } from '../copies/copy-names';
import { markDatabase } from '../safety/ownership-marker';
import { statementError } from '../db/pg-errors';
import type { FilesLook } from './files-look';
import { checkToolRows } from './tool-rows';
import { withDestructiveLock } from '../pipeline/with-rebuild-lock';
import { closeDoor } from '../safety/closed-door';

/**
 * Nothing lost: before a database that holds rows is dropped, it is copied to
 * `<db>__snap_<UTC timestamp>`; `restore` puts a snapshot back (snapshotting the
 * current database first), `prune` keeps the newest N.
 */
export type { SnapshotInfo } from '../../../shared/contract/copies';

/** Followed by a 14-digit UTC time and, for more in the same second, `_N` (room for `_99`). */
export function snapshotPrefix(database: string): string {
  return copyPrefix(database, 'snap', 17);
}

function snapshotName(database: string, now: Date, taken: string[]): string {
  const stamp = now.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  let name = `${snapshotPrefix(database)}${stamp}`;
  for (let n = 2; taken.includes(name); n++) name = `${snapshotPrefix(database)}${stamp}_${n}`;
  return name;
}

export async function listSnapshots(admin: Client, database: string): Promise<SnapshotInfo[]> {
  const copies = await listCopies(admin, database, 'snap');
  return (
    copies
      // An invalid one cannot be restored: E1 reports it as a half-made copy instead.
      .filter((c) => c.meta?.kind === 'snapshot' && !c.invalid)
      .map((c) => ({ name: c.name, createdAt: c.meta?.createdAt ?? null, sizeBytes: c.sizeBytes, source: c.meta?.source ?? null }))
      .sort((a, b) => (a.createdAt ?? a.name).localeCompare(b.createdAt ?? b.name))
  );
}

/** Takes a snapshot of `database` (always, whatever it holds). */
export async function takeSnapshot(admin: Client, database: string, owner: string): Promise<Result<SnapshotInfo>> {
  const taken = (await listSnapshots(admin, database)).map((s) => s.name);
  const name = snapshotName(database, new Date(), taken);
  const createdAt = new Date().toISOString();
  const copied = await copyDatabase(admin, {
    from: database,
    to: name,
    owner,
    meta: { kind: 'snapshot', source: database, owner: database, createdAt, settings: await databaseSettings(admin, database) },
    markTemplate: true,
  });
  if (!copied.ok) return copied;
  const info = (await listSnapshots(admin, database)).find((s) => s.name === name);
  return ok(info ?? { name, createdAt, sizeBytes: 0, source: database });
}

/**
 * User tables of the profile's database with any data page, read through whichever
 * session the run holds there (any role may ask: see select-tables-with-pages). A table
 * without a page holds no row, so an empty answer settles "does it hold data?" without
 * the superuser's own session inside.
 */
function tablesWithPages(settings: ConnectionSettings, profile: Profile): Promise<Result<string[]>> {
  return readInsideDatabase(settings, profile, `checking whether "${profile.database.name}" holds data`, async (client) =>
    (await client.query<{ qualified: string }>(sqlText('cache/select-tables-with-pages'))).rows.map((r) => r.qualified),
  );
}

/**
 * The user tables of the profile's database that hold a row (alembic_version does not
 * count): those with a data page, then, for those only, the superuser's probe (row-level
 * security would hide rows from anyone else).
 */
async function tablesWithRows(settings: ConnectionSettings, profile: Profile, door?: InsideDoor): Promise<Result<string[]>> {
  if (door) return tablesWithRowsInside(door, profile.database.name);
  const paged = await tablesWithPages(settings, profile);
  if (!paged.ok || paged.value.length === 0) return paged;
  return withClient(settings, { database: profile.database.name }, `checking whether "${profile.database.name}" holds data`, async (client) =>
    (await client.query<{ qualified: string }>(sqlText('cache/select-tables-with-rows'), [paged.value])).rows.map((r) => r.qualified),
  );
}

/** What the drop step lends the check: a superuser session inside the database whose door it closed. */
type InsideDoor = { inside(): Promise<Client>; leave(): Promise<void> };

/** The same answer read through the closed door's own session (no new session could log in). */
async function tablesWithRowsInside(door: InsideDoor, db: string): Promise<Result<string[]>> {
  try {
    const client = await door.inside();
    const paged = (await client.query<{ qualified: string }>(sqlText('cache/select-tables-with-pages'))).rows.map((r) => r.qualified);
    const rows = paged.length
      ? (await client.query<{ qualified: string }>(sqlText('cache/select-tables-with-rows'), [paged])).rows.map((r) => r.qualified)
      : [];
    await door.leave();
    return ok(rows);
  } catch (error) {
    await door.leave();
    return err(statementError(error, `checking whether "${db}" holds data`));
  }
}

/**
 * Whether the database is still as the look saw it, as far as rows go: every user table's
 * data file still exists and is empty, and no newer relation file holds data (no table
 * created or rewritten since with rows in it). False when the login may not ask (not a
 * superuser).
 */
async function stillUntouched(admin: Client, look: FilesLook): Promise<boolean> {
  try {
    const changed = await admin.query(sqlText('cache/select-files-not-empty'), [
      look.tables.map((table) => table.path),
      look.folders.map((folder) => folder.folder),
      look.folders.map((folder) => folder.newest),
    ]);
    return changed.rows.length === 0;
  } catch {
    return false;
  }
}

/**
 * The bootstrap drop hook: snapshot the database if any user table holds a row. A
 * failure vetoes the drop and says why. The other sessions on the database are ended
 * before the check, so what it sees stays true until the drop.
 *
 * `earlyLook`: the database's files as its catalog named them, read by E1 with its
 * tables (so E1's session there can close while other work goes on). When no other session was there to be ended, every user
 * table's data file is still empty and no newer relation file holds data (read now,
 * from here, by the superuser), no table holds a row: a row is written to its table's
 * file first, and a table created or rewritten since would have a new file. Otherwise
 * the full check runs now.
 */
export function snapshotBeforeDrop(
  settings: ConnectionSettings,
  profile: Profile,
  onSnapshot: (name: string) => void = () => undefined,
  earlyLook?: FilesLook,
) {
  return async (
    admin: Client,
    endSessions: () => Promise<number>,
    door?: InsideDoor,
  ): Promise<{ ok: true; note?: string } | { ok: false; error: AppError }> => {
    const db = profile.database.name;
    const othersEnded = await endSessions();
    const untouched = Boolean(earlyLook && othersEnded === 0 && (await stillUntouched(admin, earlyLook)));
    const tables = untouched ? ok<string[]>([]) : await tablesWithRows(settings, profile, door);
    if (!tables.ok) {
      const cause = tables.error;
      return {
        ok: false,
        error: appError(
          'snapshot-failed',
          `Could not check whether "${db}" holds data (${cause.code === 'connection-not-superuser' ? 'permission denied' : cause.message}), so no snapshot could be taken.`,
          {
            detail: cause.detail,
            remediation: 'Connect as a superuser (or the database owner) so the data can be copied before the drop.',
          },
        ),
      };
    }
    if (tables.value.length === 0)
      return {
        ok: true,
        note: untouched
          ? 'no user table holds any data (every table\u2019s data file is empty), no snapshot needed'
          : 'no rows in user tables, no snapshot needed',
      };
    // Rows the tool's own last run left (migrations, R5's tests) and nothing since: not the user's.
    const left = await checkToolRows(admin, settings, db, door);
    if (left.unchanged) {
      return {
        ok: true,
        note: `only the rows the last ${left.recorded.command} left (recorded ${left.recorded.recordedAt}), unchanged since: no snapshot needed`,
      };
    }
    const owner = (await admin.query<{ owner: string }>(sqlText('e1/select-database'), [db])).rows[0]?.owner ?? profile.database.owner;
    const snapshot = await takeSnapshot(admin, db, owner);
    if (!snapshot.ok) return { ok: false, error: snapshot.error };
    onSnapshot(snapshot.value.name);
    const count = tables.value.length;
    return {
      ok: true,
      note: `safety snapshot ${snapshot.value.name} taken first (${count} table${count === 1 ? '' : 's'} held rows); restore it with: skeldir-rebuild restore ${snapshot.value.name}${left.recordedWhy ? ` (${left.recordedWhy} since the last ${left.recordedBy})` : ''}`,
    };
  };
}

/** The snapshot `name` of `database`, or a usage error listing the ones that exist. */
export async function findSnapshot(admin: Client, database: string, name: string): Promise<Result<SnapshotInfo>> {
  const snapshots = await listSnapshots(admin, database);
  const snapshot = snapshots.find((s) => s.name === name);
  if (snapshot) return ok(snapshot);
  return err(noSuchSnapshot(name, database, snapshots));
}

/** Puts a snapshot back as the profile's database, snapshotting the current one first. */
export async function restoreSnapshot(
  settings: ConnectionSettings,
  profile: Profile,
  name: string,
): Promise<Result<{ restored: string; previous: string | null }>> {
  const db = profile.database.name;
  const result = await withClient(
    settings,
    { database: 'postgres' },
    `restoring ${name}`,
    async (admin): Promise<Result<{ restored: string; previous: string | null }>> => {
      const snapshot = await findSnapshot(admin, db, name);
      if (!snapshot.ok) return snapshot;
      const existing = (await admin.query<{ owner: string; invalid: boolean }>(sqlText('e1/select-database'), [db])).rows[0];
      let previous: string | null = null;
      if (existing?.invalid) {
        // Half-dropped by an interrupted DROP DATABASE: nothing in it can be copied, only dropped.
        await dropCopy(admin, db);
      } else if (existing) {
        // The door stays closed from before the snapshot of the current database until it is
        // dropped: a client reconnecting meanwhile cannot commit a row the snapshot misses.
        const door = closeDoor(admin, settings, db);
        try {
          await door.endSessions();
          const before = await takeSnapshot(admin, db, existing.owner);
          if (!before.ok) return err({ ...before.error, message: `Not restored: ${before.error.message}` });
          previous = before.value.name;
          await dropCopy(admin, db);
          door.gone();
        } finally {
          await door.reopen();
        }
      }
      try {
        const copies = await listCopies(admin, db, 'snap');
        const settingsToApply = copies.find((c) => c.name === name)?.meta?.settings ?? [];
        const copied = await copyDatabase(admin, {
          from: name,
          to: db,
          owner: profile.database.owner,
          meta: { kind: 'snapshot', source: name, createdAt: new Date().toISOString(), settings: settingsToApply },
          markTemplate: false,
        });
        if (!copied.ok) return err(afterDrop(copied.error, previous));
        // The copy's metadata comment becomes the ownership marker of a database we made.
        await markDatabase(admin, db, `restored from ${name}`);
        // CREATE DATABASE … TEMPLATE copies no database-level settings: carry them over.
        await applySettings(admin, db, settingsToApply);
        return ok({ restored: name, previous });
      } catch (error) {
        return err(afterDrop(statementError(error, `restoring ${name}`), previous));
      }
    },
  );
  if (!result.ok) return result;
  return result.value;
}

/**
 * Drops the snapshots the user confirmed by name (both fronts list them first), under the
 * rebuild lock: never one a running restore or rebuild is using, never a database that is
 * not a snapshot of the profile's database, and one taken since the list was shown stays.
 */
export async function pruneSnapshots(settings: ConnectionSettings, profile: Profile, confirmed: readonly string[]): Promise<Result<string[]>> {
  const locked = await withDestructiveLock({ command: 'prune', settings, database: profile.database.name }, () =>
    withClient(settings, { database: 'postgres' }, 'pruning snapshots', async (admin) => {
      const snapshots = await listSnapshots(admin, profile.database.name);
      const doomed = snapshots.filter((s) => confirmed.includes(s.name));
      for (const s of doomed) await dropCopy(admin, s.name);
      return doomed.map((s) => s.name);
    }),
  );
  return locked.ok ? locked.value : locked;
}

/** A restore that failed after the current database was dropped: where its rows are now. */
function afterDrop(error: AppError, previous: string | null): AppError {
  if (!previous) return error;
  return {
    ...error,
    message: `Not restored: ${error.message} The database it was replacing is kept as snapshot ${previous}.`,
    remediation: `${error.remediation ? `${error.remediation} ` : ''}Put it back with: skeldir-rebuild restore ${previous}`,
  };
}
