import * as fs from 'node:fs';
import type { Client } from 'pg';
import { processAlive } from '../../electron/engine/platform/process-alive';

/** PIDs of live (non-zombie) processes whose command line contains `text`. */
export function processesMentioning(text: string): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(text) && processAlive(Number(entry))) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

/** The parent PID of a process (from /proc/PID/stat), or null when it is gone. */
export function parentOf(pid: number): number | null {
  try {
    // "pid (comm) state ppid …": comm may hold spaces and parentheses, so read after the last ")".
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return null;
  }
}

/**
 * Backends of the server whose postmaster is `postmasterPid` that are still logging in
 * (PostgreSQL titles them "… authentication" until the password exchange ends; they are
 * not in pg_stat_activity yet).
 */
export function backendsLoggingIn(postmasterPid: number): number[] {
  return processesMentioning(' authentication').filter((pid) => parentOf(pid) === postmasterPid);
}

/** The PID of the postmaster of the server `client` is connected to (its checkpointer's parent). */
export async function postmasterOf(client: Client): Promise<number> {
  const checkpointer = (await client.query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE backend_type = 'checkpointer'")).rows[0]?.pid;
  const postmaster = checkpointer === undefined ? null : parentOf(checkpointer);
  if (!postmaster) throw new Error('could not find the server\u2019s postmaster');
  return postmaster;
}
