import type { Client } from 'pg';
import type { ConnectionSettings } from '../../../../shared/contract/connection';
import { openClient } from '../../db/connect';
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
}

const POLL_MS = 1_000;

export function watchProgress(input: {
  settings: ConnectionSettings;
  applicationName: string;
  limitMs: number;
  onStalled: (stall: StallReport) => void;
}): ProgressWatch {
  let stalledSince: number | null = null;
  let lastWhy = '';
  let stopped = false;
  let client: Client | null = null;
  let opening: Promise<void> | null = null;
  let timer: NodeJS.Timeout | undefined;

  const ask = async (): Promise<string | null> => {
    if (!client) {
      opening ??= openClient(input.settings, { database: 'postgres' }).then((opened) => {
        if (opened.ok) {
          if (stopped) void opened.value.end().catch(() => undefined);
          else client = opened.value;
        }
        opening = null;
      });
      await opening;
      if (!client) return 'did not answer';
    }
    const rows = (
      await (client as Client).query<{ state: string | null; wait_event_type: string | null; wait_event: string | null }>(
        sqlText('r4/select-migration-session-state'),
        [input.applicationName],
      )
    ).rows;
    const blocked = rows.length > 0 && rows.every((row) => row.wait_event_type === 'Lock');
    return blocked ? `waiting on a lock (${rows.map((row) => `${row.wait_event_type}/${row.wait_event}`).join(', ')})` : null;
  };

  const poll = async () => {
    if (stopped) return;
    let why: string | null;
    // An answer later than a poll interval counts as none: a frozen server never answers.
    const late = new Promise<string>((resolve) => setTimeout(() => resolve('did not answer'), POLL_MS * 2).unref());
    try {
      why = await Promise.race([ask(), late]);
    } catch {
      why = 'did not answer';
    }
    if (stopped) return;
    if (why === null) stalledSince = null;
    else {
      stalledSince ??= Date.now();
      lastWhy = why;
      if (Date.now() - stalledSince >= input.limitMs) {
        stopped = true;
        input.onStalled({ seconds: Math.round((Date.now() - stalledSince) / 1000), why: lastWhy });
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
