import { spawnSync } from 'node:child_process';
import { freshSessions } from '../../electron/engine/db/run-sessions';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrap } from '../../electron/engine/gates/bootstrap/bootstrap';
import { driverScriptPath } from '../../electron/engine/alembic/run-alembic-driver';
import { SKELDIR_PROFILE } from '../../shared/profile/skeldir-profile';
import { ensureTestPython } from '../support/python-env';
import { backendPython, realCorpusUnavailable, requireRealCorpusInCi } from '../support/real-corpus';
import { runCli } from '../support/run-cli';
import { addRevision, copyFixture, SAMPLE_HEAD, SKELDIR_FOUNDATION } from '../support/sample-project';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../support/throwaway-postgres';
import { adminQuery, rowsFingerprint } from './reliability-helpers';

/**
 * Issue 19, point 9: messages that said something untrue or came too late. An alembic.ini
 * with a UTF-8 BOM passed diagnose and failed R4 with MissingSectionHeaderError (after the
 * drop); an empty SKELDIR_SUPERUSER_PASSWORD hid PGPASSWORD; under psycopg 3 a full disk
 * in R4 read as a lost connection (the driver read psycopg2's pgcode only).
 */
let pg: ThrowawayPostgres;
let python: string;
let repo: string;
const DB = SKELDIR_PROFILE.database.name;

beforeAll(async () => {
  [pg, python] = await Promise.all([startThrowawayPostgres(), ensureTestPython()]);
  repo = copyFixture(SKELDIR_FOUNDATION);
  const boot = await bootstrap(freshSessions(pg.settings), SKELDIR_PROFILE, { dropExisting: false, confirmed: false, allowRemote: false }, () => undefined);
  expect(boot.ok).toBe(true);
  await adminQuery(pg.settings, ['CREATE TABLE precious (id int)', 'INSERT INTO precious SELECT generate_series(1, 100)'], [], DB);
});
afterAll(async () => {
  await pg?.stop();
  if (repo) fs.rmSync(path.dirname(repo), { recursive: true, force: true });
});

const flags = () => ['--host', '127.0.0.1', '--port', String(pg.settings.port)];

describe('messages checked before the first destructive step', () => {
  it('an alembic.ini with a UTF-8 BOM is named before anything is dropped', async () => {
    const ini = path.join(repo, 'alembic.ini');
    const original = fs.readFileSync(ini);
    fs.writeFileSync(ini, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), original]));
    try {
      const before = await rowsFingerprint(pg.settings, DB);
      const run = await runCli(['rebuild', '--drop-existing', '--yes', '--skip-validation', '--repo', repo, '--python', python, ...flags()], {
        SKELDIR_SUPERUSER_PASSWORD: pg.settings.password,
      });
      expect(run.code).not.toBe(0);
      expect(run.stderr).toContain('starts with a UTF-8 byte order mark (BOM)');
      console.log(
        `[reliability] alembic.ini with a BOM, rebuild --drop-existing -> exit ${run.code}: ${run.stderr
          .split('\n')
          .find((l) => l.includes('BOM'))
          ?.trim()}`,
      );
      expect(await rowsFingerprint(pg.settings, DB)).toEqual(before);
    } finally {
      fs.writeFileSync(ini, original);
    }
  }, 120_000);

  it('a revision with a syntax error in upgrade() is named before anything is dropped', async () => {
    // The static reader reads only revision/down_revision, so this file parses; Alembic's import of it fails.
    const file = addRevision(repo, '202612010000', SAMPLE_HEAD, ['op.execute("SELECT 1"', 'x = 1'], 'broken');
    try {
      const before = await rowsFingerprint(pg.settings, DB);
      const run = await runCli(['rebuild', '--drop-existing', '--yes', '--skip-validation', '--repo', repo, '--python', python, ...flags()], {
        SKELDIR_SUPERUSER_PASSWORD: pg.settings.password,
      });
      const output = run.stdout + run.stderr;
      expect(run.code).not.toBe(0);
      expect(output).toMatch(/nothing dropped: .*a revision file does not compile/);
      // The rebuild asked for did not happen, so nothing runs on the database it was to replace.
      expect(output).toMatch(/R4 [^\n]*blocked/);
      expect(output).toMatch(/VERIFY [^\n]*blocked/);
      expect(output).toContain(`${path.relative(repo, file).split(path.sep).join('/')}:`);
      console.log(
        `[reliability] revision with a syntax error in upgrade(), rebuild --drop-existing -> exit ${run.code}: ${output
          .split('\n')
          .find((l) => l.includes('does not compile'))
          ?.trim()}`,
      );
      expect(await rowsFingerprint(pg.settings, DB)).toEqual(before);
    } finally {
      fs.rmSync(file);
    }
  }, 120_000);

  it('an empty SKELDIR_SUPERUSER_PASSWORD falls through to PGPASSWORD', async () => {
    const run = await runCli(['diagnose', ...flags()], { SKELDIR_SUPERUSER_PASSWORD: '', PGPASSWORD: pg.settings.password });
    expect(run.stderr).not.toContain('No password');
    expect(run.code).toBe(0);
    const neither = await runCli(['diagnose', ...flags()], { SKELDIR_SUPERUSER_PASSWORD: '', PGPASSWORD: '' });
    expect(neither.code).toBe(2);
    expect(neither.stderr).toContain('SKELDIR_SUPERUSER_PASSWORD and PGPASSWORD are set but empty');
    console.log(
      `[reliability] empty SKELDIR_SUPERUSER_PASSWORD, PGPASSWORD set -> exit ${run.code}; both empty -> ${neither.stderr.split('\n').slice(0, 2).join(' ').trim()}`,
    );
  }, 60_000);
});

describe.skipIf(Boolean(realCorpusUnavailable()) && process.env.CI !== 'true')('psycopg 3 (the real backend\u2019s driver)', () => {
  it('the driver reads psycopg 3\u2019s sqlstate: a full disk is 53100, not a lost connection', () => {
    requireRealCorpusInCi();
    const interpreter = backendPython() as string;
    const script = [
      'import importlib.util, json, sys',
      'import psycopg.errors',
      'import sqlalchemy.exc',
      `spec = importlib.util.spec_from_file_location("driver", ${JSON.stringify(driverScriptPath())})`,
      'driver = importlib.util.module_from_spec(spec); spec.loader.exec_module(driver)',
      'orig = psycopg.errors.DiskFull("could not extend file: No space left on device")',
      'wrapped = sqlalchemy.exc.OperationalError("INSERT ...", {}, orig)',
      'print(json.dumps(driver.database_error(wrapped)))',
    ].join('\n');
    const run = spawnSync(interpreter, ['-c', script], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    const [code, message, type] = JSON.parse(run.stdout) as [string, string, string];
    expect(code).toBe('53100');
    expect(type).toBe('DiskFull');
    console.log(`[reliability] psycopg 3 disk full in R4 -> driver reads SQLSTATE ${code} (${type}: ${message})`);
  });
});
