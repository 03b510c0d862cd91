import type { Client } from 'pg';
import type { Sessions } from '../db/run-sessions';
import { openClient } from '../db/connect';
import { sqlFormat, sqlText } from '../db/sql-files';

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
   * A superuser session inside the closed database, for the check for rows: the door is
   * opened for the moment it takes to log in, then closed again and everyone else ended.
   */
  inside(): Promise<Client>;
  /** Ends the inside session: a copy needs its source idle. */
  leave(): Promise<void>;
  /** The database was dropped or renamed aside: there is no door left to open. */
  gone(): void;
  /** Opens the door again unless the database is gone; safe to call more than once; never throws. */
  reopen(): Promise<void>;
}

/** How long ended sessions get to finish their transaction and leave before the drop goes ahead anyway (a copy would then refuse). */
const LEAVE_WAIT_MS = 5_000;

export function closeDoor(admin: Client, sessions: Sessions, database: string): ClosedDoor {
  let closed = false;
  let dropped = false;
  let session: Client | null = null;

  const close = async () => {
    await admin.query(sqlFormat('safety/close-door', database));
    closed = true;
  };
  const kept = () => (session ? [(session as Client & { processID?: number }).processID ?? 0] : []);
  const endOthers = async (): Promise<number> => {
    await sessions.forget(database);
    const ended = (await admin.query<{ ended: number }>(sqlText('safety/terminate-other-sessions'), [database, kept()])).rows[0]?.ended ?? 0;
    // A session told to end may be committing: wait until it has, so the check sees its rows.
    const deadline = Date.now() + LEAVE_WAIT_MS;
    while (ended > 0 && Date.now() < deadline) {
      const left = (await admin.query<{ n: number }>(sqlText('safety/count-other-sessions'), [database, kept()])).rows[0]?.n ?? 0;
      if (left === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return ended;
  };

  return {
    async endSessions() {
      if (!closed) await close();
      return endOthers();
    },
    async inside() {
      if (session) return session;
      await admin.query(sqlFormat('safety/open-door', database));
      closed = false;
      const opened = await openClient(sessions.settings, { database, applicationName: 'skeldir-rebuild check' });
      await close();
      if (!opened.ok) throw new Error(opened.error.message);
      session = opened.value;
      // Ended from elsewhere (a copy's own clean-up): the error must not bring the process down.
      session.on('error', () => undefined);
      await endOthers();
      return session;
    },
    async leave() {
      const current = session;
      session = null;
      if (current) await current.end().catch(() => undefined);
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
