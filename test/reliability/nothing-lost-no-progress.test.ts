import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Client } from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { openClient } from '../../electron/engine/db/connect';
import { runPipeline } from '../../electron/engine/pipeline/run-pipeline';
import { profileSchema } from '../../shared/profile/schema';
import { SKELDIR_PROFILE } from '../../shared/profile/skeldir-profile';
import { addRevision, adminQuery, processesMentioning, SAMPLE_HEAD, useClusterAtFirstStep } from './reliability-helpers';

/**
 * Issue 19, point 8 (the part without a cancel): R4 waited silently up to its 30-minute
 * limit when PostgreSQL made no progress on it. Here a revision waits on a lock another
 * session holds (a backend or psql left open on a developer's machine); with the profile's
 * migrationNoProgressSeconds at 3, R4 must end within seconds, say why, and leave nothing
 * half-done.
 */
const BLOCKED = '202512210000';
const cluster = useClusterAtFirstStep((repo) =>
  addRevision(repo, BLOCKED, SAMPLE_HEAD, ['op.execute("CREATE TABLE no_progress_marker (id int)")', 'op.execute("SELECT count(*) FROM tenants")'], 'blocked'),
);
let holder: Client | null = null;
afterAll(async () => {
  await holder?.end().catch(() => undefined);
});

describe('R4 with no progress from PostgreSQL', () => {
  it('a revision waiting on a lock another session holds ends after migrationNoProgressSeconds, saying so', async () => {
    const { pg, python, repo } = cluster;
    const opened = await openClient(pg.settings, { database: 'skeldir_validation', applicationName: 'someone else' });
    if (!opened.ok) throw new Error(opened.error.message);
    holder = opened.value;
    const holderPid = (await holder.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
    await holder.query('BEGIN');
    await holder.query('LOCK TABLE tenants IN ACCESS EXCLUSIVE MODE');
    const versionBefore = await adminQuery<{ version_num: string }>(
      pg.settings,
      'SELECT version_num FROM alembic_version ORDER BY 1',
      [],
      'skeldir_validation',
    );
    const started = Date.now();
    const logLines: string[] = [];
    const report = await runPipeline(
      {
        command: 'migrate',
        gates: ['E1', 'R4'],
        settings: pg.settings,
        profile: profileSchema.parse({ ...SKELDIR_PROFILE, migrationNoProgressSeconds: 3 }),
        repoDir: repo,
        pythonFlag: python,
      },
      (event) => {
        if (event.kind === 'log-line') logLines.push(event.line);
      },
    );
    const seconds = (Date.now() - started) / 1000;
    const r4 = report.gates.find((g) => g.id === 'R4');
    const failed = r4?.steps.find((s) => s.status === 'failed');
    console.log(`[reliability] R4 waiting on a lock, migrationNoProgressSeconds 3 -> R4 ${r4?.status} after ${seconds.toFixed(1)} s: ${failed?.detail}`);
    expect(r4?.status).toBe('failed');
    expect(failed?.detail).toMatch(/no progress from PostgreSQL for \d+ s \(the migration's session was waiting on a lock/);
    expect(failed?.detail).toContain('migrationNoProgressSeconds');
    // The holder is named at once, while R4 still waits, and again in the verdict.
    const holderNamed = `pid ${holderPid} ("someone else", idle in transaction since `;
    expect(logLines.find((line) => line.startsWith('waiting for a lock held by another session:'))).toContain(holderNamed);
    expect(failed?.detail).toContain(`held by ${holderNamed}`);
    expect(seconds).toBeLessThan(60);
    expect(processesMentioning(path.join(repo, 'alembic.ini'))).toEqual([]);
    await holder.query('ROLLBACK');
    // Nothing half-done: the revision's table is gone with its transaction, alembic_version unchanged, no session left.
    const marker = await adminQuery<{ t: string | null }>(pg.settings, "SELECT to_regclass('public.no_progress_marker')::text AS t", [], 'skeldir_validation');
    expect(marker[0].t).toBeNull();
    expect(await adminQuery(pg.settings, 'SELECT version_num FROM alembic_version ORDER BY 1', [], 'skeldir_validation')).toEqual(versionBefore);
    const left = await adminQuery(pg.settings, "SELECT pid FROM pg_stat_activity WHERE application_name LIKE 'skeldir-rebuild-r4-%'");
    expect(left).toEqual([]);
  }, 180_000);

  it('a test whose driver ignores PGAPPNAME (as asyncpg does) waiting on a lock: R5 still names the holder', async () => {
    const suite = 'backend/tests/test_waits_unnamed.py';
    // An explicit empty name, as a driver that never reads PGAPPNAME leaves it.
    const { otherPid, step, logLines } = await suiteBehindLock(suite, 'os.environ["DATABASE_URL"], application_name=""', 6);
    // The stopped pytest's unnamed session is not ended by R5 (it cannot tell it from a user's): end it here.
    await adminQuery(
      cluster.pg.settings,
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = 'skeldir_validation' AND application_name = ''",
    );
    const named = logLines.find((line) => line.startsWith(`${suite}: waiting for a lock held by another session:`));
    console.log(`[reliability] R5 suite with unnamed sessions waiting on a lock -> ${named ?? 'holder never named'}`);
    expect(named).toContain(`pid ${otherPid} ("someone else", idle in transaction since `);
    expect(step?.detail).toMatch(new RegExp(`^timed out after 6 s while waiting on a lock held by pid ${otherPid} `));
  }, 180_000);

  it('a test waiting on a lock another session holds: R5 names the holder at once, and its time limit ends the suite and the session it left', async () => {
    const suite = 'backend/tests/test_waits_on_a_lock.py';
    const { otherPid, step, logLines } = await suiteBehindLock(suite, 'os.environ["DATABASE_URL"]', 8);
    console.log(`[reliability] R5 suite waiting on a lock, time limit 8 s -> ${step?.status}: ${step?.detail.split('\n')[0]}`);
    const holderNamed = `pid ${otherPid} ("someone else", idle in transaction since `;
    expect(logLines.find((line) => line.startsWith(`${suite}: waiting for a lock held by another session:`))).toContain(holderNamed);
    expect(step?.status).toBe('failed');
    expect(step?.detail).toMatch(new RegExp(`^timed out after 8 s while waiting on a lock held by pid ${otherPid} `));
    // The killed pytest's session, still waiting on the lock, was ended: it cannot run its statement once the lock goes.
    expect(logLines).toContain(`${suite}: ended 1 server session left by the stopped pytest; their transactions rolled back`);
    expect(await adminQuery(cluster.pg.settings, "SELECT pid FROM pg_stat_activity WHERE application_name LIKE 'skeldir-rebuild-r5-%'")).toEqual([]);
    expect(processesMentioning(path.join(cluster.repo, suite))).toEqual([]);
  }, 180_000);
});

/**
 * A suite whose one test reads tenants, connecting with `connectArgs`, run by R5 with a time
 * limit while another session ("someone else") holds an exclusive lock on tenants; the lock
 * is released once R5 is done. Returns the holder's pid, R5's step and the run's log lines.
 */
async function suiteBehindLock(suite: string, connectArgs: string, timeoutSeconds: number) {
  const { pg, python, repo } = cluster;
  const test = [
    'import os',
    'import psycopg2',
    '',
    '',
    'def test_reads_tenants():',
    `    with psycopg2.connect(${connectArgs}) as conn, conn.cursor() as cur:`,
  ];
  fs.writeFileSync(path.join(repo, suite), [...test, '        cur.execute("SELECT count(*) FROM tenants")', ''].join('\n'));
  const opened = await openClient(pg.settings, { database: 'skeldir_validation', applicationName: 'someone else' });
  if (!opened.ok) throw new Error(opened.error.message);
  const other = opened.value;
  try {
    const otherPid = (await other.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
    await other.query('BEGIN');
    await other.query('LOCK TABLE tenants IN ACCESS EXCLUSIVE MODE');
    const logLines: string[] = [];
    const report = await runPipeline(
      {
        command: 'validate',
        gates: ['E1', 'R5'],
        settings: pg.settings,
        profile: profileSchema.parse({ ...SKELDIR_PROFILE, validationSuites: [suite], validationTimeoutSeconds: timeoutSeconds }),
        repoDir: repo,
        pythonFlag: python,
      },
      (event) => {
        if (event.kind === 'log-line') logLines.push(event.line);
      },
    );
    return { otherPid, step: report.gates.find((g) => g.id === 'R5')?.steps[0], logLines };
  } finally {
    await other.query('ROLLBACK').catch(() => undefined);
    await other.end().catch(() => undefined);
  }
}
