import type { Client } from 'pg';
import type { ConnectionSettings } from '../../../../shared/contract/connection';
import { noSuchSnapshot, type SnapshotInfo } from '../../../../shared/contract/copies';
import { appError, err, ok, type AppError, type Result } from '../../../../shared/errors/app-error';
import type { Profile } from '../../../../shared/profile/schema';
import { withClient } from '../../db/connect';
import { freshSessions, type Sessions } from '../../db/run-sessions';
import { copyDatabase, dropCopy, listCopies } from '../../copies/database-copies';
import { applySettings, databaseSettings, readDatabaseRow } from '../../db/database-level';
import { sqlText } from '../../db/sql-files';
import { snapshotPrefix, snapshotStamp } from '../../copies/copy-names';
import { markDatabase } from '../../safety/ownership-marker';
import { statementError } from '../../db/pg-errors';
import { checkToolRows } from './tool-rows';
import { withDestructiveLock } from '../../safety/destructive-lock';
import { closeDoor } from '../../safety/closed-door';

/**
 * Nothing lost: before a database that holds rows is dropped, it is copied to
 * `<db>__snap_<UTC timestamp>`; `restore` puts a snapshot back (snapshotting the
 * current database first), `prune` keeps the newest N.
 */
export type { SnapshotInfo } from '../../../../shared/contract/copies';

function snapshotName(database: string, now: Date, taken: string[]): string {
  const stamp = snapshotStamp(now);
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

/** Takes a snapshot of `database` (always, whatever it holds); `signal` stops the copy on the server (a 'cancelled' error, no snapshot). */
export async function takeSnapshot(sessions: Sessions, admin: Client, database: string, owner: string, signal?: AbortSignal): Promise<Result<SnapshotInfo>> {
  const taken = (await listSnapshots(admin, database)).map((s) => s.name);
  const name = snapshotName(database, new Date(), taken);
  const createdAt = new Date().toISOString();
  const copied = await copyDatabase(sessions, admin, {
    from: database,
    to: name,
    owner,
    meta: { kind: 'snapshot', source: database, owner: database, createdAt, settings: await databaseSettings(admin, database) },
    markTemplate: true,
    signal,
  });
  if (!copied.ok) return copied;
  const info = (await listSnapshots(admin, database)).find((s) => s.name === name);
  return ok(info ?? { name, createdAt, sizeBytes: 0, source: database });
}

/** What the drop step lends the check: a superuser session inside the database whose door it closes. */
type InsideDoor = { inside(): Promise<Client>; leave(): Promise<void> };

/**
 * The user tables of the profile's database that hold a row (alembic_version does not
 * count), asked of the superuser (row-level security would hide rows from anyone else):
 * on the drop step's session inside when it lends one, else on a new superuser session.
 */
async function tablesWithRows(sessions: Sessions, profile: Profile, inside: Client | null): Promise<Result<string[]>> {
  const db = profile.database.name;
  const what = `checking whether "${db}" holds data`;
  const read = async (client: Client) => (await client.query<{ qualified: string }>(sqlText('cache/select-tables-with-rows'))).rows.map((r) => r.qualified);
  if (!inside) return withClient(sessions, { database: db }, what, read);
  try {
    return ok(await read(inside));
  } catch (error) {
    return err(statementError(error, what));
  }
}

function checkFailed(db: string, cause: AppError): { ok: false; error: AppError } {
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

/**
 * The bootstrap drop hook: snapshot the database if any user table holds a row (the
 * answer names the snapshot taken). A failure vetoes the drop and says why. The other
 * sessions on the database are ended before the check, so what it sees stays true until
 * the drop; the check's own session logs in first, while the door is still open, and is
 * the one session the closed door spares until the copy or the drop.
 */
export function snapshotBeforeDrop(sessions: Sessions, profile: Profile) {
  return async (
    admin: Client,
    endSessions: () => Promise<number>,
    door?: InsideDoor,
  ): Promise<{ ok: true; note?: string; snapshot?: string } | { ok: false; error: AppError }> => {
    const db = profile.database.name;
    let inside: Client | null = null;
    if (door) {
      try {
        inside = await door.inside();
      } catch (error) {
        return checkFailed(db, statementError(error, `checking whether "${db}" holds data`));
      }
    }
    await endSessions();
    const tables = await tablesWithRows(sessions, profile, inside);
    if (!tables.ok) return checkFailed(db, tables.error);
    if (tables.value.length === 0) return { ok: true, note: 'no rows in user tables, no snapshot needed' };
    // Rows the tool's own last run left (migrations, R5's tests) and nothing since: not the user's.
    const left = await checkToolRows(admin, sessions, db, inside);
    if (left.unchanged) {
      return {
        ok: true,
        note: `only the rows the last ${left.recorded.command} left (recorded ${left.recorded.recordedAt}), unchanged since: no snapshot needed`,
      };
    }
    // A copy needs its source idle: the check's session leaves (the door stays closed).
    await door?.leave();
    const owner = (await readDatabaseRow(admin, db))?.owner ?? profile.database.owner;
    const snapshot = await takeSnapshot(sessions, admin, db, owner);
    if (!snapshot.ok) return { ok: false, error: snapshot.error };
    const count = tables.value.length;
    return {
      ok: true,
      snapshot: snapshot.value.name,
      note: `safety snapshot ${snapshot.value.name} taken first (${count} table${count === 1 ? '' : 's'} held rows${left.recordedWhy ? `; ${left.recordedWhy} since the last ${left.recordedBy}` : ''}): it can be restored`,
    };
  };
}

/** The snapshot `name` of `database`, or a usage error listing the ones that exist. */
async function findSnapshot(admin: Client, database: string, name: string): Promise<Result<SnapshotInfo>> {
  const snapshots = await listSnapshots(admin, database);
  const snapshot = snapshots.find((s) => s.name === name);
  if (snapshot) return ok(snapshot);
  return err(noSuchSnapshot(name, database, snapshots));
}

/**
 * Puts a snapshot back as the profile's database, snapshotting the current one first.
 * `signal` (a cancel) is honoured until the current database is dropped: the snapshot copy
 * under way is stopped on the server and the database stays as it was. Past the drop the
 * restore is finished, settings included, so the database is never left half-made.
 */
export async function restoreSnapshot(
  settings: ConnectionSettings,
  profile: Profile,
  name: string,
  signal?: AbortSignal,
): Promise<Result<{ restored: string; previous: string | null }>> {
  const db = profile.database.name;
  const sessions = freshSessions(settings);
  const result = await withClient(
    sessions,
    { database: 'postgres' },
    `restoring ${name}`,
    async (admin): Promise<Result<{ restored: string; previous: string | null }>> => {
      const snapshot = await findSnapshot(admin, db, name);
      if (!snapshot.ok) return snapshot;
      if (signal?.aborted) return err(cancelledBeforeReplacing(db, name, null));
      const existing = await readDatabaseRow(admin, db);
      let previous: string | null = null;
      if (existing?.invalid) {
        // Half-dropped by an interrupted DROP DATABASE: nothing in it can be copied, only dropped.
        await dropCopy(sessions, admin, db);
      } else if (existing) {
        // The door stays closed from before the snapshot of the current database until it is
        // dropped: a client reconnecting meanwhile cannot commit a row the snapshot misses.
        const door = closeDoor(admin, sessions, db);
        try {
          await door.endSessions();
          const before = await takeSnapshot(sessions, admin, db, existing.owner, signal);
          if (!before.ok && before.error.code === 'cancelled') return err(cancelledBeforeReplacing(db, name, null));
          if (!before.ok) return err({ ...before.error, message: `Not restored: ${before.error.message}` });
          // The last point a cancel stops the restore at: past the drop, it is finished instead.
          if (signal?.aborted) return err(cancelledBeforeReplacing(db, name, before.value.name));
          previous = before.value.name;
          await dropCopy(sessions, admin, db);
          door.gone();
        } finally {
          await door.reopen();
        }
      }
      try {
        const copies = await listCopies(admin, db, 'snap');
        const settingsToApply = copies.find((c) => c.name === name)?.meta?.settings ?? [];
        const copied = await copyDatabase(sessions, admin, {
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
  const sessions = freshSessions(settings);
  const locked = await withDestructiveLock({ command: 'prune', settings, database: profile.database.name }, () =>
    withClient(sessions, { database: 'postgres' }, 'pruning snapshots', async (admin) => {
      const snapshots = await listSnapshots(admin, profile.database.name);
      const doomed = snapshots.filter((s) => confirmed.includes(s.name));
      for (const s of doomed) await dropCopy(sessions, admin, s.name);
      return doomed.map((s) => s.name);
    }),
  );
  return locked.ok ? locked.value : locked;
}

/** A restore cancelled while the database it would replace was still there: untouched, with the snapshot taken meanwhile (`kept`), if any. */
function cancelledBeforeReplacing(db: string, name: string, kept: string | null): AppError {
  const snapshotKept = kept ? ` The snapshot of it taken before the cancel is kept as ${kept}.` : '';
  return appError('cancelled', `Not restored: the restore was cancelled before "${db}" was replaced, so it is as it was.${snapshotKept}`, {
    remediation: `To replace "${db}" with ${name} after all, restore ${name} again.`,
    action: 'restore-snapshot',
    actionTarget: name,
  });
}

/** A restore that failed after the current database was dropped: where its rows are now. */
function afterDrop(error: AppError, previous: string | null): AppError {
  if (!previous) return error;
  return {
    ...error,
    message: `Not restored: ${error.message} The database it was replacing is kept as snapshot ${previous}.`,
    remediation: `${error.remediation ? `${error.remediation} ` : ''}Restore ${previous} to put it back.`,
    action: 'restore-snapshot',
    actionTarget: previous,
  };
}
