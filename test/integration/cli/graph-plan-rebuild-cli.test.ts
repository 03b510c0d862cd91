import { spawn } from 'node:child_process';
import { freshSessions } from '../../../electron/engine/db/run-sessions';
import * as fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../../../shared/report/report';
import { ensureTestPython } from '../../support/python-env';
import { withClient } from '../../../electron/engine/db/connect';
import { startEmbeddedServer } from '../../../electron/engine/embedded/embedded-server';
import { freePort } from '../../../electron/engine/embedded/free-port';
import { CLI_PATH, runCli } from '../../support/run-cli';
import { addRevision, copyFixture, SAMPLE_HEAD, SKELDIR_FOUNDATION } from '../../support/sample-project';
import { makeTempDir } from '../../support/temp-dir';

const embeddedDir = makeTempDir('skeldir-cli-rebuild-');
fs.chmodSync(embeddedDir, 0o755);
let python: string;
beforeAll(async () => {
  python = await ensureTestPython();
});
afterAll(() => fs.rmSync(embeddedDir, { recursive: true, force: true }));

describe('skeldir-rebuild graph / plan / migrate --preview / rebuild', () => {
  it('graph --json has the 12 revisions with the documented fields', async () => {
    const run = await runCli(['graph', '--repo', SKELDIR_FOUNDATION, '--json']);
    expect(run.code).toBe(0);
    const graph = JSON.parse(run.stdout) as {
      revisions: { id: string; downRevisions: string[]; branchLabels: string[]; file: string; createDate: string }[];
      heads: string[];
      bases: string[];
      errors: unknown[];
    };
    expect(graph.revisions).toHaveLength(12);
    expect(graph.heads).toEqual(['202512151400']);
    expect([...graph.bases].sort()).toEqual(['202512120900', 'baseline']);
    expect(graph.errors).toEqual([]);
    const merge = graph.revisions.find((r) => r.id === '202512151400');
    expect(merge).toMatchObject({
      downRevisions: ['202511131121', '202512151300'],
      branchLabels: ['skeldir_foundation'],
      file: 'alembic/versions/007_skeldir_foundation/202512151400_merge_skeldir_foundation.py',
    });
    expect(Object.keys(graph.revisions[0]).sort()).toEqual(['branchLabels', 'createDate', 'dependsOn', 'downRevisions', 'file', 'id', 'message']);
  });

  it('plan --from-graph derives 202511131121 then skeldir_foundation@head from the graph alone', async () => {
    const run = await runCli(['plan', '--repo', SKELDIR_FOUNDATION, '--from-graph', '--json']);
    expect(run.code).toBe(0);
    const plan = JSON.parse(run.stdout) as {
      source: string;
      target: string;
      steps: { target: string; revisions: string[] }[];
      graphSteps: { target: string }[];
    };
    expect(plan.source).toBe('graph');
    expect(plan.target).toBe('skeldir_foundation@head');
    expect(plan.steps.map((s) => s.target)).toEqual(['202511131121', 'skeldir_foundation@head']);
    expect(plan.steps.map((s) => s.revisions.length)).toEqual([5, 7]);
    const withProfile = JSON.parse((await runCli(['plan', '--repo', SKELDIR_FOUNDATION, '--json'])).stdout) as { source: string; differs: boolean };
    expect(withProfile).toMatchObject({ source: 'profile', differs: false });
  });

  it('an unknown target is a usage error listing candidates', async () => {
    const run = await runCli(['plan', '--repo', SKELDIR_FOUNDATION, '--target', 'skeldir_fundation@head']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/skeldir_foundation/);
  });

  it('plan with a password but no server says it could not read the database, never "empty database"', async () => {
    const port = await freePort();
    const run = await runCli(['plan', '--repo', SKELDIR_FOUNDATION, '--host', '127.0.0.1', '--port', String(port)], { PGPASSWORD: 'some-password' });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`PostgreSQL is not running on 127.0.0.1:${port} (connection refused).`);
    expect(run.stdout + run.stderr).not.toContain('empty database');
  });

  it('migrate --preview prints each step\u2019s SQL without touching a database', async () => {
    const run = await runCli(['migrate', '--preview', '--repo', SKELDIR_FOUNDATION], { SKELDIR_PYTHON: python });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('-- alembic upgrade --sql 202511131121\n');
    expect(run.stdout).toContain('-- alembic upgrade --sql 202511131121:skeldir_foundation@head\n');
    expect(run.stdout).toMatch(/CREATE TABLE attribution_recompute_jobs/);
  });

  it('migrate --preview gives the whole SQL of a step far longer than one line of the driver may be (seed rows, non-ASCII)', async () => {
    // 3000 seed rows print about 300 KB of SQL in one step: the reader cuts lines at 64 KB.
    const repo = copyFixture(SKELDIR_FOUNDATION);
    addRevision(
      repo,
      '202512160100',
      SAMPLE_HEAD,
      ['for i in range(3000):', '    op.execute(f"INSERT INTO tenants (id, name) VALUES (gen_random_uuid(), \'seed tenant {i} é€😀\')")'],
      'seed_tenants',
    );
    const run = await runCli(['migrate', '--preview', '--repo', repo, '--from-graph', '--target', 'heads', '--json'], { SKELDIR_PYTHON: python });
    expect(run.code, run.stderr).toBe(0);
    const preview = JSON.parse(run.stdout) as { steps: { range: string; sql: string }[] };
    const sql = preview.steps.map((step) => step.sql).join('');
    expect(sql.length).toBeGreaterThan(256 * 1024);
    expect(sql).toContain("'seed tenant 0 é€😀'");
    expect(sql).toContain("'seed tenant 2999 é€😀'");
    expect(sql.match(/seed tenant \d+ /g)).toHaveLength(3000);
    expect(sql).toMatch(/UPDATE alembic_version SET version_num='202512160100'/);
  });

  it('migrate --preview names the revision that fails with a very long error, not a broken driver', async () => {
    const repo = copyFixture(SKELDIR_FOUNDATION);
    addRevision(repo, '202512160200', SAMPLE_HEAD, ['raise RuntimeError("statement too long to show: " + "x" * 100000)'], 'long_error');
    const run = await runCli(['migrate', '--preview', '--repo', repo, '--from-graph', '--target', 'heads'], { SKELDIR_PYTHON: python });
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/Alembic could not produce the SQL for `upgrade --sql [0-9]+:heads`\./);
    expect(run.stderr).toContain('RuntimeError: statement too long to show: xxxx');
    expect(run.stderr).not.toContain('could not be read');
  });

  it('rebuild --embedded --drop-existing --yes --json from nothing passes every gate', async () => {
    const run = await runCli([
      'rebuild',
      '--embedded',
      '--embedded-dir',
      embeddedDir,
      '--repo',
      SKELDIR_FOUNDATION,
      '--python',
      python,
      '--drop-existing',
      '--yes',
      '--json',
    ]);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as RunReport;
    expect(report.gates.map((g) => `${g.id}:${g.status}`)).toEqual(['E1:passed', 'E2:passed', 'E3:passed', 'R4:passed', 'VERIFY:passed', 'R5:passed']);
    const ran = (report.gates[3].details?.ran as { to: string }[]).map((r) => r.to);
    expect(ran).toHaveLength(12);
    expect(ran.slice(0, 5)).toEqual(['baseline', '202511131115', '202511131119', '202511131120', '202511131121']);
    expect(ran.at(-1)).toBe('202512151400');
    const verify = report.gates[4];
    expect(verify.steps.find((s) => s.id === 'tables')?.evidence).toEqual({
      present: ['attribution_allocations', 'attribution_events', 'attribution_recompute_jobs', 'kombu_queue', 'tenants', 'worker_failed_jobs'],
    });
    expect(verify.steps.find((s) => s.id === 'foreign-keys')?.detail).toContain('ON DELETE CASCADE');
    expect(run.stderr).toMatch(/\(12\/12\) 202512151400/);
  });

  it('a rebuild whose output is closed early (`| head`) still runs to its end: exit 0, the database migrated and verified', async () => {
    const databaseOid = async () => {
      const server = await startEmbeddedServer({ dir: embeddedDir, persistent: true });
      if (!server.ok) throw new Error(server.error.message);
      try {
        const read = await withClient(
          freshSessions(server.value.settings),
          { database: 'postgres' },
          'test',
          async (admin) => (await admin.query<{ oid: string }>("SELECT oid FROM pg_database WHERE datname = 'skeldir_validation'")).rows[0]?.oid,
        );
        if (!read.ok) throw new Error(read.error.message);
        return read.value;
      } finally {
        await server.value.stop();
      }
    };
    const before = await databaseOid();
    // The cold rebuild (--no-cache: Alembic runs while nobody reads the output any more).
    const child = spawn(
      process.execPath,
      [
        CLI_PATH,
        'rebuild',
        '--embedded',
        '--embedded-dir',
        embeddedDir,
        '--repo',
        SKELDIR_FOUNDATION,
        '--python',
        python,
        '--drop-existing',
        '--yes',
        '--no-cache',
        '--skip-validation',
      ],
      {
        env: { ...process.env, SKELDIR_SUPERUSER_PASSWORD: '', PGPASSWORD: '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let firstLine = '';
    // Read one chunk, then close both pipes as `head -1` does.
    child.stderr.once('data', (chunk: Buffer) => {
      firstLine = chunk.toString('utf8');
      child.stderr.destroy();
      child.stdout.destroy();
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(firstLine).toContain('bundled PostgreSQL');
    expect(code).toBe(0);
    // A new database, migrated to the head (the run did not stop where its output did).
    expect(await databaseOid()).not.toBe(before);
    const after = await runCli(['diagnose', '--embedded', '--embedded-dir', embeddedDir, '--json']);
    const state = JSON.parse(after.stdout) as RunReport;
    expect(state.database?.alembicVersion).toEqual(['202512151400']);
    expect(state.database?.missingTables).toEqual([]);
  });
});
