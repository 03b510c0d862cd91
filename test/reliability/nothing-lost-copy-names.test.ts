import * as fs from 'node:fs';
import { freshSessions } from '../../electron/engine/db/run-sessions';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrap } from '../../electron/engine/gates/bootstrap/bootstrap';
import { withClient } from '../../electron/engine/db/connect';
import { takeSnapshot } from '../../electron/engine/gates/snapshots/safety-snapshots';
import { SKELDIR_PROFILE } from '../../shared/profile/skeldir-profile';
import type { Profile } from '../../shared/profile/schema';
import { runCli } from '../support/run-cli';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../support/throwaway-postgres';
import { adminQuery, databaseNames, rowsFingerprint } from './reliability-helpers';
import { makeTempDir } from '../support/temp-dir';

/**
 * Issue 19, point 1: two databases whose names share their first 39 characters (two
 * `--profile` files) each get a snapshot; `prune --keep 0` for one must leave the other's
 * only copy, which must restore byte for byte. Copy names used to be the database name cut
 * to 39 characters and were found by prefix, so the two saw (and pruned) each other's.
 */
let pg: ThrowawayPostgres;
const dir = makeTempDir('skeldir-copy-names-');
const A = 'skeldir_validation_feature_branch_number_0001';
const B = 'skeldir_validation_feature_branch_number_0002';

function profileFor(database: string): { profile: Profile; file: string } {
  const profile: Profile = { ...structuredClone(SKELDIR_PROFILE), database: { name: database, owner: 'app_user' } };
  const file = path.join(dir, `${database}.json`);
  fs.writeFileSync(file, JSON.stringify(profile));
  return { profile, file };
}

beforeAll(async () => {
  pg = await startThrowawayPostgres();
});
afterAll(async () => {
  await pg?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

const env = () => ({ SKELDIR_SUPERUSER_PASSWORD: pg.settings.password });
const flags = () => ['--host', '127.0.0.1', '--port', String(pg.settings.port), '--json'];

describe('copies of two databases sharing a 39-character prefix', () => {
  it('prune for one never removes the other\u2019s only snapshot, which restores byte for byte', async () => {
    expect(A.slice(0, 39)).toBe(B.slice(0, 39));
    const snaps: Record<string, string> = {};
    const before: Record<string, Record<string, string>> = {};
    for (const db of [A, B]) {
      const { profile } = profileFor(db);
      const boot = await bootstrap(freshSessions(pg.settings), profile, { dropExisting: false, confirmed: false, allowRemote: false }, () => undefined);
      expect(boot.ok).toBe(true);
      await adminQuery(
        pg.settings,
        ['CREATE TABLE precious (id int, note text)', `INSERT INTO precious SELECT g, md5('${db}' || g) FROM generate_series(1, 50) g`],
        [],
        db,
      );
      before[db] = await rowsFingerprint(pg.settings, db);
      const taken = await withClient(freshSessions(pg.settings), { database: 'postgres' }, 'snapshot', (admin) =>
        takeSnapshot(freshSessions(pg.settings), admin, db, 'app_user'),
      );
      expect(taken.ok && taken.value.ok).toBe(true);
      if (taken.ok && taken.value.ok) snaps[db] = taken.value.value.name;
    }
    // The names differ (a digest of the full name), both within PostgreSQL's 63 bytes.
    expect(snaps[A]).not.toBe(snaps[B]);
    for (const name of Object.values(snaps)) expect(name.length).toBeLessThanOrEqual(63);

    // Each profile lists exactly its own snapshot.
    for (const db of [A, B]) {
      const listed = await runCli(['snapshots', ...flags(), '--profile', profileFor(db).file], env());
      expect(listed.code).toBe(0);
      const names = (JSON.parse(listed.stdout) as { snapshots: { name: string }[] }).snapshots.map((s) => s.name);
      expect(names).toEqual([snaps[db]]);
    }

    const pruned = await runCli(['prune', '--keep', '0', '--yes', ...flags(), '--profile', profileFor(A).file], env());
    expect(pruned.code).toBe(0);
    expect((JSON.parse(pruned.stdout) as { removed: string[] }).removed).toEqual([snaps[A]]);
    const left = await databaseNames(pg.settings);
    expect(left).toContain(snaps[B]);
    expect(left).not.toContain(snaps[A]);
    console.log(`[reliability] prune --keep 0 for ${A} with ${B} sharing 39 characters -> removed ${snaps[A]} only; ${snaps[B]} kept`);

    // B's rows are lost from the database, then come back from its snapshot, byte for byte.
    await adminQuery(pg.settings, ['DELETE FROM precious'], [], B);
    const restored = await runCli(['restore', snaps[B], '--yes', ...flags(), '--profile', profileFor(B).file], env());
    expect(restored.code).toBe(0);
    expect(await rowsFingerprint(pg.settings, B)).toEqual(before[B]);
    // A's database itself was never touched.
    expect(await rowsFingerprint(pg.settings, A)).toEqual(before[A]);
  }, 120_000);
});
