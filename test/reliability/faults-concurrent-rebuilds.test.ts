import { spawn, type ChildProcess } from 'node:child_process';
import { freshSessions } from '../../electron/engine/db/run-sessions';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memorySecretStore, SettingsStore } from '../../electron/app-service/settings-store';
import { createAppService, type AppService } from '../../electron/app-service/app-service';
import { bootstrap } from '../../electron/engine/gates/bootstrap/bootstrap';
import { openClient } from '../../electron/engine/db/connect';
import { acquireRebuildLock, advisoryLockKey, defaultLockDir, formatSince, lockFilePath } from '../../electron/engine/safety/rebuild-lock';
import type { JobEvent } from '../../shared/contract/events';
import { SKELDIR_PROFILE } from '../../shared/profile/skeldir-profile';
import type { RunReport } from '../../shared/report/report';
import { ensureTestPython } from '../support/python-env';
import { CLI_PATH, runCli } from '../support/run-cli';
import { copyFixture, SKELDIR_FOUNDATION } from '../support/sample-project';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../support/throwaway-postgres';
import { addRevision, isAlive, processesMentioning, SAMPLE_HEAD, waitFor } from './reliability-helpers';
import { makeTempDir } from '../support/temp-dir';
import { remediationRequest } from '../../electron/engine/remediation/remediation-request';
import { runPipeline } from '../../electron/engine/pipeline/run-pipeline';

/**
 * Fault: two rebuilds at once — two CLI processes, a double click in the app, two app
 * instances, another machine on the same server. The second is refused with "A rebuild is
 * already running (pid …, since …)."; the lock (a lock file plus a PostgreSQL advisory
 * lock) is released when its owner ends, also when it is killed.
 */
const DIST_LOCK = path.resolve(__dirname, '..', '..', 'dist', 'electron', 'engine', 'safety', 'rebuild-lock.js');
const MESSAGE = /^A rebuild is already running \(pid (\d+), since (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)\)\.$/;
/** The same refusal when the holder's lock file says it runs something else ("migrate" → "A migration"). */
const refusal = (run: string) => new RegExp(`^${run} is already running \\(pid (\\d+), since (\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d)\\)\\.$`);
const DB = SKELDIR_PROFILE.database.name;

let pg: ThrowawayPostgres;
let python: string;
let repo: string;
let lockDir: string;
const SLOW = '202512180000';
const children: ChildProcess[] = [];

beforeAll(async () => {
  if (!fs.existsSync(CLI_PATH) || !fs.existsSync(DIST_LOCK)) throw new Error('dist/ is missing or stale: run "npm run build" first (npm test does).');
  [pg, python] = await Promise.all([startThrowawayPostgres(), ensureTestPython()]);
  lockDir = makeTempDir('skeldir-locks-');
  repo = copyFixture(SKELDIR_FOUNDATION);
  addRevision(repo, SLOW, SAMPLE_HEAD, ['op.execute("SELECT pg_sleep(120)")'], 'slow_backfill');
  const boot = await bootstrap(freshSessions(pg.settings), SKELDIR_PROFILE, { dropExisting: false, confirmed: false, allowRemote: false }, () => undefined);
  expect(boot.ok).toBe(true);
});
afterAll(async () => {
  for (const child of children) if (child.pid && isAlive(child.pid)) child.kill('SIGKILL');
  for (const pid of processesMentioning(path.join(repo, 'alembic.ini'))) process.kill(-pid, 'SIGKILL');
  await pg?.stop();
  if (repo) fs.rmSync(path.dirname(repo), { recursive: true, force: true });
  if (lockDir) fs.rmSync(lockDir, { recursive: true, force: true });
});

/** A separate Node process that takes the lock and holds it until killed. */
async function startHolder(dir: string): Promise<ChildProcess> {
  const script = [
    `const { acquireRebuildLock } = require(${JSON.stringify(DIST_LOCK)});`,
    'acquireRebuildLock({ settings: JSON.parse(process.env.HOLDER_SETTINGS), database: process.env.HOLDER_DB, lockDir: process.env.HOLDER_DIR,',
    "  owner: { pid: process.pid, startedAt: new Date().toISOString(), command: 'rebuild' } })",
    "  .then((r) => { console.log(r.ok ? 'LOCKED' : 'REFUSED ' + r.error.message); setInterval(() => {}, 1000); });",
  ].join('\n');
  const child = spawn(process.execPath, ['-e', script], {
    env: { ...process.env, HOLDER_SETTINGS: JSON.stringify(pg.settings), HOLDER_DB: DB, HOLDER_DIR: dir },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  expect(await waitFor(() => out.includes('LOCKED') || out.includes('REFUSED'), 20_000)).toBe(true);
  expect(out.trim()).toBe('LOCKED');
  return child;
}

async function killAndWait(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill(signal);
  await exited;
  expect(isAlive(child.pid as number)).toBe(false);
}

const owner = (command = 'test') => ({ pid: process.pid, startedAt: new Date().toISOString(), command });

describe('the rebuild lock itself', () => {
  it('taking it sweeps the lock files other servers\u2019 runs left when they died, and keeps those of live runs', async () => {
    const dir = makeTempDir('skeldir-locks-sweep-');
    try {
      const dead = spawn(process.execPath, ['-e', '0']);
      await new Promise((resolve) => dead.on('close', resolve));
      const write = (port: number, pid: number) => {
        const file = lockFilePath(dir, { ...pg.settings, port }, DB);
        fs.writeFileSync(file, JSON.stringify({ pid, startedAt: new Date().toISOString(), command: 'rebuild', hostname: os.hostname() }));
        return file;
      };
      const stale = write(1, dead.pid as number);
      const live = write(2, process.pid);
      const lock = await acquireRebuildLock({ settings: pg.settings, database: DB, lockDir: dir, owner: owner() });
      expect(lock.ok).toBe(true);
      if (lock.ok) await lock.value.release();
      expect(fs.existsSync(stale)).toBe(false);
      expect(fs.existsSync(live)).toBe(true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a second process is refused with the owner\u2019s pid and start time, from the lock file', async () => {
    const holder = await startHolder(lockDir);
    const file = lockFilePath(lockDir, pg.settings, DB);
    const content = JSON.parse(fs.readFileSync(file, 'utf8')) as { pid: number; startedAt: string; command: string; hostname: string };
    expect(content).toMatchObject({ pid: holder.pid, command: 'rebuild', hostname: os.hostname() });

    const second = await acquireRebuildLock({ settings: pg.settings, database: DB, lockDir, owner: owner() });
    expect(second.ok).toBe(false);
    if (second.ok) return;
    expect(second.error.code).toBe('rebuild-locked');
    expect(second.error.message).toBe(`A rebuild is already running (pid ${holder.pid}, since ${formatSince(content.startedAt)}).`);
    expect(second.error.message).toMatch(MESSAGE);
    expect(second.error.remediation).toContain(file);
    console.log(`[reliability] second rebuild while one runs -> ${second.error.message}`);
    // The refused run left the holder's file alone.
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual(content);
    await killAndWait(holder);
  });

  it('a fix that re-applies in VERIFY changes the database too: refused while a rebuild holds the lock; a plain verify is not', async () => {
    const holder = await startHolder(defaultLockDir());
    try {
      const fix = remediationRequest('MIGRATION-GRANTS-MISSING', { settings: pg.settings, profile: SKELDIR_PROFILE, repoDir: repo, pythonFlag: python });
      if (!fix.ok) throw new Error(fix.error.message);
      const refused = await runPipeline(fix.value, () => undefined);
      expect(refused.error?.code).toBe('rebuild-locked');
      expect(MESSAGE.exec(refused.error?.message ?? '')?.[1]).toBe(String(holder.pid));
      expect(refused.gates.map((g) => `${g.id}:${g.status}`)).toEqual(['E1:blocked', 'VERIFY:blocked']);

      const verify = await runPipeline(
        { settings: pg.settings, profile: SKELDIR_PROFILE, repoDir: repo, pythonFlag: python, command: 'verify', gates: ['E1', 'VERIFY'] },
        () => undefined,
      );
      expect(verify.error).toBeUndefined();
      expect(verify.gates.find((g) => g.id === 'VERIFY')?.status).not.toBe('blocked');
    } finally {
      await killAndWait(holder);
    }
  });

  it('the server-side lock alone refuses a run on another machine (another lock folder), naming the pid', async () => {
    const elsewhere = makeTempDir('skeldir-locks-other-');
    try {
      const holder = await startHolder(elsewhere);
      const second = await acquireRebuildLock({ settings: pg.settings, database: DB, lockDir, owner: owner() });
      expect(second.ok).toBe(false);
      if (second.ok) return;
      expect(second.error.code).toBe('rebuild-locked');
      expect(second.error.message).toMatch(MESSAGE);
      expect(MESSAGE.exec(second.error.message)?.[1]).toBe(String(holder.pid));
      expect(second.error.detail).toMatch(/server's lock for "skeldir_validation"/);
      // The refusal did not leave a lock file of its own behind.
      expect(fs.existsSync(lockFilePath(lockDir, pg.settings, DB))).toBe(false);
      await killAndWait(holder);
    } finally {
      fs.rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it('is released when its owner is killed (kill -9): the server drops the advisory lock, the dead pid\u2019s file is taken over', async () => {
    const holder = await startHolder(lockDir);
    await killAndWait(holder, 'SIGKILL');
    // The dead owner's file is still there; its session is gone with the process.
    const file = lockFilePath(lockDir, pg.settings, DB);
    expect(fs.existsSync(file)).toBe(true);
    const next = await acquireRebuildLock({ settings: pg.settings, database: DB, lockDir, owner: owner('after crash') });
    expect(next.ok ? 'ok' : next.error).toBe('ok');
    if (!next.ok) return;
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toMatchObject({ pid: process.pid, command: 'after crash' });
    await next.value.release();
    expect(fs.existsSync(file)).toBe(false);
    // Released on the server too: a plain session can take the same key now.
    const client = await openClient(pg.settings, { database: 'postgres' });
    if (!client.ok) throw new Error(client.error.message);
    const locked = await client.value.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS locked', [advisoryLockKey(DB)]);
    expect(locked.rows[0].locked).toBe(true);
    await client.value.end();
  });

  it('a lock folder that cannot be written does not block a run: the server-side lock still serialises', async () => {
    const blocker = path.join(lockDir, 'a-file');
    fs.writeFileSync(blocker, 'not a folder');
    try {
      const first = await acquireRebuildLock({ settings: pg.settings, database: DB, lockDir: path.join(blocker, 'locks'), owner: owner('no folder') });
      expect(first.ok).toBe(true);
      if (!first.ok) return;
      expect(first.value.file).toBeNull();
      const second = await acquireRebuildLock({ settings: pg.settings, database: DB, lockDir, owner: owner() });
      expect(second.ok).toBe(false);
      if (!second.ok) expect(MESSAGE.exec(second.error.message)?.[1]).toBe(String(process.pid));
      await first.value.release();
    } finally {
      fs.rmSync(blocker, { force: true });
    }
  });

  it('different databases do not block each other; release is idempotent', async () => {
    const a = await acquireRebuildLock({ settings: pg.settings, database: DB, lockDir, owner: owner() });
    const b = await acquireRebuildLock({ settings: pg.settings, database: 'other_db', lockDir, owner: owner() });
    expect(a.ok && b.ok).toBe(true);
    if (a.ok) {
      await a.value.release();
      await a.value.release();
    }
    if (b.ok) await b.value.release();
    expect(fs.readdirSync(lockDir)).toEqual([]);
    expect(defaultLockDir()).toBe(path.join(os.tmpdir(), 'skeldir-rebuild-locks'));
  });
});

/** Starts the CLI like a user in a second terminal, keeping hold of the process. */
function startCli(args: string[]): { child: ChildProcess; output: () => { stdout: string; stderr: string }; done: Promise<number | null> } {
  const child = spawn(process.execPath, [CLI_PATH, ...args], {
    env: { ...process.env, SKELDIR_SUPERUSER_PASSWORD: pg.settings.password, PGPASSWORD: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const done = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, output: () => ({ stdout, stderr }), done };
}

const serverFlags = () => ['--host', '127.0.0.1', '--port', String(pg.settings.port), '--repo', repo, '--python', python];

describe('two rebuilds at once', () => {
  it('two CLI processes: the second is refused with the message and exit 1; the first is untouched; the lock goes with the first', async () => {
    const first = startCli(['migrate', ...serverFlags()]);
    expect(await waitFor(() => first.output().stderr.includes(SLOW), 90_000)).toBe(true);

    const second = await runCli(['rebuild', ...serverFlags(), '--skip-validation', '--json'], { SKELDIR_SUPERUSER_PASSWORD: pg.settings.password });
    expect(second.code).toBe(1);
    const report = JSON.parse(second.stdout) as RunReport;
    expect(report.error?.code).toBe('rebuild-locked');
    // The first runs `migrate`: the refusal names it.
    expect(report.error?.message).toMatch(refusal('A migration'));
    expect(refusal('A migration').exec(report.error?.message ?? '')?.[1]).toBe(String(first.child.pid));
    expect(second.stderr).toContain(`error: ${report.error?.message}`);
    expect(report.gates.map((g) => `${g.id}:${g.status}`)).toEqual(['E1:blocked', 'E2:blocked', 'E3:blocked', 'R4:blocked', 'VERIFY:blocked', 'R5:blocked']);
    console.log(`[reliability] two CLI rebuilds -> exit ${second.code}: ${report.error?.message}`);
    expect(isAlive(first.child.pid as number)).toBe(true);

    // Ctrl+C on the first: it ends its Alembic tree and releases the lock.
    first.child.kill('SIGINT');
    // 130, the shell's code for Ctrl+C, once the cancel has finished.
    expect(await first.done).toBe(130);
    expect(first.output().stderr).toContain('cancelled; the running transaction was rolled back');
    expect(fs.existsSync(lockFilePath(defaultLockDir(), { ...pg.settings, host: '127.0.0.1' }, DB))).toBe(false);
    const third = await runCli(['bootstrap', ...serverFlags(), '--json'], { SKELDIR_SUPERUSER_PASSWORD: pg.settings.password });
    expect(third.code, third.stderr).toBe(0);
  });

  it('the app: a double click is refused at once, a second app instance gets the refusal as its job result', async () => {
    const makeService = (name: string): AppService => {
      const dir = makeTempDir(`skeldir-app-${name}-`);
      const store = new SettingsStore(path.join(dir, 'settings.json'), memorySecretStore());
      store.write({
        connection: { mode: 'server', host: '127.0.0.1', port: pg.settings.port, superuser: pg.settings.superuser, password: pg.settings.password },
        repoDir: repo,
        python,
        profilePath: '',
      });
      return createAppService({ store });
    };
    const first = makeService('a');
    const other = makeService('b');
    const events: JobEvent[] = [];
    first.onJobEvent((event) => events.push(event));
    const otherEvents: JobEvent[] = [];
    other.onJobEvent((event) => otherEvents.push(event));
    try {
      const started = await first.handlers.startJob({ kind: 'upgrade-to', target: SLOW });
      if (!started.ok) throw new Error(started.error.message);
      expect(await waitFor(() => events.some((e) => e.kind === 'progress' && e.label.startsWith(SLOW)), 90_000)).toBe(true);

      // Double click: the same app refuses before starting anything.
      const again = await first.handlers.startJob({ kind: 'rebuild', dropExisting: false, skipValidation: true, noCache: true });
      expect(again.ok).toBe(false);
      if (!again.ok) {
        expect(again.error.code).toBe('rebuild-locked');
        expect(again.error.message).toMatch(/^An upgrade is already running \(pid \d+, since \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\)\.$/);
      }

      // A second app instance (another process in real life): its job ends refused by the lock.
      const otherJob = await other.handlers.startJob({ kind: 'rebuild', dropExisting: false, skipValidation: true, noCache: true });
      if (!otherJob.ok) throw new Error(otherJob.error.message);
      expect(await waitFor(() => otherEvents.some((e) => e.kind === 'job-finished'), 30_000)).toBe(true);
      const finished = otherEvents.find((e) => e.kind === 'job-finished');
      const report = finished?.kind === 'job-finished' ? finished.report : null;
      expect(report?.error?.code).toBe('rebuild-locked');
      // The first app runs "Upgrade to here": the other instance hears the same name the first one's own refusal uses.
      expect(report?.error?.message).toMatch(refusal('An upgrade'));
      expect(refusal('An upgrade').exec(report?.error?.message ?? '')?.[1]).toBe(String(process.pid));
      console.log(`[reliability] app double click -> ${again.ok ? '' : again.error.message}; second app instance -> ${report?.error?.message}`);

      const cancelled = await first.handlers.cancelJob({ jobId: started.value.jobId });
      expect(cancelled.ok && cancelled.value.cancelled).toBe(true);
      expect(fs.existsSync(lockFilePath(defaultLockDir(), { ...pg.settings, host: '127.0.0.1' }, DB))).toBe(false);
    } finally {
      await first.dispose();
      await other.dispose();
    }
  });
});
