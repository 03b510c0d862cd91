import { spawn, type ChildProcess } from 'node:child_process';
import { expect } from 'vitest';
import type { ConnectionSettings } from '../../shared/contract/connection';
import { openClient } from '../../electron/engine/db/connect';
import { freshSessions } from '../../electron/engine/db/run-sessions';
import { bootstrap } from '../../electron/engine/gates/bootstrap/bootstrap';
import { runPipeline } from '../../electron/engine/pipeline/run-pipeline';
import { SKELDIR_PROFILE } from '../../shared/profile/skeldir-profile';
import { useFixtureCluster, type FixtureCluster } from '../support/fixture-cluster';
import { CLI_PATH } from '../support/run-cli';

/**
 * Small tools the reliability tests share: one-off superuser queries for "what is really
 * on the server" assertions. Extra revisions and the look at /proc for processes left
 * behind live in test/support, shared with the integration tests.
 */
export { addRevision, SAMPLE_HEAD } from '../support/sample-project';
export { processesMentioning } from '../support/processes';
export type { FixtureCluster } from '../support/fixture-cluster';

/** The revision the sample project's first planned step reaches; extra revisions on top of the head are then one `migrate` away. */
export const FIRST_STEP = '202511131121';

/**
 * A throwaway cluster with the sample project (changed by `prepare`: a slow or faulty revision,
 * a suite) bootstrapped and migrated to FIRST_STEP, so each test runs only the step it breaks.
 */
export function useClusterAtFirstStep(prepare: (repo: string) => void): FixtureCluster {
  return useFixtureCluster(async ({ pg, python, repo }) => {
    prepare(repo);
    const first = await runPipeline(
      {
        command: 'test',
        gates: ['E1', 'E2', 'E3', 'R4'],
        settings: pg.settings,
        profile: SKELDIR_PROFILE,
        repoDir: repo,
        pythonFlag: python,
        bootstrap: { dropExisting: false, confirmed: false, allowRemote: false },
        explicitTargets: [FIRST_STEP],
      },
      () => undefined,
    );
    expect(first.gates.map((g) => g.status)).toEqual(['passed', 'passed', 'passed', 'passed']);
  });
}

/** The CLI as a child process against the cluster's server and project, printing JSON; the superuser password travels in the environment only. */
export function spawnCli(cluster: FixtureCluster, args: string[]): ChildProcess {
  return spawn(
    process.execPath,
    [CLI_PATH, ...args, '--host', '127.0.0.1', '--port', String(cluster.pg.settings.port), '--repo', cluster.repo, '--python', cluster.python, '--json'],
    {
      env: { ...process.env, PGPASSWORD: '', SKELDIR_SUPERUSER_PASSWORD: cluster.pg.settings.password },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
}

/** Sessions on the Skeldir database inside an open transaction: a migration in progress, or one that was stopped and not yet rolled back. */
export async function openTransactions(settings: ConnectionSettings): Promise<number> {
  return (await adminQuery(settings, "SELECT 1 FROM pg_stat_activity WHERE datname = 'skeldir_validation' AND state LIKE 'idle in transaction%'")).length;
}

/** Runs statements as the superuser and returns the last one's rows. */
export async function adminQuery<T extends Record<string, unknown> = Record<string, unknown>>(
  settings: ConnectionSettings,
  sql: string | string[],
  params: unknown[] = [],
  database = 'postgres',
): Promise<T[]> {
  const client = await openClient(settings, { database });
  if (!client.ok) throw new Error(client.error.message);
  try {
    let rows: T[] = [];
    for (const statement of Array.isArray(sql) ? sql : [sql]) rows = (await client.value.query<T>(statement, Array.isArray(sql) ? [] : params)).rows;
    return rows;
  } finally {
    await client.value.end();
  }
}

/** Removes the databases and roles of the Skeldir profile, so a test starts from nothing. */
export async function resetSkeldir(settings: ConnectionSettings): Promise<void> {
  await adminQuery(settings, [
    'DROP DATABASE IF EXISTS skeldir_validation WITH (FORCE)',
    'DROP ROLE IF EXISTS app_user',
    'DROP ROLE IF EXISTS app_rw',
    'DROP ROLE IF EXISTS app_ro',
  ]);
}

export async function waitFor(condition: () => boolean | Promise<boolean>, withinMs: number, pollMs = 100): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  while (Date.now() < deadline) {
    if (await condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
  return condition();
}

/** Whether a process still runs (zombies count as gone). */
export { processAlive as isAlive } from '../../electron/engine/platform/process-alive';

/**
 * A fingerprint of every row of every user table of `database` (md5 of the rows in a
 * stable order, per table): equal fingerprints mean a restore gave back the same bytes.
 */
export async function rowsFingerprint(settings: ConnectionSettings, database: string): Promise<Record<string, string>> {
  const tables = await adminQuery<{ q: string }>(
    settings,
    "SELECT format('%I.%I', schemaname, tablename) AS q FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1",
    [],
    database,
  );
  const out: Record<string, string> = {};
  for (const { q } of tables) {
    const row = await adminQuery<{ n: number; h: string | null }>(
      settings,
      `SELECT count(*)::int AS n, md5(string_agg(t::text, E'\\n' ORDER BY t::text)) AS h FROM ${q} t`,
      [],
      database,
    );
    out[q] = `${row[0].n}:${row[0].h ?? ''}`;
  }
  return out;
}

/** Names of the databases on the server. */
export async function databaseNames(settings: ConnectionSettings): Promise<string[]> {
  return (await adminQuery<{ datname: string }>(settings, 'SELECT datname FROM pg_database ORDER BY 1')).map((r) => r.datname);
}

/**
 * The profile's database made by bootstrap, holding a user table `precious` of `rows` rows
 * (`width` × 32 characters each): what the nothing-lost tests must keep through a drop.
 */
export async function bootstrappedWithRows(settings: ConnectionSettings, rows: number, width = 1): Promise<void> {
  const boot = await bootstrap(freshSessions(settings), SKELDIR_PROFILE, { dropExisting: false, confirmed: false, allowRemote: false }, () => undefined);
  if (!boot.ok) throw new Error(`bootstrap failed: ${boot.error?.message ?? ''}`);
  await adminQuery(
    settings,
    ['CREATE TABLE precious (id int, note text)', `INSERT INTO precious SELECT g, repeat(md5(g::text), ${width}) FROM generate_series(1, ${rows}) g`],
    [],
    SKELDIR_PROFILE.database.name,
  );
}
