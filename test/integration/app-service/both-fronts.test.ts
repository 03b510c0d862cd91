import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppService, type AppService } from '../../../electron/app-service/app-service';
import { memorySecretStore, SettingsStore } from '../../../electron/app-service/settings-store';
import type { ChannelRequest } from '../../../shared/contract/api';
import type { RunReport } from '../../../shared/report/report';
import { ensureTestPython } from '../../support/python-env';
import { runCli } from '../../support/run-cli';
import { copyFixture, SKELDIR_FOUNDATION } from '../../support/sample-project';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../../support/throwaway-postgres';
import { makeTempDir } from '../../support/temp-dir';

/**
 * One service, two fronts: the same job on the same fixture and server, once through the
 * CLI (`--json`) and once through the app's service as Electron's IPC and the browser host
 * call it (`dispatch` on the contract's channel, the report from the job-finished event),
 * gives the same report once the clock is taken out of it.
 */
let pg: ThrowawayPostgres;
let service: AppService;
let repo: string;
let python: string;
let dir: string;

beforeAll(async () => {
  python = await ensureTestPython();
  pg = await startThrowawayPostgres();
  repo = copyFixture(SKELDIR_FOUNDATION);
  dir = makeTempDir('skeldir-both-fronts-');
  const store = new SettingsStore(path.join(dir, 'settings.json'), memorySecretStore());
  store.write({
    connection: { mode: 'server', host: '127.0.0.1', port: pg.settings.port, superuser: 'postgres', password: pg.settings.password },
    repoDir: repo,
    python,
    profilePath: '',
  });
  service = createAppService({ store });
}, 240_000);

afterAll(async () => {
  await service?.dispose();
  await pg?.stop();
  if (repo) fs.rmSync(path.dirname(repo), { recursive: true, force: true });
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** The report without what only says when it ran or how long it took. */
function timeless(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(timeless);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => !['startedAt', 'durationMs', 'createdAt', 'pid', 'elapsedMs'].includes(key))
      .map(([key, inner]) => [key, timeless(inner)]),
  );
}

async function throughCli(args: string[]): Promise<RunReport> {
  const run = await runCli(
    [...args, '--host', '127.0.0.1', '--port', String(pg.settings.port), '--repo', repo, '--python', python, '--json', '--no-progress'],
    { SKELDIR_SUPERUSER_PASSWORD: pg.settings.password },
  );
  expect(run.stdout, run.stderr).not.toBe('');
  return JSON.parse(run.stdout) as RunReport;
}

async function throughApp(request: ChannelRequest<'startJob'>): Promise<RunReport> {
  let finished: (report: RunReport) => void = () => undefined;
  const report = new Promise<RunReport>((resolve) => (finished = resolve));
  const unsubscribe = service.onJobEvent((event) => {
    if (event.kind === 'job-finished') finished(event.report);
  });
  try {
    const started = await service.dispatch('startJob', request);
    expect(started.ok, JSON.stringify(started)).toBe(true);
    const done = await report;
    await service.settle();
    return done;
  } finally {
    unsubscribe();
  }
}

describe('the same job through the CLI and through the app service', () => {
  it('diagnose: the same report', async () => {
    const cli = await throughCli(['diagnose']);
    const app = await throughApp({ kind: 'diagnose' });
    expect(cli.findings.map((f) => f.id)).toContain('ROLES-MISSING');
    expect(timeless(app)).toEqual(timeless(cli));
  }, 240_000);

  it('rebuild with drop (validation skipped, no cache), each from the state the previous rebuild left: the same report', async () => {
    // The first rebuild makes the state both compared runs start from.
    const first = await throughCli(['rebuild', '--drop-existing', '--yes', '--skip-validation', '--no-cache']);
    expect(first.gates.map((g) => [g.id, g.status])).toEqual([
      ['E1', 'passed'],
      ['E2', 'passed'],
      ['E3', 'passed'],
      ['R4', 'passed'],
      ['VERIFY', 'passed'],
      ['R5', 'skipped'],
    ]);
    const cli = await throughCli(['rebuild', '--drop-existing', '--yes', '--skip-validation', '--no-cache']);
    const app = await throughApp({ kind: 'rebuild', dropExisting: true, confirmDatabaseName: 'skeldir_validation', skipValidation: true, noCache: true });
    expect(cli.gates.every((g) => g.status === 'passed' || g.status === 'skipped')).toBe(true);
    expect(timeless(app)).toEqual(timeless(cli));
  }, 480_000);
});
