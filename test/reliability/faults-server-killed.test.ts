import * as fs from 'node:fs';
import { freshSessions } from '../../electron/engine/db/run-sessions';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diagnose } from '../../electron/engine/gates/diagnosis/diagnose';
import { startEmbeddedServer, type EmbeddedServer } from '../../electron/engine/embedded/embedded-server';
import { runPipeline } from '../../electron/engine/pipeline/run-pipeline';
import { SKELDIR_PROFILE } from '../../shared/profile/skeldir-profile';
import { ensureTestPython } from '../support/python-env';
import { copyFixture, SKELDIR_FOUNDATION } from '../support/sample-project';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../support/throwaway-postgres';
import { addRevision, isAlive, processesMentioning, SAMPLE_HEAD, waitFor } from './reliability-helpers';

/**
 * Fault: PostgreSQL dies in the middle of R4 (SIGKILL of the postmaster, the harshest
 * crash short of pulling the plug). The run must end promptly with a finding that names
 * the revision, leave no Alembic process behind, and once the server is back E1 must
 * show alembic_version as it was before the interrupted step (its transaction rolled back).
 */
let pg: ThrowawayPostgres;
let python: string;
let repo: string;
let restarted: EmbeddedServer | null = null;
let serverDir: string;
const SLOW = '202512160000';

beforeAll(async () => {
  [pg, python] = await Promise.all([startThrowawayPostgres(), ensureTestPython()]);
  serverDir = path.dirname(pg.server.dataDir);
  repo = copyFixture(SKELDIR_FOUNDATION);
  addRevision(repo, SLOW, SAMPLE_HEAD, ['op.execute("SELECT pg_sleep(120)")'], 'slow_backfill');
});
afterAll(async () => {
  if (restarted) await restarted.stop();
  else await pg?.stop();
  if (serverDir) fs.rmSync(serverDir, { recursive: true, force: true });
  if (repo) fs.rmSync(path.dirname(repo), { recursive: true, force: true });
});

describe('PostgreSQL killed during R4', () => {
  it('ends with "connection lost during revision X", no hang, nothing left running; after a restart E1 shows the step rolled back', async () => {
    const postmaster = pg.server.pid;
    expect(postmaster).toBeGreaterThan(0);
    let killedAt = 0;
    const started = Date.now();
    const report = await runPipeline(
      {
        command: 'rebuild',
        gates: ['E1', 'E2', 'E3', 'R4', 'VERIFY'],
        settings: pg.settings,
        profile: SKELDIR_PROFILE,
        repoDir: repo,
        pythonFlag: python,
        bootstrap: { dropExisting: false, confirmed: false, allowRemote: false },
        explicitTargets: ['202511131121', SLOW],
      },
      (event) => {
        if (event.kind === 'progress' && event.label.startsWith(SLOW) && !killedAt) {
          killedAt = Date.now();
          // Let pg_sleep start on the server, then crash the whole server.
          setTimeout(() => process.kill(postmaster as number, 'SIGKILL'), 700);
        }
      },
    );
    expect(killedAt).toBeGreaterThan(0);
    // No hang: the run ends within seconds of the crash, not when pg_sleep(120) would have.
    expect(Date.now() - killedAt).toBeLessThan(30_000);
    expect(Date.now() - started).toBeLessThan(90_000);

    const r4 = report.gates.find((g) => g.id === 'R4');
    expect(r4?.status).toBe('failed');
    expect(r4?.steps.map((s) => s.status)).toEqual(['passed', 'failed']);
    const lost = report.findings.find((f) => f.id === 'MIGRATION-CONNECTION-LOST');
    expect(lost?.evidence).toMatch(new RegExp(`^connection lost during revision ${SLOW}: `));
    console.log(`[reliability] server killed during R4 -> ${lost?.title}: ${lost?.evidence}`);
    expect(report.gates.find((g) => g.id === 'VERIFY')?.status).toBe('blocked');
    expect(processesMentioning(path.join(repo, 'alembic.ini'))).toEqual([]);

    // The server is back (same data folder, same port): crash recovery replays the WAL.
    expect(await waitFor(() => !isAlive(postmaster as number), 10_000)).toBe(true);
    // The crash left its postmaster.pid behind: the next start must see that its pid is dead.
    expect(fs.readFileSync(path.join(pg.server.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]).toBe(String(postmaster));
    const logs: string[] = [];
    const onLog = (line: string) => logs.push(line);
    let again = await startEmbeddedServer({ dir: serverDir, persistent: true, port: pg.settings.port, onLog });
    // Backends of the killed postmaster may need a moment to notice and release shared memory.
    for (let attempt = 0; !again.ok && attempt < 10; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      again = await startEmbeddedServer({ dir: serverDir, persistent: true, port: pg.settings.port, onLog });
    }
    if (!again.ok) throw new Error(`${again.error.message}\n${again.error.detail ?? ''}`);
    restarted = again.value;
    expect(restarted.attached).toBe(false);
    expect(logs.join('\n')).toContain(`removed a stale postmaster.pid (pid ${postmaster} is not running) left by an earlier crash`);

    const e1 = await diagnose(freshSessions(restarted.settings), SKELDIR_PROFILE, () => undefined);
    expect(e1.gate.status).toBe('passed');
    // Step 1 had committed; step 2 (celery branch, merge, the slow revision) was one transaction and left nothing.
    expect(e1.state.database?.alembicVersion).toEqual(['202511131121']);
    expect(e1.state.database?.tables).toEqual(expect.arrayContaining(['tenants']));
    expect(e1.state.database?.missingTables).toEqual(expect.arrayContaining(['kombu_queue', 'worker_failed_jobs', 'attribution_recompute_jobs']));
  });

  it('a bundled server that crashed does not hang stop() (the app\u2019s quit and the CLI\u2019s exit wait for it)', async () => {
    if (!restarted) throw new Error('needs the restarted server of the previous test');
    const server = restarted;
    process.kill(server.pid as number, 'SIGKILL');
    expect(await waitFor(() => !isAlive(server.pid as number), 10_000)).toBe(true);
    const started = Date.now();
    const outcome = await Promise.race([server.stop().then(() => 'stopped'), new Promise((resolve) => setTimeout(() => resolve('hung'), 10_000))]);
    expect(outcome).toBe('stopped');
    expect(Date.now() - started).toBeLessThan(5_000);
    restarted = null;
    pg = { ...pg, stop: async () => undefined };
  });

  it('a postmaster.pid whose process lives but does not answer is explained, not deleted', async () => {
    const dir = fs.mkdtempSync(path.join(path.dirname(serverDir), 'skeldir-stale-'));
    try {
      const dataDir = path.join(dir, 'data');
      fs.mkdirSync(dataDir);
      // Our own pid: certainly alive, certainly not a PostgreSQL on that port.
      const pidFile = path.join(dataDir, 'postmaster.pid');
      fs.writeFileSync(pidFile, `${process.pid}\n${dataDir}\n0\n1\n`);
      const result = await startEmbeddedServer({ dir, persistent: true });
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.error.message).toBe(`A process (pid ${process.pid}) holds the bundled PostgreSQL data folder ${dataDir} but does not answer on port 1.`);
      expect(result.error.remediation).toContain(`end process ${process.pid} or delete ${pidFile}`);
      console.log(`[reliability] postmaster.pid of a live non-server process -> ${result.error.message}`);
      expect(fs.existsSync(pidFile)).toBe(true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
