import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppService } from '../../electron/app-service/app-service';
import { memorySecretStore, SettingsStore } from '../../electron/app-service/settings-store';
import { openClient } from '../../electron/engine/db/connect';
import type { JobEvent } from '../../shared/contract/events';
import { parentOf, postmasterOf } from '../support/processes';
import {
  addRevision,
  adminQuery,
  isAlive,
  openTransactions,
  processesMentioning,
  SAMPLE_HEAD,
  spawnCli,
  useClusterAtFirstStep,
  waitFor,
} from './reliability-helpers';
import { makeTempDir } from '../support/temp-dir';

/**
 * Issue 19, point 8: Ctrl-C while the server does not answer (SIGSTOP of this test's own
 * throwaway server mid-R4) used to stay at "cancelling…" for minutes. It must end within
 * seconds and say that the server did not answer.
 */
const SLOW = '202512200000';
const children: ChildProcess[] = [];
let postmaster = 0;
const cluster = useClusterAtFirstStep((repo) =>
  addRevision(repo, SLOW, SAMPLE_HEAD, ['op.execute("CREATE TABLE frozen_marker (id int)")', 'time.sleep(600)'], 'frozen'),
);
beforeAll(async () => {
  const client = await openClient(cluster.pg.settings, { database: 'postgres' });
  if (!client.ok) throw new Error(client.error.message);
  postmaster = await postmasterOf(client.value);
  await client.value.end();
});
afterAll(() => {
  signalServer('SIGCONT');
  for (const child of children) if (child.pid && isAlive(child.pid)) child.kill('SIGKILL');
});

/** The throwaway server's processes: its postmaster and that postmaster's children. */
function serverProcesses(): number[] {
  const pids = [postmaster];
  for (const entry of fs.readdirSync('/proc')) if (/^\d+$/.test(entry) && parentOf(Number(entry)) === postmaster) pids.push(Number(entry));
  return pids;
}
function signalServer(signal: 'SIGSTOP' | 'SIGCONT'): void {
  for (const pid of serverProcesses()) {
    try {
      process.kill(pid, signal);
    } catch {
      // gone meanwhile
    }
  }
}

const inTransaction = async () => (await openTransactions(cluster.pg.settings)) > 0;

describe('a cancel while the server does not answer', () => {
  it('Ctrl-C with the server stopped (SIGSTOP) mid-R4 ends within seconds and says the server did not answer', async () => {
    const { pg, repo } = cluster;
    const child = spawnCli(cluster, ['migrate']);
    children.push(child);
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(await waitFor(inTransaction, 90_000, 100)).toBe(true);
    signalServer('SIGSTOP');
    const cancelledAt = Date.now();
    child.kill('SIGINT');
    const ended = await Promise.race([closed.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 30_000))]);
    const seconds = (Date.now() - cancelledAt) / 1000;
    signalServer('SIGCONT');
    console.log(
      `[reliability] Ctrl-C with the server stopped mid-R4 -> CLI ${ended ? `ended after ${seconds.toFixed(1)} s` : 'still running after 30 s'}; ${stderr
        .split('\n')
        .filter((l) => /answer/i.test(l))
        .slice(0, 2)
        .join(' | ')}`,
    );
    expect(ended).toBe(true);
    expect(seconds).toBeLessThan(20);
    expect(stderr + stdout).toMatch(/did not answer/);
    expect(processesMentioning(path.join(repo, 'alembic.ini'))).toEqual([]);
    // Once the server runs again, the stopped migration's transaction is rolled back.
    expect(await waitFor(async () => !(await inTransaction()), 20_000)).toBe(true);
    const marker = await adminQuery<{ t: string | null }>(pg.settings, "SELECT to_regclass('public.frozen_marker')::text AS t", [], 'skeldir_validation');
    expect(marker[0].t).toBeNull();
  }, 240_000);

  it('the app\u2019s cancel with the server stopped mid-R4 gives up within seconds and says so in the job\u2019s events', async () => {
    const { pg, python, repo } = cluster;
    const dir = makeTempDir('skeldir-frozen-app-');
    const store = new SettingsStore(path.join(dir, 'settings.json'), memorySecretStore());
    store.write({
      connection: { mode: 'server', host: '127.0.0.1', port: pg.settings.port, superuser: 'postgres', password: pg.settings.password },
      repoDir: repo,
      python,
      profilePath: '',
    });
    const service = createAppService({ store });
    const events: JobEvent[] = [];
    service.onJobEvent((event) => events.push(event));
    try {
      const started = await service.handlers.startJob({ kind: 'upgrade-to', target: SLOW });
      if (!started.ok) throw new Error(started.error.message);
      expect(await waitFor(inTransaction, 90_000, 100)).toBe(true);
      signalServer('SIGSTOP');
      const cancelledAt = Date.now();
      const cancelled = await Promise.race([
        service.handlers.cancelJob({ jobId: started.value.jobId }),
        new Promise<null>((resolve) => setTimeout(() => resolve(null), 30_000)),
      ]);
      const seconds = (Date.now() - cancelledAt) / 1000;
      signalServer('SIGCONT');
      const finished = events.find((e) => e.kind === 'job-finished');
      const said = events.find((e) => e.kind === 'log-line' && /did not answer/.test(e.line));
      console.log(
        `[reliability] the app's cancel with the server stopped mid-R4 -> ${cancelled ? `answered after ${seconds.toFixed(1)} s` : 'no answer after 30 s'}; job-finished error: ${
          finished?.kind === 'job-finished' ? finished.report.error?.message : 'none'
        }`,
      );
      expect(cancelled).toEqual({ ok: true, value: { cancelled: true } });
      expect(seconds).toBeLessThan(20);
      expect(said).toBeDefined();
      expect(finished?.kind === 'job-finished' && finished.report.error?.code).toBe('cancelled');
      expect(processesMentioning(path.join(repo, 'alembic.ini'))).toEqual([]);
      // Once the server runs again, the stopped migration's transaction is rolled back.
      expect(await waitFor(async () => !(await inTransaction()), 20_000)).toBe(true);
      const marker = await adminQuery<{ t: string | null }>(pg.settings, "SELECT to_regclass('public.frozen_marker')::text AS t", [], 'skeldir_validation');
      expect(marker[0].t).toBeNull();
    } finally {
      signalServer('SIGCONT');
      await service.dispose();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 240_000);
});
