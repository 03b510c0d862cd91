import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CliFailure } from '../../../../electron/cli/cli-outcome';
import { runCompareCommand } from '../../../../electron/cli/commands/compare';
import { parseCli } from '../../../../electron/cli/parse-args';
import { compareBundles, differencesTable } from '../../../../electron/engine/bundle/compare-bundles';
import { renderBundleHtml } from '../../../../electron/engine/bundle/render-html';
import { BUNDLE_FORMAT, BUNDLE_VERSION, bundleFromText, type DiagnosticBundle } from '../../../../shared/bundle/bundle';
import { ciExpectationsFromProfile } from '../../../../shared/parity/ci-expectations';
import { SKELDIR_PROFILE } from '../../../../shared/profile/skeldir-profile';
import { makeTempDir } from '../../../support/temp-dir';

/** Two machines side by side: every area that can differ, and the `compare` command around it. */
function bundle(change: (b: DiagnosticBundle) => void = () => undefined): DiagnosticBundle {
  const b: DiagnosticBundle = {
    format: BUNDLE_FORMAT,
    version: BUNDLE_VERSION,
    createdAt: '2025-12-15T14:00:00.000Z',
    app: { name: 'skeldir-rebuild', version: '0.1.0' },
    profile: { name: SKELDIR_PROFILE.name, database: 'skeldir_validation' },
    server: { host: '127.0.0.1', port: 5432, version: '15.18', major: 15, embedded: false },
    report: {
      command: 'report',
      startedAt: '2025-12-15T14:00:00.000Z',
      server: { host: '127.0.0.1', port: 5432, version: '15.18', major: 15, embedded: false },
      gates: [
        {
          id: 'E1',
          status: 'passed',
          durationMs: 120,
          steps: [{ id: 'roles', title: 'Roles', status: 'passed', detail: 'present: app_ro, app_rw, app_user' }],
        },
      ],
      findings: [],
      database: {
        name: 'skeldir_validation',
        exists: true,
        owner: 'app_user',
        roles: ['app_ro', 'app_rw', 'app_user'],
        missingRoles: [],
        tables: ['alembic_version', 'tenants'],
        missingTables: [],
        otherTables: ['alembic_version'],
        guc: { 'app.current_tenant_id': '0' },
        missingGucs: [],
        alembicVersion: ['202512151400'],
        connections: [],
      },
    },
    lastRun: null,
    graph: null,
    overlay: null,
    plan: null,
    parity: [],
    ci: ciExpectationsFromProfile(SKELDIR_PROFILE),
    prerequisites: null,
    environment: {
      postgresVersion: '15.18',
      extensions: ['plpgsql 1.0'],
      roles: [
        { name: 'app_ro', login: true, superuser: false, memberOf: [] },
        { name: 'app_rw', login: true, superuser: false, memberOf: [] },
        { name: 'app_user', login: true, superuser: false, memberOf: [] },
        { name: 'postgres', login: true, superuser: true, memberOf: [] },
      ],
      grants: [
        { role: 'app_rw', object: 'database skeldir_validation', privileges: ['CONNECT', 'TEMPORARY'] },
        { role: 'app_ro', object: 'table public.tenants', privileges: ['SELECT'] },
      ],
      databaseSettings: { 'app.current_tenant_id': '0' },
      alembicVersion: ['202512151400'],
      migrationFilesHash: 'a'.repeat(64),
      migrationFiles: { 'alembic/versions/a.py': '1'.repeat(64), 'alembic/versions/b.py': '2'.repeat(64) },
    },
    notes: [],
  };
  change(b);
  return b;
}

describe('compareBundles', () => {
  it('finds nothing between a bundle and itself (the time it was made does not count)', () => {
    expect(
      compareBundles(
        bundle(),
        bundle((b) => (b.createdAt = '2026-01-01T00:00:00.000Z')),
      ),
    ).toEqual([]);
  });

  it('lists every difference, area by area', () => {
    const broken = bundle((b) => {
      b.environment.postgresVersion = '16.2';
      b.environment.extensions = ['plpgsql 1.0', 'pgcrypto 1.3'];
      b.environment.roles = b.environment.roles
        .filter((r) => r.name !== 'app_ro')
        .map((r) => (r.name === 'app_user' ? { ...r, superuser: true, memberOf: ['app_rw'] } : r));
      b.environment.grants = [{ role: 'app_rw', object: 'database skeldir_validation', privileges: ['CONNECT'] }];
      b.environment.databaseSettings = {};
      b.environment.alembicVersion = ['202512151200'];
      b.environment.migrationFilesHash = 'b'.repeat(64);
      b.environment.migrationFiles = {
        'alembic/versions/a.py': '1'.repeat(64),
        'alembic/versions/b.py': '3'.repeat(64),
        'alembic/versions/c.py': '4'.repeat(64),
      };
      if (b.report.database) b.report.database.tables = ['alembic_version', 'kombu_queue'];
    });
    expect(compareBundles(bundle(), broken)).toEqual([
      { area: 'postgres', item: 'version', a: '15.18', b: '16.2' },
      { area: 'extensions', item: 'pgcrypto', a: null, b: '1.3' },
      { area: 'roles', item: 'app_ro', a: 'login', b: null },
      { area: 'roles', item: 'app_user', a: 'login', b: 'login, superuser' },
      { area: 'memberships', item: 'app_user member of app_rw', a: null, b: 'yes' },
      { area: 'grants', item: 'app_ro on table public.tenants', a: 'SELECT', b: null },
      { area: 'grants', item: 'app_rw on database skeldir_validation', a: 'CONNECT, TEMPORARY', b: 'CONNECT' },
      { area: 'database-settings', item: 'app.current_tenant_id', a: '0', b: null },
      { area: 'tables', item: 'kombu_queue', a: null, b: 'present' },
      { area: 'tables', item: 'tenants', a: 'present', b: null },
      { area: 'alembic-version', item: 'rows', a: '202512151400', b: '202512151200' },
      { area: 'migration-files', item: 'hash of all migration files', a: 'a'.repeat(64), b: 'b'.repeat(64) },
      { area: 'migration-files', item: 'alembic/versions/b.py', a: '222222222222', b: '333333333333' },
      { area: 'migration-files', item: 'alembic/versions/c.py', a: null, b: '444444444444' },
    ]);
  });

  it('tells a missing alembic_version table from an empty one, and a missing database from an empty one', () => {
    const none = bundle((b) => {
      b.environment.alembicVersion = null;
      if (b.report.database) b.report.database.exists = false;
    });
    const rows = compareBundles(
      bundle((b) => (b.environment.alembicVersion = [])),
      none,
    );
    expect(rows).toContainEqual({ area: 'alembic-version', item: 'rows', a: 'empty', b: 'no table' });
    expect(rows.filter((r) => r.area === 'tables').map((r) => r.item)).toEqual(['alembic_version', 'tenants']);
  });

  it('lists the findings each side\u2019s diagnosis made, by id, with the first line of their evidence', () => {
    const finding = (id: string, evidence: string) => ({ id, severity: 'error' as const, title: id, evidence, remediation: null });
    const broken = bundle((b) => {
      b.report.findings = [
        finding('GUC-MISSING', 'app.current_tenant_id is not set.'),
        finding('MIGRATION-ROW-SECURITY-CHANGED', 'dead_events: policy gone\nmore'),
      ];
    });
    expect(compareBundles(bundle(), broken)).toEqual([
      { area: 'findings', item: 'GUC-MISSING', a: null, b: 'error: app.current_tenant_id is not set.' },
      { area: 'findings', item: 'MIGRATION-ROW-SECURITY-CHANGED', a: null, b: 'error: dead_events: policy gone' },
    ]);
  });

  it('prints a table with the two files as columns', () => {
    const table = differencesTable([{ area: 'roles', item: 'app_ro', a: 'login', b: null }], 'A (mine.json)', 'B (ci.json)');
    expect(table.split('\n')).toEqual([
      'AREA   ITEM    A (mine.json)  B (ci.json)',
      '-----  ------  -------------  -----------',
      'Roles  app_ro  login          (absent)',
    ]);
  });
});

describe('skeldir-rebuild compare', () => {
  const dir = makeTempDir('skeldir-compare-');
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, text: string) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    return file;
  };
  const run = (...args: string[]) => {
    const parsed = parseCli(['compare', ...args]);
    if (!parsed.ok) throw new Error(parsed.error.message);
    return runCompareCommand(parsed.value);
  };
  const failure = async (promise: Promise<unknown>): Promise<CliFailure> => {
    try {
      await promise;
    } catch (error) {
      if (error instanceof CliFailure) return error;
      throw error;
    }
    throw new Error('expected a CliFailure');
  };

  it('exits 0 for identical bundles, JSON against the HTML page of the same bundle', async () => {
    const a = write('a.json', JSON.stringify(bundle()));
    const b = write('b.html', renderBundleHtml(bundle()));
    const output = await run(a, b);
    expect(output).toMatchObject({ exitCode: 0, json: { identical: true, differences: [] } });
    expect('text' in output && output.text).toMatch(/No differences/);
  });

  it('exits 1 and prints the differences when they differ', async () => {
    const a = write('mine.json', JSON.stringify(bundle()));
    const b = write(
      'colleague.json',
      JSON.stringify(
        bundle((x) => (x.environment.extensions = [])),
        null,
        2,
      ),
    );
    const output = await run(a, b);
    expect(output).toMatchObject({ exitCode: 1 });
    expect('text' in output && output.text).toMatch(
      /1 difference:\n\nAREA\s+ITEM\s+A \(mine\.json\)\s+B \(colleague\.json\)\n-+.*\nExtensions\s+plpgsql\s+1\.0\s+\(absent\)/,
    );
  });

  it('names a missing file, a file that is not JSON, and a JSON file that is not a bundle (exit 2)', async () => {
    const good = write('good.json', JSON.stringify(bundle()));
    const missing = await failure(run(good, path.join(dir, 'nope.json')));
    expect(missing.exitCode).toBe(2);
    expect(missing.appError.message).toBe(`The bundle file ${path.join(dir, 'nope.json')} does not exist.`);

    const cut = write('cut.json', JSON.stringify(bundle()).slice(0, 200));
    const notJson = await failure(run(cut, good));
    expect(notJson.appError.message).toMatch(new RegExp(`^${escapeRegExp(cut)} is not valid JSON`));

    const other = write('profile.json', JSON.stringify(SKELDIR_PROFILE));
    expect((await failure(run(good, other))).appError.message).toBe(`${other} is not a Skeldir Rebuild diagnostic bundle.`);

    const broken = write('broken.json', JSON.stringify({ ...bundle(), environment: { ...bundle().environment, roles: 'none' } }));
    expect((await failure(run(good, broken))).appError.message).toMatch(/broken\.json is not a valid diagnostic bundle at environment\.roles/);

    const newer = write('newer.json', JSON.stringify({ ...bundle(), version: 2 }));
    expect((await failure(run(good, newer))).appError.message).toMatch(/saved by a newer Skeldir Rebuild \(bundle version 2\)/);

    const page = write('page.html', '<!DOCTYPE html><p>hello</p>');
    expect((await failure(run(page, good))).appError.message).toMatch(/HTML file without an embedded diagnostic bundle/);

    expect((await failure(run(good))).exitCode).toBe(2);
  });

  it('bundleFromText survives a string that tries to close the data block', () => {
    const hostile = bundle((b) => (b.notes = ['</script><script>alert(1)</script>']));
    const html = renderBundleHtml(hostile);
    expect(html).not.toContain('<script>alert(1)');
    const back = bundleFromText(html, 'x.html');
    expect(back.ok && back.value.notes).toEqual(['</script><script>alert(1)</script>']);
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
