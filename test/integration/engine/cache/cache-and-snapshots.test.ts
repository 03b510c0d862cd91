import * as fs from 'node:fs';
import { freshSessions } from '../../../../electron/engine/db/run-sessions';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openClient } from '../../../../electron/engine/db/connect';
import { dumpSchema, tableChecksums } from '../../../../electron/engine/inspect/schema-dump';
import type { PipelineRequest } from '../../../../electron/engine/pipeline/run-pipeline';
import { listSnapshots, restoreSnapshot, pruneSnapshots, snapshotBeforeDrop } from '../../../../electron/engine/gates/snapshots/safety-snapshots';
import { endSessionsOn } from '../../../../electron/engine/copies/database-copies';
import { clearTemplates } from '../../../../electron/engine/gates/cache/template-cache';
import { templateName } from '../../../../electron/engine/gates/cache/cache-key';
import { scramSha256Verifier } from '../../../../electron/engine/db/scram';
import { SKELDIR_PROFILE } from '../../../../shared/profile/skeldir-profile';
import { runRebuild, useFixtureCluster } from '../../../support/fixture-cluster';

const cluster = useFixtureCluster();

const DB = SKELDIR_PROFILE.database.name;

/** Without R5 unless a test asks for it: the schema, not the suites, is what these tests compare. */
const rebuild = (overrides: Partial<PipelineRequest> = {}) => runRebuild(cluster, { skipValidation: true, ...overrides });

async function dump() {
  const result = await dumpSchema(freshSessions(cluster.pg.settings), DB);
  if (!result.ok) throw new Error(`${result.error.message} ${result.error.detail ?? ''}`);
  return result.value;
}

async function sql(statements: string[], database = DB): Promise<void> {
  const client = await openClient(cluster.pg.settings, { database });
  if (!client.ok) throw new Error(client.error.message);
  try {
    for (const s of statements) await client.value.query(s);
  } finally {
    await client.value.end();
  }
}

describe('template cache', () => {
  let coldDump: Awaited<ReturnType<typeof dump>>;
  let key: string;

  it('a cold rebuild stores a template; the next rebuild restores from it and passes VERIFY and R5', async () => {
    const cold = await rebuild();
    expect(cold.gates.map((g) => g.status)).toEqual(['passed', 'passed', 'passed', 'passed', 'passed', 'skipped']);
    expect(cold.cache).toMatchObject({ status: 'stored', template: expect.stringMatching(/^skeldir_validation__tpl_[0-9a-f]{12}$/) });
    key = cold.cache!.key;
    coldDump = await dump();

    const warm = await rebuild({ skipValidation: false });
    expect(warm.gates.map((g) => `${g.id}:${g.status}`)).toEqual(['E1:passed', 'E2:passed', 'E3:passed', 'R4:passed', 'VERIFY:passed', 'R5:passed']);
    expect(warm.cache).toMatchObject({ status: 'warm', key });
    const r4 = warm.gates.find((g) => g.id === 'R4');
    expect(r4?.steps[0].detail).toMatch(new RegExp(`^restored from template skeldir_validation__tpl_${key.slice(0, 12)} \\(key ${key.slice(0, 12)}`));
  });

  it('warm and cold rebuilds produce identical schema dumps (tables, columns, constraints, indexes, policies, grants, settings, alembic_version)', async () => {
    // R5 of the warm run wrote and cleaned up rows: the schema is what matters here.
    const warmDump = await dump();
    expect(warmDump).toEqual(coldDump);
    expect(warmDump.alembicVersion).toEqual(['202512151400']);
    expect(warmDump.databaseSettings).toEqual(['app.current_tenant_id=00000000-0000-0000-0000-000000000000']);
    expect(warmDump.relationGrants.length).toBeGreaterThan(10);
    expect(warmDump.policies.length).toBeGreaterThan(0);
  });

  it('editing env.py changes the key: every upgrade runs it, so a template made before the edit is never cloned', async () => {
    const envPy = path.join(cluster.repo, 'alembic', 'env.py');
    const original = fs.readFileSync(envPy);
    try {
      fs.appendFileSync(envPy, '\n# an edit to env.py\n');
      const next = await rebuild();
      expect(next.cache).toMatchObject({ status: 'stored' });
      expect(next.cache!.key).not.toBe(key);
      expect(next.gates.find((g) => g.id === 'R4')?.steps.map((s) => s.title)).toEqual([
        'alembic upgrade 202511131121',
        'alembic upgrade skeldir_foundation@head',
      ]);
    } finally {
      fs.writeFileSync(envPy, original);
    }
    // Put back, the file hashes as before: the first template answers again.
    const back = await rebuild();
    expect(back.cache).toMatchObject({ status: 'warm', key });
  });

  it('a profile role created again after the template was made (a new OID) makes the template stale: one cold rebuild, then warm again, VERIFY passing each time', async () => {
    // The template's grants name the old app_ro by OID: cloned, they would go to app_ro_aside.
    await sql(['ALTER ROLE app_ro RENAME TO app_ro_aside'], 'postgres');
    const cold = await rebuild();
    expect(cold.gates.find((g) => g.id === 'E2')?.steps.find((s) => s.id === 'create-role-app_ro')?.status).toBe('passed');
    expect(cold.cache).toMatchObject({ status: 'stored', key });
    expect(cold.gates.find((g) => g.id === 'VERIFY')?.status).toBe('passed');
    const warm = await rebuild();
    expect(warm.cache).toMatchObject({ status: 'warm', key });
    expect(warm.gates.find((g) => g.id === 'VERIFY')?.status).toBe('passed');
    // The prepared copy made from the stale template went with it: the next warm rebuild swaps in a fresh one.
    const again = await rebuild();
    expect(again.cache).toMatchObject({ status: 'warm', key });
    expect(again.gates.find((g) => g.id === 'VERIFY')?.status).toBe('passed');
  });

  it('editing one revision file changes the key: the next rebuild runs cold and refreshes the template; at most 2 are kept', async () => {
    const file = path.join(cluster.repo, 'alembic', 'versions', '001_core_schema', '202511131119_add_materialized_views.py');
    fs.appendFileSync(file, '\n# an edit\n');
    const next = await rebuild();
    const cache = next.cache!;
    expect(cache.status).toBe('stored');
    expect(cache.key).not.toBe(key);
    expect(next.gates.find((g) => g.id === 'R4')?.steps.map((s) => s.title)).toEqual([
      'alembic upgrade 202511131121',
      'alembic upgrade skeldir_foundation@head',
    ]);
    fs.appendFileSync(file, '\n# another edit\n');
    await rebuild();
    const client = await openClient(cluster.pg.settings, { database: 'postgres' });
    if (!client.ok) throw new Error(client.error.message);
    const templates = (await client.value.query("SELECT datname FROM pg_database WHERE datname LIKE 'skeldir_validation__tpl_%'")).rows;
    await client.value.end();
    expect(templates).toHaveLength(2);

    // A profile that keeps 1: the same key as with 2 (how many to keep is not what a
    // rebuild makes), and making the next template drops every older one.
    const keepOne = { ...SKELDIR_PROFILE, templatesKept: 1 };
    const same = await rebuild({ profile: keepOne });
    expect(same.cache!.status).toBe('warm');
    fs.appendFileSync(file, '\n# a third edit\n');
    const newest = await rebuild({ profile: keepOne });
    const newestKey = newest.cache!.key;
    const again = await openClient(cluster.pg.settings, { database: 'postgres' });
    if (!again.ok) throw new Error(again.error.message);
    const left = (await again.value.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE 'skeldir_validation__tpl_%'")).rows;
    await again.value.end();
    expect(left.map((r) => r.datname)).toEqual([templateName(DB, newestKey)]);
  });

  it('housekeeping handed off the way the app does it (started as soon as the run hands it over) prepares the copy the next rebuild swaps in', async () => {
    let housekeeping: Promise<void> = Promise.resolve();
    const report = await rebuild({ defer: (task) => (housekeeping = housekeeping.then(task)) });
    expect(report.gates.every((g) => g.status === 'passed' || g.status === 'skipped')).toBe(true);
    await housekeeping;
    const next = await rebuild();
    const created = next.gates.flatMap((g) => g.steps).find((s) => s.id === 'create-database');
    expect(created?.detail).toMatch(/restored from template skeldir_validation__tpl_[0-9a-f]{12} \(key [0-9a-f]{12}\u2026, its prepared copy swapped in\)/);
  });

  it('--no-cache runs cold and leaves the prepared copy for the next rebuild; clearing the cache drops every template and prepared copy', async () => {
    const copies = async (kind: 'tpl' | 'spare') => {
      const client = await openClient(cluster.pg.settings, { database: 'postgres' });
      if (!client.ok) throw new Error(client.error.message);
      try {
        return (
          await client.value.query<{ datname: string }>('SELECT datname FROM pg_database WHERE starts_with(datname, $1) ORDER BY 1', [`${DB}__${kind}_`])
        ).rows.map((r) => r.datname);
      } finally {
        await client.value.end();
      }
    };
    const spares = await copies('spare');
    expect(spares).toHaveLength(1);
    const cold = await rebuild({ cache: { enabled: false } });
    expect(cold.cache).toBeUndefined();
    expect(cold.gates.find((g) => g.id === 'R4')?.steps).toHaveLength(2);
    expect(await copies('spare')).toEqual(spares);
    const templates = await copies('tpl');
    expect(templates.length).toBeGreaterThan(0);
    const cleared = await clearTemplates(cluster.pg.settings, SKELDIR_PROFILE);
    expect(cleared.ok && [...cleared.value].sort()).toEqual(templates);
    expect(await copies('tpl')).toEqual([]);
    expect(await copies('spare')).toEqual([]);
  });
});

describe('safety snapshots', () => {
  it('a database with rows is snapshotted before the drop and restored byte-for-byte', async () => {
    await sql([
      "INSERT INTO tenants (id, name, api_key_hash) VALUES ('11111111-1111-1111-1111-111111111111', 'Acme \u00e9\u00e8 \u2713', 'h1'), ('22222222-2222-2222-2222-222222222222', 'Globex', 'h2')",
    ]);
    const before = await tableChecksums(freshSessions(cluster.pg.settings), DB);
    if (!before.ok) throw new Error(before.error.message);
    expect(before.value['public.tenants'].rows).toBe(2);

    const dropped = await rebuild({ cache: { enabled: false } });
    expect(dropped.gates.every((g) => g.status === 'passed' || g.status === 'skipped')).toBe(true);
    const snapshotName = dropped.snapshot!;
    expect(snapshotName).toMatch(/^skeldir_validation__snap_\d{14}$/);
    expect(dropped.gates[1].steps[0].detail).toContain(`safety snapshot ${snapshotName} taken first`);
    const emptied = await tableChecksums(freshSessions(cluster.pg.settings), DB);
    expect(emptied.ok && emptied.value['public.tenants'].rows).toBe(0);

    const restored = await restoreSnapshot(cluster.pg.settings, SKELDIR_PROFILE, snapshotName);
    if (!restored.ok) throw new Error(restored.error.message);
    expect(restored.value.previous).toMatch(/^skeldir_validation__snap_/);
    const after = await tableChecksums(freshSessions(cluster.pg.settings), DB);
    if (!after.ok) throw new Error(after.error.message);
    expect(after.value).toEqual(before.value);
    const settings = (await dump()).databaseSettings;
    expect(settings).toEqual(['app.current_tenant_id=00000000-0000-0000-0000-000000000000']);
  });

  it('lists snapshots with size and time, and prunes to the newest N', async () => {
    const client = await openClient(cluster.pg.settings, { database: 'postgres' });
    if (!client.ok) throw new Error(client.error.message);
    const list = await listSnapshots(client.value, DB);
    await client.value.end();
    expect(list.length).toBe(2);
    expect(list[0].sizeBytes).toBeGreaterThan(1_000_000);
    expect(Date.parse(list[0].createdAt ?? '')).toBeGreaterThan(0);
    const typo = await restoreSnapshot(cluster.pg.settings, SKELDIR_PROFILE, `${DB}__snap_typo`);
    expect(typo.ok).toBe(false);
    if (!typo.ok) expect(typo.error.remediation).toBe(`Give one of the existing snapshots' names (newest last): ${list[0].name}, ${list[1].name}.`);
    // Only confirmed names of this database's snapshots go: a name that is not one of them is ignored.
    const pruned = await pruneSnapshots(cluster.pg.settings, SKELDIR_PROFILE, [list[0].name, 'postgres']);
    expect(pruned.ok && pruned.value).toEqual([list[0].name]);
  });

  it('a database without rows (untouched, or whose rows were deleted) needs no snapshot', async () => {
    // The database holds the restored rows: this rebuild snapshots them and leaves it untouched.
    const fresh = await rebuild({ cache: { enabled: false } });
    expect(fresh.snapshot).toMatch(/^skeldir_validation__snap_/);
    const untouched = await rebuild({ cache: { enabled: false } });
    const untouchedDrop = untouched.gates.find((g) => g.id === 'E2')?.steps.find((s) => s.id === 'drop-database');
    expect(untouchedDrop?.detail).toBe(`dropped ${DB}; no rows in user tables, no snapshot needed`);
    expect(untouched.snapshot).toBeUndefined();

    await sql(["INSERT INTO tenants (id, name, api_key_hash) VALUES ('44444444-4444-4444-4444-444444444444', 'Gone', 'h4')", 'DELETE FROM tenants']);
    const deleted = await rebuild({ cache: { enabled: false } });
    const deletedDrop = deleted.gates.find((g) => g.id === 'E2')?.steps.find((s) => s.id === 'drop-database');
    expect(deletedDrop?.detail).toBe(`dropped ${DB}; no rows in user tables, no snapshot needed`);
    expect(deleted.snapshot).toBeUndefined();
  });

  describe('rows written just before the drop are snapshotted', () => {
    const LATE_ROW = "INSERT INTO tenants (id, name, api_key_hash) VALUES ('55555555-5555-5555-5555-555555555555', 'Late writer', 'h5')";

    async function dropCheckAfterLateWrite(writes: string[], writerStays: boolean) {
      const writer = await openClient(cluster.pg.settings, { database: DB });
      const admin = await openClient(cluster.pg.settings, { database: 'postgres' });
      if (!writer.ok || !admin.ok) throw new Error('could not connect');
      writer.value.on('error', () => undefined); // it may be ended by the drop step
      try {
        for (const statement of writes) await writer.value.query(statement);
        if (!writerStays) await writer.value.end();
        const beforeDrop = snapshotBeforeDrop(freshSessions(cluster.pg.settings), SKELDIR_PROFILE);
        const decided = await beforeDrop(admin.value, () => endSessionsOn(freshSessions(cluster.pg.settings), admin.value, DB));
        expect(decided.ok && decided.note).toMatch(/^safety snapshot skeldir_validation__snap_\d{14}(_\d+)? taken first \(1 table held rows\)/);
        if (writerStays) await expect(writer.value.query('SELECT 1')).rejects.toThrow();
        const taken = decided.ok ? decided.snapshot : undefined;
        expect(taken).toMatch(/^skeldir_validation__snap_/);
        // The snapshot holds the late writer's row: restoring it brings the row back.
        const restored = await restoreSnapshot(cluster.pg.settings, SKELDIR_PROFILE, taken ?? '');
        if (!restored.ok) throw new Error(restored.error.message);
        const back = await tableChecksums(freshSessions(cluster.pg.settings), DB);
        if (!back.ok) throw new Error(back.error.message);
        expect(back.value['public.tenants'].rows).toBe(1);
      } finally {
        await writer.value.end().catch(() => undefined);
        await admin.value.end();
      }
    }

    it('by a session still connected: the drop step ends it before the check', async () => {
      await rebuild({ cache: { enabled: false } });
      await dropCheckAfterLateWrite([LATE_ROW], true);
    });

    it('by a session already gone', async () => {
      await rebuild({ cache: { enabled: false } });
      await dropCheckAfterLateWrite([LATE_ROW], false);
    });

    it('into a table rewritten by a session still connected', async () => {
      await rebuild({ cache: { enabled: false } });
      await dropCheckAfterLateWrite(['TRUNCATE tenants CASCADE', LATE_ROW], true);
    });

    it('into a table rewritten by a session already gone', async () => {
      await rebuild({ cache: { enabled: false } });
      await dropCheckAfterLateWrite(['TRUNCATE tenants CASCADE', LATE_ROW], false);
    });
  });

  it('a snapshot that cannot be taken (permission denied) vetoes the drop and says why; nothing is lost', async () => {
    await sql(["INSERT INTO tenants (id, name, api_key_hash) VALUES ('33333333-3333-3333-3333-333333333333', 'Keep me', 'h3')"]);
    const before = await tableChecksums(freshSessions(cluster.pg.settings), DB);
    // A role that may create databases and roles but does not own skeldir_validation: PostgreSQL
    // refuses it a copy of the database, which is what a real permission problem looks like.
    await sql([`CREATE ROLE builder LOGIN CREATEDB CREATEROLE PASSWORD '${scramSha256Verifier('builder-pw')}'`], 'postgres');
    const report = await rebuild({ cache: { enabled: false }, settings: { ...cluster.pg.settings, superuser: 'builder', password: 'builder-pw' } });
    const drop = report.gates.find((g) => g.id === 'E2')?.steps[0];
    expect(drop?.status).toBe('failed');
    expect(drop?.detail).toMatch(/^Not dropped: .*skeldir_validation.*permission denied/i);
    expect(report.gates.find((g) => g.id === 'E3')?.status).toBe('blocked');
    const after = await tableChecksums(freshSessions(cluster.pg.settings), DB);
    expect(after).toEqual(before);
  });
});
