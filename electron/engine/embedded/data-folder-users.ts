import * as fs from 'node:fs';
import * as path from 'node:path';
import { processAlive } from '../platform/process-alive';

/**
 * Who uses a bundled server's data folder, as files in it: `starting.pid` while one command
 * starts the server (a second one waits for it instead of starting another postmaster on
 * the same folder), and `users/<pid>` for every command using the running server (the one
 * that started it leaves it running while another still uses it; the last one stops it).
 */
export type StartLock = { taken: true; release(): void } | { taken: false; holder: number };

export function takeStartLock(dir: string): StartLock {
  const file = path.join(dir, 'starting.pid');
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: 'wx' });
      return { taken: true, release: () => fs.rmSync(file, { force: true }) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return { taken: true, release: () => undefined };
      const holder = Number(readText(file));
      // An empty file is being written by its creator right now.
      if (!Number.isInteger(holder) || holder <= 0) return { taken: false, holder: 0 };
      if (holder !== process.pid && processAlive(holder)) return { taken: false, holder };
      fs.rmSync(file, { force: true }); // left by a crashed start
    }
  }
  return { taken: false, holder: 0 };
}

/** The live process starting the server right now (holding `starting.pid`), or null. */
export function startingBy(dir: string): number | null {
  const pid = Number(readText(path.join(dir, 'starting.pid')));
  return Number.isInteger(pid) && pid > 0 && pid !== process.pid && processAlive(pid) ? pid : null;
}

/** Records this process as a user of the server; returns the function that removes the record. */
export function registerUser(dir: string): () => void {
  const folder = path.join(dir, 'users');
  const file = path.join(folder, String(process.pid));
  try {
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(file, new Date().toISOString());
  } catch {
    // Without the record the server is stopped by its starter as before.
  }
  return () => fs.rmSync(file, { force: true });
}

/** The other live processes using the server (records of dead ones are removed). */
export function otherUsers(dir: string): number[] {
  const folder = path.join(dir, 'users');
  let names: string[];
  try {
    names = fs.readdirSync(folder);
  } catch {
    return [];
  }
  const live: number[] = [];
  for (const name of names) {
    const pid = Number(name);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    if (processAlive(pid)) live.push(pid);
    else fs.rmSync(path.join(folder, name), { force: true });
  }
  return live;
}

function readText(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    return '';
  }
}
