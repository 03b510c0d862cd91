import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SKELDIR_PROFILE } from '../../shared/profile/skeldir-profile';
import type { RunReport } from '../../shared/report/report';
import { CLI_PATH } from '../support/run-cli';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../support/throwaway-postgres';
import { adminQuery, bootstrappedWithRows, databaseNames, isAlive, rowsFingerprint, waitFor } from './reliability-helpers';

/**
 * Issue 19, point 6: Ctrl-C (and SIGTERM, SIGHUP) while the safety snapshot is being copied.
 * The run used to stop only before R4: E2 dropped the database and E3 made an empty one.
 * Now the drop step looks at the cancel after the snapshot, before the drop.
 */
let pg: ThrowawayPostgres;
const DB = SKELDIR_PROFILE.database.name;

beforeAll(async () => {
  pg = await startThrowawayPostgres();
  // Big enough that copying it takes a while (WAL-logged, block by block).
  await bootstrappedWithRows(pg.settings, 250_000, 6);
}, 120_000);
afterAll(async () => {
  await pg?.stop();
});

describe('a cancel during the safety snapshot copy', () => {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    it(`${signal} while CREATE DATABASE copies: nothing dropped, the database and its rows stay`, async () => {
      const before = await rowsFingerprint(pg.settings, DB);
      const child = spawn(
        process.execPath,
        [CLI_PATH, 'bootstrap', '--drop-existing', '--yes', '--host', '127.0.0.1', '--port', String(pg.settings.port), '--json'],
        {
          env: { ...process.env, PGPASSWORD: '', SKELDIR_SUPERUSER_PASSWORD: pg.settings.password },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let stdout = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
      const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
      const copying = await waitFor(
        async () => (await adminQuery(pg.settings, "SELECT 1 FROM pg_stat_activity WHERE query ILIKE 'CREATE DATABASE%TEMPLATE%'")).length > 0,
        60_000,
        10,
      );
      expect(copying).toBe(true);
      child.kill(signal);
      const code = await closed;
      // Once the cancel has finished, the command ends with the shell's code for the signal (128 + its number).
      expect(code).toBe({ SIGINT: 130, SIGTERM: 143, SIGHUP: 129 }[signal]);
      const report = JSON.parse(stdout) as RunReport;
      const drop = report.gates.find((g) => g.id === 'E2')?.steps.find((s) => s.id === 'drop-database');
      expect(drop?.status).toBe('failed');
      expect(drop?.detail).toMatch(/^Not dropped: the run was cancelled/);
      expect(report.gates.find((g) => g.id === 'E3')?.status).toBe('blocked');
      console.log(`[reliability] ${signal} during the snapshot copy -> exit ${code}; E2: ${drop?.detail}`);
      expect(await rowsFingerprint(pg.settings, DB)).toEqual(before);
      expect((await adminQuery<{ datallowconn: boolean }>(pg.settings, 'SELECT datallowconn FROM pg_database WHERE datname = $1', [DB]))[0].datallowconn).toBe(
        true,
      );
      expect(child.pid !== undefined && isAlive(child.pid)).toBe(false);
      // Tidy: the snapshot taken meanwhile is kept (a copy of the rows), drop it for the next round.
      for (const name of (await databaseNames(pg.settings)).filter((n) => n.startsWith(`${DB}__snap_`)))
        await adminQuery(pg.settings, `DROP DATABASE "${name}"`).catch(() =>
          adminQuery(pg.settings, [`ALTER DATABASE "${name}" IS_TEMPLATE false`, `DROP DATABASE "${name}"`]),
        );
    }, 120_000);
  }
});
