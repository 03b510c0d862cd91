import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedServer } from '../../electron/engine/embedded/embedded-server';
import { runPipeline } from '../../electron/engine/pipeline/run-pipeline';
import { SKELDIR_PROFILE } from '../../shared/profile/skeldir-profile';
import type { RunReport } from '../../shared/report/report';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../support/throwaway-postgres';
import { adminQuery } from './reliability-helpers';
import { makeTempDir } from '../support/temp-dir';

/**
 * Fault: disk full or permission denied while creating the bundled server's data folder
 * or a safety snapshot. The user gets a clear error saying which, and nothing is dropped.
 *
 * Tests run as root, and root ignores file permissions. So "permission denied" is made
 * in ways that hold for root too: a path under a regular file (no one can create a folder
 * inside a file), a folder the server's own user may not enter (as root the bundled
 * server runs as "postgres"), and the server's data folder made read-only to the server
 * process. "Disk full" needs a small disk: a 20 MB tmpfs, which needs mount rights
 * (CAP_SYS_ADMIN); where the container lacks them that one test says so and is skipped.
 */
const root = makeTempDir('skeldir-disk-');
fs.chmodSync(root, 0o755);
const isRoot = os.userInfo().uid === 0;

function tryMountTmpfs(target: string, size: string): boolean {
  fs.mkdirSync(target, { recursive: true });
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0755`, 'tmpfs', target], { stdio: 'ignore' });
  return mounted.status === 0;
}
const smallDisk = path.join(root, 'small-disk');
const canMount = process.platform === 'linux' && isRoot && tryMountTmpfs(smallDisk, '20m');
if (!canMount) console.log('[reliability] disk-full test skipped: this machine does not allow mounting a small tmpfs (needs root with CAP_SYS_ADMIN)');

afterAll(() => {
  if (canMount) spawnSync('umount', [smallDisk], { stdio: 'ignore' });
  fs.rmSync(root, { recursive: true, force: true });
});

describe('creating the bundled server\u2019s data folder', () => {
  it('a file in the way (a path under a regular file): clear error, nothing created', async () => {
    const file = path.join(root, 'a-file');
    fs.writeFileSync(file, 'not a folder');
    const result = await startEmbeddedServer({ dir: path.join(file, 'pg'), persistent: true });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('embedded-failed');
    expect(result.error.message).toBe(
      `Could not create the bundled PostgreSQL folder at ${path.join(file, 'pg')}: a file is in the way (part of that path is a file, not a folder).`,
    );
    expect(result.error.remediation).toBe('Choose another folder for the bundled PostgreSQL, one that you can write to.');
    expect(result.error.action).toBe('choose-bundled-server-folder');
    console.log(`[reliability] bundled server dir under a file -> ${result.error.message}`);
    expect(fs.readFileSync(file, 'utf8')).toBe('not a folder');
  });

  it('permission denied (a folder the server\u2019s user may not enter): clear error naming the cause', async () => {
    const locked = path.join(root, 'locked');
    // As root the server runs as "postgres": a 0700 folder of root's is closed to it. Otherwise 0555 closes it to us.
    fs.mkdirSync(locked);
    fs.chmodSync(locked, isRoot ? 0o700 : 0o555);
    const dir = path.join(locked, 'pg');
    const result = await startEmbeddedServer({ dir, persistent: true });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('embedded-failed');
    expect(result.error.message).toMatch(/permission was denied\.$/);
    console.log(`[reliability] bundled server dir not accessible -> ${result.error.message}`);
    fs.chmodSync(locked, 0o755);
  });

  it.skipIf(!canMount)('disk full (a 20 MB disk): clear error, no half-made data folder left', async () => {
    const dir = path.join(smallDisk, 'pg');
    const result = await startEmbeddedServer({ dir, persistent: true });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('embedded-failed');
    expect(result.error.message).toBe(`The bundled PostgreSQL could not create its data folder in ${dir}: the disk is full.`);
    expect(result.error.remediation).toMatch(/Free some disk space/);
    console.log(`[reliability] bundled server on a full disk -> ${result.error.message}`);
    // initdb removed what it had written; the next attempt on a bigger disk starts clean.
    expect(fs.existsSync(path.join(dir, 'data', 'PG_VERSION'))).toBe(false);
  });
});

describe('creating a safety snapshot before a drop', () => {
  let pg: ThrowawayPostgres;
  let base: string;
  beforeAll(async () => {
    pg = await startThrowawayPostgres();
    base = path.join(pg.server.dataDir, 'base');
  });
  afterAll(async () => {
    if (base && fs.existsSync(base)) fs.chmodSync(base, 0o700);
    await pg?.stop();
  });

  it('permission denied on the server\u2019s data folder: the drop is vetoed with the reason, the data is still there', async () => {
    const bootstrapRun = (drop: boolean): Promise<RunReport> =>
      runPipeline(
        {
          command: 'bootstrap',
          gates: ['E1', 'E2', 'E3'],
          settings: pg.settings,
          profile: SKELDIR_PROFILE,
          bootstrap: { dropExisting: drop, confirmed: drop, allowRemote: false },
        },
        () => undefined,
      );
    expect((await bootstrapRun(false)).gates.map((g) => g.status)).toEqual(['passed', 'passed', 'passed']);
    await adminQuery(pg.settings, ['CREATE TABLE precious (id int)', 'INSERT INTO precious VALUES (1), (2), (3)'], [], 'skeldir_validation');

    // The snapshot is CREATE DATABASE … TEMPLATE: the server must create a folder under base/. Its
    // process (not root) may not any more.
    fs.chmodSync(base, 0o555);
    const report = await bootstrapRun(true);
    fs.chmodSync(base, 0o700);

    const drop = report.gates.find((g) => g.id === 'E2')?.steps.find((s) => s.id === 'drop-database');
    expect(drop?.status).toBe('failed');
    expect(drop?.detail).toMatch(/^Not dropped: Could not copy "skeldir_validation": permission denied\./);
    console.log(`[reliability] snapshot without permission -> E2: ${drop?.detail}`);
    expect(report.gates.find((g) => g.id === 'E3')?.status).toBe('blocked');
    // Nothing lost: the database and its rows are where they were, and no half-made copy is left.
    const rows = await adminQuery<{ n: number }>(pg.settings, 'SELECT count(*)::int AS n FROM precious', [], 'skeldir_validation');
    expect(rows[0].n).toBe(3);
    const copies = await adminQuery<{ datname: string }>(pg.settings, "SELECT datname FROM pg_database WHERE datname LIKE 'skeldir_validation__%'");
    expect(copies).toEqual([]);
  });

  it.skipIf(!canMount)('disk full on the server\u2019s disk: the drop is vetoed saying so, the data is still there', async () => {
    const serverDisk = path.join(root, 'server-disk');
    expect(tryMountTmpfs(serverDisk, '80m')).toBe(true);
    const started = await startEmbeddedServer({ dir: path.join(serverDisk, 'pg'), persistent: false });
    if (!started.ok) throw new Error(started.error.message);
    const server = started.value;
    try {
      const run = (drop: boolean): Promise<RunReport> =>
        runPipeline(
          {
            command: 'bootstrap',
            gates: ['E1', 'E2', 'E3'],
            settings: server.settings,
            profile: SKELDIR_PROFILE,
            bootstrap: { dropExisting: drop, confirmed: drop, allowRemote: false },
          },
          () => undefined,
        );
      expect((await run(false)).gates.map((g) => g.status)).toEqual(['passed', 'passed', 'passed']);
      await adminQuery(
        server.settings,
        ['CREATE TABLE precious (id int)', 'INSERT INTO precious VALUES (1), (2), (3)', 'CHECKPOINT'],
        [],
        'skeldir_validation',
      );
      // Fill the disk but for a megabyte: far less than a copy of the database needs.
      const filler = path.join(serverDisk, 'filler');
      const stats = fs.statfsSync(serverDisk);
      const fd = fs.openSync(filler, 'w');
      const chunk = Buffer.alloc(1 << 20);
      try {
        for (let i = 0; i < Math.floor((stats.bavail * stats.bsize) / chunk.length) - 1; i += 1) fs.writeSync(fd, chunk);
      } finally {
        fs.closeSync(fd);
      }
      const report = await run(true);
      fs.rmSync(filler);
      const drop = report.gates.find((g) => g.id === 'E2')?.steps.find((s) => s.id === 'drop-database');
      expect(drop?.status).toBe('failed');
      expect(drop?.detail).toMatch(/^Not dropped: Could not copy "skeldir_validation": the server\u2019s disk is full\. Free disk space/);
      console.log(`[reliability] snapshot on a full disk -> E2: ${drop?.detail}`);
      const rows = await adminQuery<{ n: number }>(server.settings, 'SELECT count(*)::int AS n FROM precious', [], 'skeldir_validation');
      expect(rows[0].n).toBe(3);
    } finally {
      await server.stop();
      spawnSync('umount', [serverDisk], { stdio: 'ignore' });
    }
  });
});
