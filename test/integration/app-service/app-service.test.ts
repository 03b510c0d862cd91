import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppService, type AppService } from '../../../electron/app-service/app-service';
import { memorySecretStore, SettingsStore } from '../../../electron/app-service/settings-store';
import { readPostmasterPid } from '../../../electron/engine/embedded/postmaster-pid';
import { ensureTestPython } from '../../support/python-env';
import { SKELDIR_FOUNDATION } from '../../support/sample-project';
import { makeTempDir } from '../../support/temp-dir';

/**
 * The service's handler table with the bundled PostgreSQL: several calls that each need
 * the server, made at once, share one start; the parity matrix is read from the
 * fixture's own CI workflow without starting the server at all.
 */
let root: string;
let embeddedDir: string;
let service: AppService;

beforeAll(async () => {
  const python = await ensureTestPython();
  root = makeTempDir('skeldir-service-');
  // The tests run as root and the bundled server as "postgres": it must be able to enter.
  fs.chmodSync(root, 0o755);
  embeddedDir = path.join(root, 'postgres15');
  fs.mkdirSync(embeddedDir, { mode: 0o755 });
  fs.chmodSync(embeddedDir, 0o755);
  service = createAppService({ store: new SettingsStore(path.join(root, 'settings.json'), memorySecretStore()), embeddedDir });
  const saved = await service.handlers.saveSettings({
    connection: { mode: 'embedded', host: 'localhost', port: 5432, superuser: 'postgres' },
    repoDir: SKELDIR_FOUNDATION,
    python,
    profilePath: '',
  });
  expect(saved.ok).toBe(true);
});

afterAll(async () => {
  await service?.dispose();
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

describe('engine service', () => {
  it('reads parity from .github/workflows/ci.yml before any run, without starting the bundled server', async () => {
    const parity = await service.handlers.getParity({});
    expect(parity.ok).toBe(true);
    if (!parity.ok) return;
    expect(parity.value.ci.source).toBe('workflow');
    expect(parity.value.ci.files).toEqual(['.github/workflows/ci.yml']);
    expect(parity.value.rows.map((r) => r.id)).toEqual(['postgres', 'roles', 'database', 'migrations', 'tables', 'guc', 'tests']);
    expect(parity.value.rows.find((r) => r.id === 'postgres')).toMatchObject({ local: 'not checked yet', status: 'warn' });
    // No diagnosis yet: the plan runs every step CI runs.
    expect(parity.value.rows.find((r) => r.id === 'migrations')?.note).toContain('local plan: the same');
    expect(fs.existsSync(path.join(embeddedDir, 'data'))).toBe(false);
  });

  it('shares one start of the bundled server between calls made at once', async () => {
    const [tested, copies, graph] = await Promise.all([
      service.handlers.testConnection({}),
      service.handlers.listCopies({}),
      service.handlers.loadGraph({ withState: true }),
    ]);
    expect(tested.ok, JSON.stringify(tested)).toBe(true);
    expect(copies.ok, JSON.stringify(copies)).toBe(true);
    // Asked of the repository's files, the profile and the server: no template yet, so the next rebuild with drop is cold.
    expect(copies.ok && copies.value.nextRebuild).toEqual({ key: expect.stringMatching(/^[0-9a-f]{64}$/), template: null });
    // A Cancel with no restore under way cancels nothing, and says so.
    expect(await service.handlers.cancelRestore({})).toEqual({ ok: true, value: { cancelled: false } });
    expect(graph.ok && graph.value.stateError, JSON.stringify(graph.ok ? graph.value.stateError : graph)).toBeFalsy();
    const running = readPostmasterPid(path.join(embeddedDir, 'data'));
    expect(running?.alive).toBe(true);
    if (tested.ok) expect(tested.value.port).toBe(running?.port);
    // The cluster's identifier comes with the answer: the app tells servers apart by it.
    expect(tested.ok && tested.value.systemId).toMatch(/^\d{10,20}$/);
    // A later call reuses the running server.
    const again = await service.handlers.testConnection({});
    expect(again.ok && again.value.port).toBe(running?.port);
  });

  it('while a job runs, a second job and a restore are refused in words, naming the job that runs', async () => {
    const finished = new Promise<void>((resolve) => {
      const off = service.onJobEvent((event) => {
        if (event.kind !== 'job-finished') return;
        off();
        resolve();
      });
    });
    const started = await service.handlers.startJob({ kind: 'diagnose' });
    expect(started.ok, JSON.stringify(started)).toBe(true);
    const second = await service.handlers.startJob({ kind: 'diagnose' });
    expect(!second.ok && second.error.message).toMatch(/^A diagnosis is already running \(pid \d+, since /);
    const restore = await service.handlers.restoreSnapshot({ name: 'skeldir_snapshot_x', confirmDatabaseName: 'skeldir_validation' });
    expect(!restore.ok && restore.error.message).toBe('Cannot restore while a diagnosis is running.');
    await finished;
  });

  it('a data folder chosen in Setup moves the bundled server there: the old one stops, its data stays; a relative folder is refused', async () => {
    const settings = await service.handlers.getSettings({});
    expect(settings.ok && settings.value.connection).toMatchObject({ embeddedDir: '', embeddedDefaultDir: embeddedDir });
    const before = readPostmasterPid(path.join(embeddedDir, 'data'));
    expect(before?.alive).toBe(true);
    const defaultCluster = await service.handlers.testConnection({});
    const defaultId = defaultCluster.ok ? defaultCluster.value.systemId : 'unread';

    const stored = {
      connection: { mode: 'embedded' as const, host: 'localhost', port: 5432, superuser: 'postgres' },
      repoDir: SKELDIR_FOUNDATION,
      python: '',
      profilePath: '',
    };
    const relative = await service.handlers.saveSettings({ ...stored, connection: { ...stored.connection, embeddedDir: 'pg-data' } });
    expect(relative.ok).toBe(false);
    if (!relative.ok) {
      expect(relative.error.message).toBe('The bundled PostgreSQL\'s folder must be a full path; "pg-data" is relative.');
      expect(relative.error.action).toBe('choose-bundled-server-folder');
    }
    expect(readPostmasterPid(path.join(embeddedDir, 'data'))?.alive).toBe(true);

    // A job using the bundled server keeps it: moving the folder then is refused, and nothing is stopped.
    const job = await service.handlers.startJob({ kind: 'diagnose' });
    expect(job.ok, JSON.stringify(job)).toBe(true);
    const during = await service.handlers.saveSettings({ ...stored, connection: { ...stored.connection, embeddedDir: path.join(root, 'elsewhere') } });
    expect(during.ok).toBe(false);
    if (!during.ok) expect(during.error.message).toBe('A diagnosis is using the bundled PostgreSQL: its server cannot be stopped or moved now.');
    await service.settle();
    expect(readPostmasterPid(path.join(embeddedDir, 'data'))?.alive).toBe(true);
    const unchanged = await service.handlers.getSettings({});
    expect(unchanged.ok && unchanged.value.connection.embeddedDir).toBe('');

    const elsewhere = path.join(root, 'other disk', 'postgres15');
    fs.mkdirSync(elsewhere, { recursive: true, mode: 0o755 });
    fs.chmodSync(path.dirname(elsewhere), 0o755);
    const moved = await service.handlers.saveSettings({ ...stored, connection: { ...stored.connection, embeddedDir: elsewhere } });
    expect(moved.ok && moved.value.connection.embeddedDir).toBe(elsewhere);
    // The server of the old folder stopped with the save; its data is still there.
    expect(readPostmasterPid(path.join(embeddedDir, 'data'))).toBeNull();
    expect(fs.existsSync(path.join(embeddedDir, 'data', 'PG_VERSION'))).toBe(true);

    const tested = await service.handlers.testConnection({});
    expect(tested.ok, JSON.stringify(tested)).toBe(true);
    const now = readPostmasterPid(path.join(elsewhere, 'data'));
    expect(now?.alive).toBe(true);
    if (tested.ok) expect(tested.value.port).toBe(now?.port);
    // Another folder is another cluster: what ran against the old one is told apart by this.
    expect(tested.ok && tested.value.systemId).toMatch(/^\d{10,20}$/);
    expect(tested.ok && tested.value.systemId).not.toBe(defaultId);

    // Back to the default: the chosen folder's server stops, and the default one starts again on use.
    const back = await service.handlers.saveSettings({ ...stored, connection: { ...stored.connection, embeddedDir: '' } });
    expect(back.ok).toBe(true);
    expect(readPostmasterPid(path.join(elsewhere, 'data'))).toBeNull();
    const again = await service.handlers.testConnection({});
    expect(again.ok, JSON.stringify(again)).toBe(true);
    expect(readPostmasterPid(path.join(embeddedDir, 'data'))?.alive).toBe(true);
    // Started again, the default folder's server is the same cluster as before the move.
    expect(again.ok && again.value.systemId).toBe(defaultId);
  });
});
