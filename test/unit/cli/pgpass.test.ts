import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { lookupPgpass, matchPgpass, pgpassFile } from '../../../electron/cli/pgpass';
import { readSuperuserPassword } from '../../../electron/cli/read-password';
import { makeTempDir } from '../../support/temp-dir';

const query = { host: 'localhost', port: 5432, database: 'postgres', user: 'postgres' };
const dirs: string[] = [];
function fileWith(text: string, mode = 0o600): string {
  const dir = makeTempDir('skeldir-pgpass-');
  dirs.push(dir);
  const file = path.join(dir, 'pgpass');
  fs.writeFileSync(file, text);
  fs.chmodSync(file, mode);
  return file;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe('the password file, read as libpq reads it', () => {
  it('finds the file where libpq looks: PGPASSFILE, else ~/.pgpass, else %APPDATA%\\postgresql\\pgpass.conf on Windows', () => {
    expect(pgpassFile({ PGPASSFILE: '/x/pw', HOME: '/home/u' }, 'linux')).toBe('/x/pw');
    expect(pgpassFile({ HOME: '/home/u' }, 'linux')).toBe(path.join('/home/u', '.pgpass'));
    expect(pgpassFile({ APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, 'win32')).toBe(path.join('C:\\Users\\u\\AppData\\Roaming', 'postgresql', 'pgpass.conf'));
  });

  it('takes the first matching line; * matches any field; comments and short lines are skipped', () => {
    const text = ['# a comment', 'otherhost:5432:*:postgres:nope', 'short:line', 'localhost:5432:*:postgres:first', '*:*:*:*:second'].join('\n');
    expect(matchPgpass(text, query)).toBe('first');
    expect(matchPgpass(text, { ...query, user: 'app' })).toBe('second');
    expect(matchPgpass(text, { ...query, port: 5433 })).toBe('second');
    expect(matchPgpass('localhost:5432:postgres:postgres:pw', { ...query, port: 5433 })).toBeUndefined();
  });

  it('unescapes \\: and \\\\, ends the password at an unescaped colon, reads CRLF files, matches a socket host as localhost', () => {
    expect(matchPgpass('localhost:5432:*:postgres:a\\:b\\\\c\r\n', query)).toBe('a:b\\c');
    expect(matchPgpass('localhost:5432:*:postgres:abc:def', query)).toBe('abc');
    expect(matchPgpass('local\\:host:5432:*:postgres:pw', { ...query, host: 'local:host' })).toBe('pw');
    // An escaped star is a literal star, not a wildcard.
    expect(matchPgpass('\\*:5432:*:postgres:pw', query)).toBeUndefined();
    expect(matchPgpass('localhost:5432:*:postgres:pw', { ...query, host: '/var/run/postgresql' })).toBe('pw');
  });

  it.skipIf(process.platform === 'win32')('ignores a file readable by group or others, with the warning psql gives', () => {
    const open = fileWith('*:*:*:*:pw', 0o644);
    const ignored = lookupPgpass(query, { PGPASSFILE: open }, 'linux');
    expect(ignored.password).toBeUndefined();
    expect(ignored.warning).toMatch(/group or world access.*0600/);
    const closed = fileWith('*:*:*:*:pw', 0o600);
    expect(lookupPgpass(query, { PGPASSFILE: closed }, 'linux')).toEqual({ file: closed, password: 'pw' });
    expect(lookupPgpass(query, { PGPASSFILE: path.join(os.tmpdir(), 'skeldir-no-such-pgpass') }, 'linux').password).toBeUndefined();
  });

  it('comes after SKELDIR_SUPERUSER_PASSWORD and PGPASSWORD, before the prompt', async () => {
    const file = fileWith('localhost:5432:*:postgres:from-file');
    const stdin = { isTTY: false } as NodeJS.ReadStream;
    const stderr = { write: () => true } as unknown as NodeJS.WriteStream;
    const read = (env: NodeJS.ProcessEnv) => readSuperuserPassword('postgres', { PGPASSFILE: file, ...env }, stdin, stderr);
    expect(await read({ SKELDIR_SUPERUSER_PASSWORD: 'ours', PGPASSWORD: 'pg' })).toEqual({ ok: true, value: 'ours' });
    expect(await read({ PGPASSWORD: 'pg' })).toEqual({ ok: true, value: 'pg' });
    expect(await read({})).toEqual({ ok: true, value: 'from-file' });
    const missing = await readSuperuserPassword('postgres', { PGPASSFILE: path.join(os.tmpdir(), 'skeldir-no-such-pgpass') }, stdin, stderr);
    expect(!missing.ok && missing.error.remediation).toMatch(/password file .*skeldir-no-such-pgpass/);
  });
});
