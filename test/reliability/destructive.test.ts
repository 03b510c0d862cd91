import * as fs from 'node:fs';
import { freshSessions } from '../../electron/engine/db/run-sessions';
import * as net from 'node:net';
import * as path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { memorySecretStore, SettingsStore } from '../../electron/app-service/settings-store';
import { createAppService } from '../../electron/app-service/app-service';
import { bootstrap } from '../../electron/engine/gates/bootstrap/bootstrap';
import { openClient } from '../../electron/engine/db/open-client';
import { checkDestructiveAllowed } from '../../electron/engine/safety/destructive-guard';
import { SKELDIR_PROFILE } from '../../shared/profile/skeldir-profile';
import type { RunReport } from '../../shared/report/report';
import type { AppError } from '../../shared/errors/app-error';
import { runCli } from '../support/run-cli';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../support/throwaway-postgres';
import { adminQuery } from './reliability-helpers';
import { makeTempDir } from '../support/temp-dir';

// Every pg client the engine opens goes through openClient: spying on it shows whether a refused drop connected at all.
vi.mock('../../electron/engine/db/open-client', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../electron/engine/db/open-client')>();
  return { ...original, openClient: vi.fn(original.openClient) };
});

/**
 * Destructive operations: a drop happens only after explicit confirmation (never in a
 * non-interactive run without --yes), never on a non-loopback host without allow-remote
 * (decided on the resolved addresses before any socket opens), never on a database other
 * than the profile's, never on postgres/template0/template1. Every refusal is checked
 * against the server afterwards: the data is still there.
 */
let pg: ThrowawayPostgres;
const dir = makeTempDir('skeldir-destructive-');
beforeAll(async () => {
  pg = await startThrowawayPostgres();
});
afterAll(async () => {
  await pg?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The profile's database, bootstrapped, with a table holding rows: what a drop would lose. */
async function databaseWithRows(): Promise<void> {
  await adminQuery(pg.settings, ['DROP DATABASE IF EXISTS skeldir_validation WITH (FORCE)']);
  const boot = await bootstrap(freshSessions(pg.settings), SKELDIR_PROFILE, { dropExisting: false, confirmed: false, allowRemote: false }, () => undefined);
  expect(boot.ok).toBe(true);
  await adminQuery(pg.settings, ['CREATE TABLE precious (id int)', 'INSERT INTO precious VALUES (1), (2), (3)'], [], 'skeldir_validation');
}

async function rowsStillThere(): Promise<void> {
  const rows = await adminQuery<{ n: number }>(pg.settings, 'SELECT count(*)::int AS n FROM precious', [], 'skeldir_validation');
  expect(rows[0].n).toBe(3);
}

const cliEnv = () => ({ SKELDIR_SUPERUSER_PASSWORD: pg.settings.password });
const cliFlags = () => ['--host', '127.0.0.1', '--port', String(pg.settings.port), '--json'];

describe('confirmation', () => {
  beforeEach(databaseWithRows);

  it('a non-interactive run without --yes never drops (no terminal to ask): refused before anything connects, as the app refuses a drop without the typed name', async () => {
    const run = await runCli(['bootstrap', '--drop-existing', ...cliFlags()], cliEnv());
    expect(run.code).toBe(2);
    const { error } = JSON.parse(run.stdout) as { error: AppError };
    expect(error.code).toBe('confirmation-required');
    expect(`${error.message} ${error.remediation}`).toBe(
      'Dropping "skeldir_validation" needs your confirmation. Confirm the drop by giving the database name.',
    );
    expect(error.action).toBe('confirm-drop');
    expect(run.stderr).toContain('(answer the prompt, or pass --yes when not interactive)');
    console.log(`[reliability] --drop-existing without --yes, no terminal -> exit ${run.code}: ${error.message}`);
    await rowsStillThere();
  });

  it('the app drops only when the typed name matches the profile\u2019s database exactly', async () => {
    const store = new SettingsStore(path.join(dir, 'settings.json'), memorySecretStore());
    store.write({
      connection: { mode: 'server', host: '127.0.0.1', port: pg.settings.port, superuser: 'postgres', password: pg.settings.password },
      repoDir: '',
      python: '',
      profilePath: '',
    });
    const service = createAppService({ store });
    try {
      for (const typed of ['skeldir_validatio', 'SKELDIR_VALIDATION', ' skeldir_validation']) {
        const refused = await service.handlers.startJob({
          kind: 'rebuild',
          dropExisting: true,
          confirmDatabaseName: typed,
          skipValidation: true,
          noCache: true,
        });
        expect(refused.ok).toBe(false);
        if (!refused.ok) {
          expect(refused.error.code).toBe('confirmation-required');
          expect(refused.error.message).toBe('To drop the database, type its name "skeldir_validation" exactly.');
        }
      }
      // No name at all: the same refusal the CLI gives without --yes.
      const unconfirmed = await service.handlers.startJob({ kind: 'rebuild', dropExisting: true, skipValidation: true, noCache: true });
      expect(!unconfirmed.ok && unconfirmed.error.message).toBe('Dropping "skeldir_validation" needs your confirmation.');
      await rowsStillThere();
    } finally {
      await service.dispose();
    }
  });
});

describe('only this machine, decided before any socket opens', () => {
  let recorder: net.Server;
  let connections = 0;
  beforeAll(async () => {
    // Stands in for a server: counts every TCP connection, then hangs up.
    recorder = net.createServer((socket) => {
      connections += 1;
      socket.destroy();
    });
    await new Promise<void>((resolve) => recorder.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    await new Promise((resolve) => recorder.close(resolve));
  });
  beforeEach(() => {
    connections = 0;
    vi.mocked(openClient).mockClear();
  });
  const port = () => (recorder.address() as net.AddressInfo).port;

  it('a name that resolves to a private address is refused without any connection (db.example \u2192 10.0.0.5)', async () => {
    const resolved: string[] = [];
    const result = await bootstrap(
      freshSessions({ ...pg.settings, host: 'db.example', port: port() }),
      SKELDIR_PROFILE,
      { dropExisting: true, confirmed: true, allowRemote: false, resolver: async (host) => (resolved.push(host), ['10.0.0.5']) },
      () => undefined,
    );
    expect(resolved).toEqual(['db.example']);
    expect(result.ok).toBe(false);
    expect(result.error?.code).toBe('remote-host-refused');
    expect(result.error?.message).toBe('Refusing to drop a database on a remote server: "db.example" resolves to 10.0.0.5, which is not this machine.');
    expect(result.error?.remediation).toBe('This tool rebuilds local databases. If you really mean that server, confirm it a second time, naming the host.');
    expect(result.error?.action).toBe('allow-remote-server');
    expect(openClient).not.toHaveBeenCalled();
    console.log(`[reliability] drop on a name resolving to 10.0.0.5 -> ${result.error?.message}`);
  });

  it('decided on the addresses, not the name: "localhost" resolving elsewhere is refused; the recording server sees no connection', async () => {
    const resolver = async () => ['127.0.0.1', '10.0.0.5'];
    const refused = await bootstrap(
      freshSessions({ ...pg.settings, host: 'localhost', port: port() }),
      SKELDIR_PROFILE,
      { dropExisting: true, confirmed: true, allowRemote: false, resolver },
      () => undefined,
    );
    expect(refused.error?.code).toBe('remote-host-refused');
    expect(refused.error?.message).toContain('"localhost" resolves to 10.0.0.5');
    expect(openClient).not.toHaveBeenCalled();
    expect(connections).toBe(0);

    // The control: with allow-remote the same call does connect (the recorder hangs up, so it then fails).
    const allowed = await bootstrap(
      freshSessions({ ...pg.settings, host: 'localhost', port: port() }),
      SKELDIR_PROFILE,
      { dropExisting: true, confirmed: true, allowRemote: true, resolver },
      () => undefined,
    );
    expect(allowed.ok).toBe(false);
    expect(allowed.error?.code).not.toBe('remote-host-refused');
    expect(openClient).toHaveBeenCalled();
    expect(connections).toBeGreaterThan(0);
  });

  it('loopback literals and a Unix socket folder pass the check without a resolver', async () => {
    const resolver = vi.fn(async () => ['10.0.0.5']);
    for (const host of ['127.0.0.1', '127.8.9.10', '::1', '/var/run/postgresql']) {
      const verdict = await checkDestructiveAllowed({
        host,
        database: 'skeldir_validation',
        profile: SKELDIR_PROFILE,
        confirmed: true,
        allowRemote: false,
        resolver,
      });
      expect(verdict.ok, host).toBe(true);
    }
    expect(resolver).not.toHaveBeenCalled();
  });
});

describe('only the profile\u2019s database, never a system database', () => {
  beforeEach(databaseWithRows);

  it('a database other than the profile\u2019s is refused', async () => {
    const verdict = await checkDestructiveAllowed({
      host: '127.0.0.1',
      database: 'skeldir_production',
      profile: SKELDIR_PROFILE,
      confirmed: true,
      allowRemote: false,
    });
    expect(verdict.ok).toBe(false);
    if (!verdict.ok) {
      expect(verdict.error.code).toBe('database-protected');
      expect(verdict.error.message).toBe('Refusing to drop "skeldir_production": only the profile\'s database "skeldir_validation" may be dropped.');
    }
    await rowsStillThere();
  });

  for (const system of ['postgres', 'template0', 'template1']) {
    it(`a profile naming "${system}" as its database: bootstrap --drop-existing --yes refuses, ${system} is still there`, async () => {
      const profile = structuredClone(SKELDIR_PROFILE) as unknown as Record<string, any>;
      profile.database.name = system;
      const file = path.join(dir, `${system}.json`);
      fs.writeFileSync(file, JSON.stringify(profile));
      const run = await runCli(['bootstrap', '--drop-existing', '--yes', '--profile', file, ...cliFlags()], cliEnv());
      expect(run.code).toBe(1);
      const report = JSON.parse(run.stdout) as RunReport;
      const drop = report.gates.find((g) => g.id === 'E2')?.steps.find((s) => s.id === 'drop-database');
      expect(drop?.status).toBe('failed');
      expect(drop?.detail).toMatch(new RegExp(`^"${system}" is a system database; Skeldir Rebuild never drops or replaces it\\.`));
      console.log(`[reliability] drop of ${system} -> exit ${run.code}: ${drop?.detail}`);
      const still = await adminQuery<{ n: number }>(pg.settings, 'SELECT count(*)::int AS n FROM pg_database WHERE datname = $1', [system]);
      expect(still[0].n).toBe(1);
      await rowsStillThere();
    });
  }
});
