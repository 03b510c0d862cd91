import type { Client } from 'pg';
import type { ConnectionSettings } from '../../../shared/contract/connection';
import { openClient } from './connect';
import { driverParameters, readLockHolders, type DriverSessions, type OtherSession } from './other-sessions';
import { sqlText } from './sql-files';

/**
 * The watch on a child driver's sessions (Alembic in R4, pytest in R5), found by the
 * application_name it was given through PGAPPNAME (and, for R5, also unnamed: see DriverSessions). It names the sessions holding a lock the
 * driver waits on as soon as it waits (`onWaiting`), and, given a `limit`, reports a run on
 * which PostgreSQL has made no progress for that long (R4's no-progress limit, instead of
 * letting it wait up to the whole run's limit of 30 min).
 *
 * "No progress" is read from the server, every POLL_MS, on a session of its own: the watch
 * query gets no answer (the server is stopped or frozen), or every session of the driver
 * waits on a lock (another client holds it). Anything else counts as progress: a line from
 * the driver, a statement running (however long: a big CREATE INDEX is work, not a stall),
 * or the driver idle in its transaction (Python itself is working). The simplest signals
 * that cannot mistake a slow but working migration for a stuck one.
 */
export interface ProgressWatch {
  /** The driver printed a line: progress. */
  noteOutput(): void;
  /** Stops polling and closes the watch's session (without waiting on a server that does not answer). */
  stop(): void;
}

export interface StallReport {
  seconds: number;
  /** What the server showed: 'did not answer' or 'waiting on a lock (Lock/relation)'. */
  why: string;
  /** The sessions holding the lock it waited on, as last seen (none when the server did not answer). */
  holders: OtherSession[];
}

/**
 * What one look at the server found: whether the run makes no progress (`stalled`: why, or
 * null), and the other clients' sessions holding a lock any of the driver's sessions wait on.
 */
interface Look {
  stalled: string | null;
  holders: OtherSession[];
}

const POLL_MS = 1_000;

export function watchProgress(input: {
  settings: ConnectionSettings;
  driver: DriverSessions;
  /** Report a stall (once) after this long without progress; without it the watch only names lock holders. */
  limit?: { ms: number; onStalled: (stall: StallReport) => void };
  /** A session of the driver began to wait on a lock other clients hold: said at once, long before any limit ends the run. */
  onWaiting?: (holders: OtherSession[]) => void;
}): ProgressWatch {
  let stalledSince: number | null = null;
  let holdersSaid = '';
  let stopped = false;
  let client: Client | null = null;
  let opening: Promise<void> | null = null;
  let timer: NodeJS.Timeout | undefined;

  const NO_ANSWER: Look = { stalled: 'did not answer', holders: [] };

  const look = async (): Promise<Look> => {
    if (!client) {
      opening ??= openClient(input.settings, { database: 'postgres' }).then((opened) => {
        if (opened.ok) {
          if (stopped) void opened.value.end().catch(() => undefined);
          else client = opened.value;
        }
        opening = null;
      });
      await opening;
      if (!client) return NO_ANSWER;
    }
    const open = client as Client;
    const rows = (
      await open.query<{ state: string | null; wait_event_type: string | null; wait_event: string | null }>(
        sqlText('sessions/select-driver-session-state'),
        driverParameters(input.driver),
      )
    ).rows;
    const waiting = rows.filter((row) => row.wait_event_type === 'Lock');
    if (waiting.length === 0) return { stalled: null, holders: [] };
    // A stall only when every session waits: one session of a test waiting on another of its own is work in progress.
    const stalled =
      waiting.length === rows.length ? `waiting on a lock (${waiting.map((row) => `${row.wait_event_type}/${row.wait_event}`).join(', ')})` : null;
    return { stalled, holders: await readLockHolders(open, input.driver) };
  };

  const poll = async () => {
    if (stopped) return;
    let seen: Look;
    // An answer later than a poll interval counts as none: a frozen server never answers.
    const late = new Promise<Look>((resolve) => setTimeout(() => resolve(NO_ANSWER), POLL_MS * 2).unref());
    try {
      seen = await Promise.race([look(), late]);
    } catch {
      seen = NO_ANSWER;
    }
    if (stopped) return;
    // Each new set of holders is said once, not every second.
    const holders = seen.holders.map((holder) => holder.pid).join(',');
    if (holders && holders !== holdersSaid) input.onWaiting?.(seen.holders);
    holdersSaid = holders;
    if (seen.stalled === null) stalledSince = null;
    else {
      stalledSince ??= Date.now();
      if (input.limit && Date.now() - stalledSince >= input.limit.ms) {
        stopped = true;
        input.limit.onStalled({ seconds: Math.round((Date.now() - stalledSince) / 1000), why: seen.stalled, holders: seen.holders });
        return;
      }
    }
    timer = setTimeout(() => void poll(), POLL_MS);
    timer.unref();
  };
  timer = setTimeout(() => void poll(), POLL_MS);
  timer.unref();

  return {
    noteOutput() {
      stalledSince = null;
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
      // Not awaited: on a frozen server the goodbye would never be answered.
      const open = client as Client | null;
      if (open) void open.end().catch(() => undefined);
      client = null;
    },
  };
}
