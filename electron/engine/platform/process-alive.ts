import * as fs from 'node:fs';

/**
 * Whether a process still runs. process.kill(pid, 0) answers ESRCH once it is gone and
 * EPERM when it exists under another user (the bundled server runs as "postgres" when
 * we are root). On Linux a killed process whose parent has not reaped it yet (a
 * container without an init) is a zombie: it runs nothing, so it counts as gone.
 */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  if (process.platform !== 'linux') return true;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
    return state !== 'Z' && state !== 'X';
  } catch {
    // Gone between the two checks.
    return false;
  }
}
