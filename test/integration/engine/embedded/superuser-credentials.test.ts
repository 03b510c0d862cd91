import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadOrCreateCredentials } from '../../../../electron/engine/embedded/superuser-credentials';
import { makeTempDir } from '../../../support/temp-dir';

/**
 * The bundled server's password is made once per folder. Two commands started together on a new
 * folder (the app and a CLI, two terminals) used to write one password each: the server got one,
 * the file kept the other, and every later login to that server was refused.
 */
const DIST_CREDENTIALS = path.resolve(__dirname, '..', '..', '..', '..', 'dist', 'electron', 'engine', 'embedded', 'superuser-credentials.js');
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

function newFolder(): string {
  const dir = makeTempDir('skeldir-credentials-');
  dirs.push(dir);
  return dir;
}

/** Starts `count` processes that wait at a barrier file, then all make the folder's credentials at once. */
async function createTogether(dir: string, count: number): Promise<string[]> {
  const go = path.join(dir, 'go');
  const script = `
    const fs = require('node:fs');
    const { loadOrCreateCredentials } = require(${JSON.stringify(DIST_CREDENTIALS)});
    process.stdout.write('ready\\n');
    while (!fs.existsSync(${JSON.stringify(go)})) {}
    const made = loadOrCreateCredentials(${JSON.stringify(dir)});
    process.stdout.write(made.ok ? made.value.password : 'error ' + made.error.message);`;
  const children = Array.from({ length: count }, () => spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] }));
  const outputs = children.map(
    (child) =>
      new Promise<string>((resolve) => {
        let text = '';
        child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
        child.on('close', () => resolve(text.replace(/^ready\n/, '')));
      }),
  );
  // Every process has loaded the module and spins at the barrier before it opens.
  await Promise.all(children.map((child) => new Promise<void>((resolve) => child.stdout.once('data', () => resolve()))));
  fs.writeFileSync(go, '');
  return Promise.all(outputs);
}

describe('the bundled server\u2019s superuser password', () => {
  it('made by six commands at the same instant on a new folder: all six get the one the file keeps', async () => {
    for (let round = 0; round < 3; round++) {
      const dir = newFolder();
      const passwords = await createTogether(dir, 6);
      expect(
        passwords.every((p) => !p.startsWith('error')),
        passwords.join(' | '),
      ).toBe(true);
      expect(new Set(passwords).size, `round ${round}: ${passwords.join(' | ')}`).toBe(1);
      expect(JSON.parse(fs.readFileSync(path.join(dir, 'superuser.json'), 'utf8')).password).toBe(passwords[0]);
      // Nothing of the race is left beside it.
      expect(fs.readdirSync(dir).sort()).toEqual(['go', 'superuser.json']);
    }
  }, 60_000);

  it('kept across calls, readable only by its owner; a file that is not credentials is replaced', () => {
    const dir = newFolder();
    const first = loadOrCreateCredentials(dir);
    if (!first.ok) throw new Error(first.error.message);
    expect(loadOrCreateCredentials(dir)).toEqual(first);
    if (process.platform !== 'win32') expect(fs.statSync(path.join(dir, 'superuser.json')).mode & 0o777).toBe(0o600);

    fs.writeFileSync(path.join(dir, 'superuser.json'), '{"half":');
    const replaced = loadOrCreateCredentials(dir);
    if (!replaced.ok) throw new Error(replaced.error.message);
    expect(replaced.value.password).not.toBe(first.value.password);
    expect(loadOrCreateCredentials(dir)).toEqual(replaced);
  });

  it('a folder it cannot write says so and what to do', () => {
    // A file where the folder should be: refused for root too, unlike a read-only folder.
    const blocked = path.join(newFolder(), 'not-a-folder');
    fs.writeFileSync(blocked, '');
    const made = loadOrCreateCredentials(blocked);
    expect(made.ok).toBe(false);
    if (made.ok) return;
    expect(made.error.message).toMatch(/^Could not save the bundled server’s password at .*superuser\.json: a file is in the way/);
    expect(made.error.action).toBe('choose-bundled-server-folder');
  });
});
