import type { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openClient, withClient } from '../../../../electron/engine/db/connect';
import { readTablesAndFiles } from '../../../../electron/engine/snapshots/files-look';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../../../support/throwaway-postgres';

/**
 * E1's one catalog read inside the database (sql/e1/select-tables-and-files): the public
 * tables exactly as pg_tables lists them, and, for a rebuild about to drop the database,
 * the user tables' data files and the newest relation file number.
 */
let pg: ThrowawayPostgres;
const DB = 'files_look_db';

async function inside<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const result = await withClient(pg.settings, { database: DB }, 'test', work);
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

beforeAll(async () => {
  pg = await startThrowawayPostgres();
  const admin = await openClient(pg.settings, { database: 'postgres' });
  if (!admin.ok) throw new Error(admin.error.message);
  await admin.value.query(`CREATE DATABASE ${DB}`);
  await admin.value.end();
}, 120_000);

afterAll(async () => {
  await pg?.stop();
});

describe('the tables and their files, in one read', () => {
  it('an empty database: no tables, and still its folder with the newest file number', async () => {
    const { publicTables, look } = await inside(readTablesAndFiles);
    expect(publicTables).toEqual([]);
    expect(look.tables).toEqual([]);
    expect(look.folders).toHaveLength(1);
    expect(look.folders[0].folder).toMatch(/^base\/\d+$/);
    expect(look.folders[0].newest).toBeGreaterThan(0);
  });

  it('public tables as pg_tables lists them (plain and partitioned, by name); files only for user tables that have one', async () => {
    await inside(async (client) => {
      for (const statement of [
        'CREATE TABLE public."Zeta" (id int)',
        'CREATE TABLE public.alpha (id int)',
        'CREATE TABLE public.events (id int, at date) PARTITION BY RANGE (at)',
        "CREATE TABLE public.events_2026 PARTITION OF public.events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')",
        'CREATE TABLE public.alembic_version (version_num varchar(32) PRIMARY KEY)',
        'CREATE SCHEMA audit',
        'CREATE TABLE audit.trail (id int)',
        'CREATE VIEW public.alpha_view AS SELECT * FROM public.alpha',
      ])
        await client.query(statement);
    });
    const { publicTables, look } = await inside(async (client) => {
      // A temporary table of this very session is no user data and has no lasting file.
      await client.query('CREATE TEMPORARY TABLE scratch (id int)');
      return readTablesAndFiles(client);
    });
    const pgTables = await inside(async (client) =>
      (await client.query<{ tablename: string }>("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")).rows.map(
        (r) => r.tablename,
      ),
    );
    expect(publicTables).toEqual(pgTables);
    expect(publicTables).toEqual(['Zeta', 'alembic_version', 'alpha', 'events', 'events_2026']);
    // alembic_version holds no user data; the partitioned parent has no file of its own.
    expect(look.tables.map((table) => table.qualified).sort()).toEqual(['audit.trail', 'public."Zeta"', 'public.alpha', 'public.events_2026']);
    const paths = await inside(async (client) => (await client.query<{ path: string }>("SELECT pg_relation_filepath('public.alpha') AS path")).rows[0].path);
    expect(look.tables.find((table) => table.qualified === 'public.alpha')?.path).toBe(paths);
    // `newest` covers every table file the read listed: a later table or rewrite gets a higher number.
    const newestNow = look.folders[0].newest;
    for (const table of look.tables) expect(Number(table.path.split('/').pop())).toBeLessThanOrEqual(newestNow);
  });
});
