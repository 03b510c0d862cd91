import * as fs from 'node:fs';
import * as path from 'node:path';
import { processAlive } from '../platform/process-alive';

/**
 * postmaster.pid tells whether a server already runs on a data directory, and on
 * which port: line 1 is the PID, line 4 the port (PostgreSQL's documented layout).
 */
export interface PostmasterInfo {
  pid: number;
  port: number;
  alive: boolean;
}

export function readPostmasterPid(dataDir: string): PostmasterInfo | null {
  let text: string;
  try {
    text = fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8');
  } catch {
    return null;
  }
  const lines = text.split(/\r?\n/);
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0) return null;
  return { pid, port: Number.isInteger(port) ? port : 0, alive: processAlive(pid) };
}
