import type { Client } from 'pg';
import type { ConnectionSettings } from '../../../../shared/contract/connection';
import { openClient } from '../../db/connect';
import { readLockHolders, type OtherSession } from '../../db/other-sessions';
import { sqlText } from '../../db/sql-files';

/**
 * R4's no-progress limit: ends the Alembic run when PostgreSQL has made no progress on it
 * for `limitMs`, instead of letting it wait up to the whole run's limit (30 min).
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

/** What one look at the server found: nothing in the way (null), or why no progress is made. */
type Blocked = { why: string; holders: OtherSession[] } | null;

const POLL_MS = 1_000;

export function watchProgress(input: {
  settings: ConnectionSettings;
  applicationName: string;
  limitMs: number;
  onStalled: (stall: StallReport) => void;
  /** The driver began to wait on a lock other sessions hold: said at once, long before the limit ends the run. */
  onWaiting?: (holders: OtherSession[]) => void;
}): ProgressWatch {
  let stalledSince: number | null = null;
  let last: NonNullable<Blocked> = { why: '', holders: [] };
  let holdersSaid = '';
  let stopped = false;
  let client: Client | null = null;
  let opening: Promise<void> | null = null;
  let timer: NodeJS.Timeout | undefined;

  const NO_ANSWER: NonNullable<Blocked> = { why: 'did not answer', holders: [] };

  const ask = async (): Promise<Blocked> => {
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
      await open.query<{ state: string | null; wait_event_type: string | null; wait_event: string | null }>(sqlText('r4/select-migration-session-state'), [
        input.applicationName,
      ])
    ).rows;
    const blocked = rows.length > 0 && rows.every((row) => row.wait_event_type === 'Lock');
    if (!blocked) return null;
    return {
      why: `waiting on a lock (${rows.map((row) => `${row.wait_event_type}/${row.wait_event}`).join(', ')})`,
      holders: await readLockHolders(open, input.applicationName),
    };
  };

  const poll = async () => {
    if (stopped) return;
    let blocked: Blocked;
    // An answer later than a poll interval counts as none: a frozen server never answers.
    const late = new Promise<Blocked>((resolve) => setTimeout(() => resolve(NO_ANSWER), POLL_MS * 2).unref());
    try {
      blocked = await Promise.race([ask(), late]);
    } catch {
      blocked = NO_ANSWER;
    }
    if (stopped) return;
    if (blocked === null) {
      stalledSince = null;
      holdersSaid = '';
    } else {
      stalledSince ??= Date.now();
      last = blocked;
      // Each new set of holders is said once, not every second.
      const holders = blocked.holders.map((holder) => holder.pid).join(',');
      if (holders && holders !== holdersSaid) {
        holdersSaid = holders;
        input.onWaiting?.(blocked.holders);
      }
      if (Date.now() - stalledSince >= input.limitMs) {
        stopped = true;
        input.onStalled({ seconds: Math.round((Date.now() - stalledSince) / 1000), ...last });
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
