import type { Client } from 'pg';
import type { Lease, Sessions } from '../db/run-sessions';
import { sqlFormat, sqlText } from '../db/sql-files';
import { readDatabaseRow } from '../db/database-level';
import { waitForSessionsToExit } from '../db/wait-for-exit';

/**
 * The door of a database about to be snapshotted and dropped (or replaced by a restore):
 * closed first (ALLOW_CONNECTIONS false, which stops superusers too), then the sessions
 * inside are ended and waited for, so a client that keeps reconnecting (a local API
 * server, a Celery worker) cannot commit a row between the check for rows, the snapshot
 * and the drop. Opened again on every way out that leaves the database in place.
 */
export interface ClosedDoor {
  /** Closes the door (once), ends every other session on the database and waits until they are gone; says how many there were. */
  endSessions(): Promise<number>;
  /**
   * A superuser session inside the database for the check for rows, the same one until
   * `leave`. Asked for before the door closes, it simply logs in and closing the door
   * spares it; asked for after, the door opens for the moment it takes to log in, then
   * closes again and everyone else is ended.
   */
  inside(): Promise<Client>;
  /** Ends the inside session: a copy needs its source idle. */
  leave(): Promise<void>;
  /** The database was dropped or renamed aside: there is no door left to open. */
  gone(): void;
  /** Opens the door again unless the database is gone; safe to call more than once; never throws. */
  reopen(): Promise<void>;
}

export function closeDoor(admin: Client, sessions: Sessions, database: string): ClosedDoor {
  let closed = false;
  let dropped = false;
  let lease: Lease | null = null;

  const close = async () => {
    await admin.query(sqlFormat('safety/close-door', database));
    closed = true;
  };
  const kept = () => (lease ? [(lease.client as Client & { processID?: number }).processID ?? 0] : []);
  const endOthers = async (): Promise<number> => {
    await sessions.forget(database);
    const ended = (await admin.query<{ ended: number }>(sqlText('safety/terminate-other-sessions'), [database, kept()])).rows[0]?.ended ?? 0;
    // A session told to end may be committing: wait until it has, so the check sees its rows.
    // After the wait the drop goes ahead anyway (a copy would then refuse).
    if (ended > 0) {
      await waitForSessionsToExit(async () => {
        return (await admin.query<{ n: number }>(sqlText('safety/count-other-sessions'), [database, kept()])).rows[0]?.n ?? 0;
      });
    }
    return ended;
  };

  return {
    async endSessions() {
      if (!closed) await close();
      return endOthers();
    },
    async inside() {
      if (lease) return lease.client;
      // Closed by this door a moment ago, or left closed by a run that stopped before it reopened it.
      const wasClosed = closed || (await readDatabaseRow(admin, database))?.closed === true;
      if (wasClosed) {
        // A session asked for ahead while the door was shut has failed (or may yet): log in anew.
        await sessions.forget(database);
        await admin.query(sqlFormat('safety/open-door', database));
        closed = false;
      }
      const leased = await sessions.superuser(database);
      if (wasClosed) await close();
      if (!leased.ok) throw new Error(leased.error.message);
      lease = leased.value;
      if (wasClosed) await endOthers();
      return lease.client;
    },
    async leave() {
      const current = lease;
      lease = null;
      // Never given back for reuse: the database is about to be copied, dropped or renamed.
      if (current) await current.release({ broken: true });
    },
    gone() {
      dropped = true;
    },
    async reopen() {
      await this.leave();
      if (!closed || dropped) return;
      await admin.query(sqlFormat('safety/open-door', database)).then(
        () => {
          closed = false;
        },
        () => undefined,
      );
    },
  };
}
