import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCompareCommand } from '../../../../electron/cli/commands/compare';
import { runReportCommand } from '../../../../electron/cli/commands/report';
import { parseCli } from '../../../../electron/cli/parse-args';
import { collectBundle } from '../../../../electron/engine/bundle/collect-bundle';
import { compareBundles } from '../../../../electron/engine/bundle/compare-bundles';
import { redactSecrets } from '../../../../electron/engine/bundle/redact';
import { esc, renderBundleHtml } from '../../../../electron/engine/bundle/render-html';
import { openClient } from '../../../../electron/engine/db/connect';
import { scramSha256Verifier } from '../../../../electron/engine/db/scram';
import { quoteSettingName } from '../../../../electron/engine/db/database-level';
import { runPipeline } from '../../../../electron/engine/pipeline/run-pipeline';
import { bundleFromText, type DiagnosticBundle } from '../../../../shared/bundle/bundle';
import { profileSchema, type Profile } from '../../../../shared/profile/schema';
import { SKELDIR_PROFILE } from '../../../../shared/profile/skeldir-profile';
import type { CommandIo } from '../../../../electron/cli/commands/command-io';
import { browserAvailability, chromiumPath, launchBrowser, type LaunchedBrowser } from '../../../support/browser';
import { ensureTestPython } from '../../../support/python-env';
import { SKELDIR_FOUNDATION } from '../../../support/sample-project';
import { recognisablePassword, startThrowawayPostgres, type ThrowawayPostgres } from '../../../support/throwaway-postgres';
import { makeTempDir } from '../../../support/temp-dir';

/**
 * A diagnostic bundle of a broken database, for real: the sample project, a real
 * PostgreSQL in the FM2 state (database and app_user, no app_rw/app_ro), a real failed
 * migration as the "last run". The bundle must carry the findings and the graph, the
 * HTML page must show them in Chromium without a single network request, and no
 * password of the test may appear in either file.
 */
const HAS_CHROMIUM = fs.existsSync(chromiumPath());
// Without Chromium: a loud skip here, a failure in CI (browserAvailability throws inside the test).
if (!HAS_CHROMIUM && !process.env.CI) browserAvailability();

let pg: ThrowawayPostgres;
let python: string;
let profile: Profile;
let tmp: string;
let bundle: DiagnosticBundle;
let html: string;
const silentIo: CommandIo = { emit: () => undefined, log: () => undefined };

async function admin(sql: string[], database = 'postgres'): Promise<void> {
  const client = await openClient(pg.settings, { database });
  if (!client.ok) throw new Error(client.error.message);
  try {
    for (const statement of sql) await client.value.query(statement);
  } finally {
    await client.value.end();
  }
}

/** Every secret of this test: the three role passwords and the server's superuser password. */
function secrets(): string[] {
  return [...profile.roles.map((r) => r.password), pg.settings.password];
}

function expectNoSecret(text: string, what: string): void {
  for (const secret of secrets()) {
    expect(text.includes(secret), `${what} contains the password ${secret.slice(0, 3)}…`).toBe(false);
  }
}

beforeAll(async () => {
  [pg, python] = await Promise.all([startThrowawayPostgres(), ensureTestPython()]);
  tmp = makeTempDir('skeldir-bundle-');
  profile = profileSchema.parse({ ...SKELDIR_PROFILE, roles: SKELDIR_PROFILE.roles.map((r) => ({ ...r, password: recognisablePassword(r.name) })) });
  const appUser = profile.roles.find((r) => r.name === 'app_user');
  if (!appUser) throw new Error('the profile has no app_user');
  // FM2: the application role and the database exist, as after a half-done manual setup; app_rw/app_ro do not.
  await admin([
    `CREATE ROLE app_user LOGIN PASSWORD '${scramSha256Verifier(appUser.password)}'`,
    'CREATE DATABASE skeldir_validation OWNER app_user',
    `ALTER DATABASE skeldir_validation SET ${quoteSettingName('app.current_tenant_id')} = '00000000-0000-0000-0000-000000000000'`,
  ]);
  // The last run: migrations before bootstrap, failing on role "app_rw" (failure 2).
  const lastRun = await runPipeline(
    { command: 'migrate', gates: ['E1', 'R4'], settings: pg.settings, profile, repoDir: SKELDIR_FOUNDATION, pythonFlag: python },
    () => undefined,
  );
  expect(lastRun.findings.map((f) => f.id)).toContain('FM2');
  bundle = await collectBundle({
    settings: pg.settings,
    profile,
    repoDir: SKELDIR_FOUNDATION,
    pythonFlag: python,
    lastRun,
    app: { name: 'skeldir-rebuild', version: 'test' },
  });
  html = renderBundleHtml(bundle);
}, 600_000);

afterAll(async () => {
  await pg?.stop();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe('a bundle of the FM2 state', () => {
  it('holds the E1 report, its findings, the graph with the overlay, parity and the environment', () => {
    expect(bundle.format).toBe('skeldir-rebuild-bundle');
    expect(bundle.report.gates.map((g) => `${g.id}:${g.status}`)).toEqual(['E1:passed']);
    const roles = bundle.report.findings.find((f) => f.id === 'ROLES-MISSING');
    expect(roles?.evidence).toBe('Missing roles: app_rw, app_ro.');
    expect(bundle.report.findings.map((f) => f.id)).toContain('TABLES-MISSING');

    expect(bundle.graph?.revisions).toHaveLength(12);
    expect(bundle.graph?.heads.length).toBeGreaterThan(0);
    expect(bundle.overlay?.summary).toBe('empty database: no revision applied');
    expect(Object.values(bundle.overlay?.states ?? {}).every((s) => s === 'pending')).toBe(true);
    expect(bundle.plan?.steps.map((s) => s.target)).toEqual(['202511131121', 'skeldir_foundation@head']);

    expect(bundle.ci.source).toBe('workflow');
    const parity = Object.fromEntries(bundle.parity.map((r) => [r.id, r]));
    expect(parity.roles.status).toBe('error');
    expect(parity.roles.note).toMatch(/Missing: app_rw, app_ro/);
    expect(parity.migrations.note).toContain('CI runs `alembic upgrade 202511131121` then `alembic upgrade skeldir_foundation@head`; local plan: the same.');
    expect(parity.postgres.status).toBe('ok');

    expect(bundle.lastRun?.gates.find((g) => g.id === 'R4')?.status).toBe('failed');
    expect(bundle.lastRun?.findings.find((f) => f.id === 'FM2')?.evidence).toContain('role "app_rw" does not exist');
    expect(bundle.prerequisites?.ok).toBe(true);

    const env = bundle.environment;
    expect(env.postgresVersion).toMatch(/^15\./);
    expect(env.extensions).toEqual([expect.stringMatching(/^plpgsql \d/)]);
    expect(env.roles.map((r) => r.name)).toContain('app_user');
    expect(env.roles.map((r) => r.name)).not.toContain('app_rw');
    expect(env.roles.find((r) => r.name === 'app_user')).toMatchObject({ login: true, superuser: false, memberOf: [] });
    expect(env.grants).toContainEqual({ role: 'app_user', object: 'database skeldir_validation', privileges: ['CONNECT', 'CREATE', 'TEMPORARY'] });
    expect(env.grants.some((g) => g.object === 'schema public')).toBe(true);
    expect(env.databaseSettings).toEqual({ 'app.current_tenant_id': '00000000-0000-0000-0000-000000000000' });
    expect(env.alembicVersion).toBeNull();
    expect(env.migrationFilesHash).toMatch(/^[0-9a-f]{64}$/);
    expect(Object.keys(env.migrationFiles)).toHaveLength(12);
  });

  it('contains no password of the test, in JSON or HTML', () => {
    expectNoSecret(JSON.stringify(bundle), 'the JSON bundle');
    expectNoSecret(html, 'the HTML bundle');
  });

  it('round-trips: the HTML page carries the same bundle as data', () => {
    const parsed = bundleFromText(html, 'bundle.html');
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(parsed.value).toEqual(bundle);
    const fromJson = bundleFromText(JSON.stringify(bundle), 'bundle.json');
    expect(fromJson.ok && compareBundles(fromJson.value, bundle)).toEqual([]);
  });

  it('references nothing outside the page', () => {
    expect(html).not.toMatch(/\b(?:src|href|action|poster|srcset|xlink:href)\s*=/i);
    expect(html).not.toMatch(/url\(/i);
    expect(html).not.toMatch(/@import/i);
    expect(html).toContain("default-src 'none'");
  });
});

describe('a bundle of a server that does not answer', () => {
  it('is still made: the unreachable finding, the profile\u2019s CI, notes, and no password', async () => {
    const password = recognisablePassword('superuser');
    const unreachable = await collectBundle({
      settings: { host: '127.0.0.1', port: 1, superuser: 'postgres', password, embedded: false },
      profile,
      app: { name: 'skeldir-rebuild', version: 'test' },
    });
    expect(unreachable.report.findings.map((f) => f.id)).toEqual(['SERVER-UNREACHABLE']);
    expect(unreachable.server.version).toBeNull();
    expect(unreachable.graph).toBeNull();
    expect(unreachable.ci.source).toBe('profile');
    expect(unreachable.parity.find((r) => r.id === 'postgres')?.status).toBe('error');
    expect(unreachable.notes.join(' ')).toMatch(/could not be read/);
    const text = JSON.stringify(unreachable) + renderBundleHtml(unreachable);
    expect(text).not.toContain(password);
    for (const role of profile.roles) expect(text).not.toContain(role.password);
  });
});

describe('the HTML bundle in Chromium', () => {
  let browser: LaunchedBrowser | undefined;
  afterAll(async () => {
    await browser?.close();
  });

  it.skipIf(!HAS_CHROMIUM && !process.env.CI)('shows the findings and the 12-node graph, with no network request', async () => {
    browserAvailability();
    const file = path.join(tmp, 'diagnosis.html');
    fs.writeFileSync(file, html);
    browser = await launchBrowser();
    const { context } = browser;
    const pageUrl = pathToFileURL(file).href;
    const requests: string[] = [];
    const consoleErrors: string[] = [];
    // Record and refuse everything but the page itself.
    await context.route('**/*', async (route) => {
      const url = route.request().url();
      if (url === pageUrl) return route.continue();
      requests.push(url);
      return route.abort();
    });
    const page = browser.page;
    page.on('request', (request) => {
      if (request.url() !== pageUrl) requests.push(request.url());
    });
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(error.message));
    await page.goto(pageUrl, { waitUntil: 'load' });

    const findings = await page.locator('#findings').innerText();
    expect(findings).toContain('Roles are missing');
    expect(findings).toContain('Missing roles: app_rw, app_ro.');
    expect(await page.locator('#findings .finding').count()).toBe(bundle.report.findings.length);
    expect(await page.locator('#last-run').innerText()).toContain('role "app_rw" does not exist');
    expect(await page.locator('svg.migration-graph g.node').count()).toBe(12);
    expect(await page.locator('svg.migration-graph g.node.head').count()).toBe(bundle.graph?.heads.length);
    expect(await page.locator('svg.migration-graph g.node[data-revision="202511131121"]').count()).toBe(1);
    expect(await page.locator('svg.migration-graph g.edge').count()).toBeGreaterThanOrEqual(11);
    expect(await page.locator('#parity tr[data-parity]').count()).toBe(7);
    expect(await page.locator('#parity').innerText()).toContain('skeldir_foundation@head');
    // The graph has a real size: dagre laid it out.
    const box = await page.locator('svg.migration-graph').boundingBox();
    expect(box?.width).toBeGreaterThan(200);
    expect(box?.height).toBeGreaterThan(200);

    expect(requests).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });
});

describe('report and compare through the CLI commands', () => {
  function options(argv: string[]) {
    const parsed = parseCli(argv);
    if (!parsed.ok) throw new Error(parsed.error.message);
    return parsed.value;
  }

  it('writes JSON and HTML bundles (format from the extension), then compare lists the bootstrap\u2019s differences', async () => {
    const profileFile = path.join(tmp, 'profile.json');
    fs.writeFileSync(profileFile, JSON.stringify(profile));
    const connection = [
      '--host',
      '127.0.0.1',
      '--port',
      String(pg.settings.port),
      '--superuser',
      pg.settings.superuser,
      '--profile',
      profileFile,
      '--repo',
      SKELDIR_FOUNDATION,
      '--python',
      python,
    ];
    const saved = process.env.SKELDIR_SUPERUSER_PASSWORD;
    process.env.SKELDIR_SUPERUSER_PASSWORD = pg.settings.password;
    try {
      const brokenJson = path.join(tmp, 'broken.json');
      const brokenHtml = path.join(tmp, 'out', 'broken.html');
      const asJson = await runReportCommand(options(['report', '--out', brokenJson, ...connection]), silentIo);
      expect(asJson).toMatchObject({ exitCode: 0 });
      const asHtml = await runReportCommand(options(['report', '--out', brokenHtml, ...connection]), silentIo);
      expect('text' in asHtml && asHtml.text).toMatch(/Saved the diagnosis \(HTML, \d+ findings\)/);
      const jsonText = fs.readFileSync(brokenJson, 'utf8');
      const htmlText = fs.readFileSync(brokenHtml, 'utf8');
      expect(htmlText.startsWith('<!DOCTYPE html>')).toBe(true);
      expectNoSecret(jsonText, 'broken.json');
      expectNoSecret(htmlText, 'broken.html');

      // The same state twice (JSON against HTML): identical.
      const same = await runCompareCommand(options(['compare', brokenJson, brokenHtml]), silentIo);
      expect(same).toMatchObject({ exitCode: 0 });

      // Bootstrap the missing roles and grant them; the next bundle differs exactly there.
      const rw = profile.roles.find((r) => r.name === 'app_rw');
      const ro = profile.roles.find((r) => r.name === 'app_ro');
      await admin([
        `CREATE ROLE app_rw LOGIN PASSWORD '${scramSha256Verifier(rw?.password ?? '')}'`,
        `CREATE ROLE app_ro LOGIN PASSWORD '${scramSha256Verifier(ro?.password ?? '')}'`,
        'GRANT CONNECT, TEMPORARY ON DATABASE skeldir_validation TO app_rw',
        'GRANT app_ro TO app_rw',
      ]);
      await admin(
        [
          'CREATE TABLE public.notes (id serial PRIMARY KEY)',
          'GRANT SELECT ON public.notes TO app_ro',
          'CREATE VIEW public.notes_view AS SELECT id FROM public.notes',
        ],
        'skeldir_validation',
      );
      const fixedJson = path.join(tmp, 'fixed.json');
      await runReportCommand(options(['report', '--out', fixedJson, ...connection]), silentIo);
      const diff = await runCompareCommand(options(['compare', '--json', brokenJson, fixedJson]), silentIo);
      expect(diff).toMatchObject({ exitCode: 1 });
      const differences =
        'json' in diff ? (diff.json as { differences: Array<{ area: string; item: string; a: string | null; b: string | null }> }).differences : [];
      expect(differences).toContainEqual({ area: 'roles', item: 'app_rw', a: null, b: 'login' });
      expect(differences).toContainEqual({ area: 'roles', item: 'app_ro', a: null, b: 'login' });
      expect(differences).toContainEqual({ area: 'memberships', item: 'app_rw member of app_ro', a: null, b: 'yes' });
      expect(differences).toContainEqual({ area: 'grants', item: 'app_rw on database skeldir_validation', a: null, b: 'CONNECT, TEMPORARY' });
      expect(differences).toContainEqual({ area: 'grants', item: 'app_ro on table public.notes', a: null, b: 'SELECT' });
      expect(differences).toContainEqual({
        area: 'grants',
        item: `${pg.settings.superuser} on sequence public.notes_id_seq`,
        a: null,
        b: 'SELECT, UPDATE, USAGE',
      });
      expect(differences).toContainEqual({
        area: 'grants',
        item: `${pg.settings.superuser} on view public.notes_view`,
        a: null,
        b: expect.stringContaining('SELECT'),
      });
      expect(differences).toContainEqual({ area: 'tables', item: 'notes', a: null, b: 'present' });
      // What the broken machine's diagnosis found, and the fixed one's does not.
      expect(differences).toContainEqual({ area: 'findings', item: 'ROLES-MISSING', a: expect.stringMatching(/^error: Missing roles?: /), b: null });
      expect(differences.every((d) => ['roles', 'memberships', 'grants', 'tables', 'findings'].includes(d.area))).toBe(true);
      expect('text' in diff && diff.text).toMatch(/AREA\s+ITEM\s+A \(broken\.json\)\s+B \(fixed\.json\)/);

      // To stdout without --out: JSON by default.
      const stdout = await runReportCommand(options(['report', ...connection]), silentIo);
      expect('text' in stdout && JSON.parse(stdout.text).format).toBe('skeldir-rebuild-bundle');
    } finally {
      if (saved === undefined) delete process.env.SKELDIR_SUPERUSER_PASSWORD;
      else process.env.SKELDIR_SUPERUSER_PASSWORD = saved;
    }
  });
});

describe('redaction and escaping (no server needed)', () => {
  it('removes secrets wherever they are: fields, URLs, SQL, env assignments, keys, nested arrays', () => {
    const secret = 'S3cret-pass-42';
    const input = {
      password: 'anything',
      nested: [{ log: [`postgresql://app_user:${secret}@localhost:5432/db`, `psql says ${secret} was wrong`] }],
      sql: "CREATE ROLE x LOGIN PASSWORD 'SCRAM-SHA-256$4096:abc'",
      env: 'PGPASSWORD=hunter22 SKELDIR_SUPERUSER_PASSWORD="x y" alembic upgrade head',
      url: 'postgresql+psycopg2://u:other@h/db',
      [`key-${secret}`]: 1,
      count: 3,
      flag: true,
    };
    const { value, notes } = redactSecrets(input, { secrets: [secret], publicNames: ['app_user'] });
    const text = JSON.stringify(value);
    expect(text).not.toContain(secret);
    expect(text).not.toContain('hunter22');
    expect(text).not.toContain('SCRAM-SHA-256$4096');
    expect(text).not.toContain(':other@');
    expect(value.password).toBe('***');
    expect(value.nested[0].log[0]).toBe('postgresql://app_user:***@localhost:5432/db');
    expect(value.sql).toBe("CREATE ROLE x LOGIN PASSWORD '***'");
    expect(value.env).toBe('PGPASSWORD=*** SKELDIR_SUPERUSER_PASSWORD=*** alembic upgrade head');
    expect(value).toMatchObject({ count: 3, flag: true, 'key-***': 1 });
    expect(notes[0]).toMatch(/redacted/);
    // The input is left as it was.
    expect(input.password).toBe('anything');
  });

  it('keeps role names that equal their passwords (the guide\u2019s defaults) and says why; copies shared objects, cuts cycles', () => {
    const shared = { role: 'app_user' };
    const cyclic: Record<string, unknown> = { shared, again: shared };
    cyclic.self = cyclic;
    const { value, notes } = redactSecrets(cyclic, { secrets: ['app_user', 'abc'], publicNames: ['app_user'] });
    expect(value.shared).toEqual({ role: 'app_user' });
    expect(value.again).toEqual({ role: 'app_user' });
    expect(value.self).toBe('[cycle]');
    expect(notes.join(' ')).toMatch(/equal their role or user names/);
    expect(notes.join(' ')).toMatch(/shorter than 4 characters/);
  });

  it('escapes every string it renders', () => {
    expect(esc(`<img src=x onerror="alert('1')">&`)).toBe('&lt;img src=x onerror=&quot;alert(&#39;1&#39;)&quot;&gt;&amp;');
  });
});
