import { afterEach, describe, expect, it } from 'vitest';
import { startAppUnderTest, type AppUnderTest } from '../support/app-under-test';
import { browserAvailability } from '../support/browser';
import { configure, openView, stepsText, waitForCount, waitForGate } from './app-driver';

/**
 * The app end to end, as a developer on a fresh machine uses it: Setup → Diagnose →
 * Rebuild → graph and parity; and the support case of failure 2 (migrations before
 * bootstrap) fixed with one click. Real engine, real bundled PostgreSQL 15, real
 * Alembic and pytest; screenshots land in test-artifacts/e2e/.
 */
const availability = browserAvailability();
const GATES = ['E1', 'E2', 'E3', 'R4', 'VERIFY', 'R5'];
const TIMEOUT = 300_000;

let app: AppUnderTest | null = null;
afterEach(async () => {
  await app?.close();
  app = null;
});

describe.skipIf(!availability.available)('Skeldir Rebuild end to end', () => {
  it(
    'Setup → Diagnose finds the missing roles → Rebuild passes every gate → graph at head → parity all ✓',
    async () => {
      app = await startAppUnderTest('rebuild flow');
      const { page } = app;
      await page.getByRole('heading', { name: 'Setup' }).waitFor();
      await configure(page);
      await app.screenshot('setup-saved');

      await page.locator('header').getByRole('button', { name: 'Diagnose' }).click();
      expect(await waitForGate(page, 'E1', 90_000)).toBe('passed');
      await app.screenshot('diagnosed');
      // E1 passed (it read everything), but the summary does not sound as if all were well.
      expect(await page.getByTestId('run-summary').innerText()).toBe('Diagnosis finished: 1 gate passed; 2 problems found (see Findings).');
      expect(await page.getByTestId('run-summary').getAttribute('class')).toContain('tone-warn');
      // A diagnosis alone: its problems are the database as it is now.
      expect(await page.getByTestId('gate-E1').locator('.status-badge').innerText()).toMatch(/passed · \d+ problems?$/);

      await openView(page, 'findings');
      await page.getByTestId('finding-ROLES-MISSING').waitFor();
      expect(await page.getByTestId('finding-ROLES-MISSING').innerText()).toContain('Missing roles: app_user, app_rw, app_ro.');
      await app.screenshot('findings-before');

      await page
        .locator('header')
        .getByRole('button', { name: /Rebuild/ })
        .click();
      const dialog = page.getByRole('dialog', { name: 'Rebuild the local database' });
      await dialog.getByRole('checkbox', { name: /Drop the existing database first/ }).check();
      const confirm = dialog.getByRole('button', { name: 'Drop and rebuild' });
      expect(await confirm.isDisabled()).toBe(true);
      await dialog.getByLabel(/to confirm/).fill('skeldir_validatio');
      expect(await confirm.isDisabled()).toBe(true);
      await dialog.getByLabel(/to confirm/).fill('skeldir_validation');
      expect(await confirm.isEnabled()).toBe(true);
      await app.screenshot('rebuild-dialog');
      await confirm.click();

      await waitForGate(page, 'R5', 240_000);
      await app.screenshot('rebuilt');
      for (const gate of GATES) {
        const status = await page.getByTestId(`gate-${gate}`).getAttribute('data-status');
        expect(status, `${gate} is ${status}:\n${status === 'passed' ? '' : await stepsText(page, gate)}`).toBe('passed');
      }
      expect(await page.getByTestId('gate-E2').innerText()).toContain('[4/4]');
      expect(await page.getByTestId('gate-E3').innerText()).toContain('[4/4]');
      expect(await page.getByTestId('gate-R4').innerText()).toContain('[2/2]');
      // E1's problems are what the rebuild found before it fixed them, and E1 says so.
      expect(await page.getByTestId('gate-E1').locator('.status-badge').innerText()).toMatch(/passed · \d+ problems? at start$/);
      await page.getByTestId('gate-E1').click();
      expect(await page.getByTestId('problems-at-start').innerText()).toContain('Findings lists what is still wrong after the run');
      await app.screenshot('rebuilt-e1-problems-at-start');

      await openView(page, 'graph');
      await page.locator('.react-flow__node').first().waitFor();
      await waitForCount(page, '.react-flow__node', 12);
      const head = page.locator('.react-flow__node[data-id="202512151400"] .rev-node');
      expect(await head.getAttribute('data-state')).toBe('current');
      expect(await head.getAttribute('data-head')).toBe('true');
      expect(await head.innerText()).toContain('HEAD');
      expect(await page.locator('.rev-node[data-state="pending"]').count()).toBe(0);
      expect(await page.getByTestId('heads-count').innerText()).toBe('1 head');
      expect(await page.getByTestId('state-summary').innerText()).toContain('at head 202512151400');
      await app.screenshot('graph');

      await openView(page, 'parity');
      // One parity logic: the engine's, CI read from the fixture's own .github/workflows/ci.yml.
      expect(await page.getByTestId('parity-ci-source').innerText()).toBe('from .github/workflows/ci.yml');
      const rows = page.locator('tr[data-testid^="parity-"]');
      await waitForCount(page, 'tr[data-testid^="parity-"]', 7);
      const statuses = await rows.evaluateAll((elements) => elements.map((e) => `${e.getAttribute('data-testid')}=${e.getAttribute('data-status')}`));
      expect(statuses, await page.locator('.parity-table').innerText()).toEqual(
        ['postgres', 'roles', 'database', 'migrations', 'tables', 'guc', 'tests'].map((id) => `parity-${id}=ok`),
      );
      expect(await page.getByTestId('parity-migrations').innerText()).toContain(
        'CI runs alembic upgrade 202511131121 then alembic upgrade skeldir_foundation@head',
      );
      // R5's environment per suite: CI's step for each file, every value with its source, no password.
      await waitForCount(page, '[data-testid="suite-environment"][data-source="workflow"]', 2);
      const environments = await page.getByTestId('suite-environments').innerText();
      expect(environments).toContain('.github/workflows/ci.yml, job');
      expect(await page.getByTestId('suite-env-DATABASE_URL').first().innerText()).toMatch(
        /postgresql:\/\/app_user:\*\*\*@.*ci\.yml, job .* \(rewritten to the local database\)/s,
      );
      expect(environments).not.toMatch(/app_user:app_user@/);
      await app.screenshot('parity');
      await page.getByTestId('suite-environments').scrollIntoViewIfNeeded();
      await app.screenshot('parity-suite-environments');

      await openView(page, 'results');
      expect(await page.getByTestId('suite').count()).toBe(2);
      expect(await page.locator('.case[data-status="passed"]').count()).toBe(8);
      await app.screenshot('test-results');

      await openView(page, 'findings');
      await page.getByText('No findings').waitFor();
    },
    TIMEOUT,
  );

  it(
    'failure 2: migrations before bootstrap fail on role "app_rw"; the FM2 fix bootstraps and the next diagnosis is clean of it',
    async () => {
      app = await startAppUnderTest('fm2 remediation');
      const { page } = app;
      await page.getByRole('heading', { name: 'Setup' }).waitFor();
      await configure(page);
      await page.getByRole('button', { name: 'Test connection', exact: true }).click();
      await page.getByTestId('connection-ok').waitFor({ timeout: 90_000 });

      // What a developer who skipped the bootstrap script has: the owner role and the database, no app_rw/app_ro.
      await app.superuserSql("CREATE ROLE app_user LOGIN PASSWORD 'app_user'");
      await app.superuserSql('CREATE DATABASE skeldir_validation OWNER app_user');
      await app.superuserSql("ALTER DATABASE skeldir_validation SET app.current_tenant_id = '00000000-0000-0000-0000-000000000000'");

      await openView(page, 'graph');
      await page.locator('.react-flow__node').first().waitFor();
      await page.getByLabel('Find a revision by id or message').fill('202511131121');
      await page.getByTestId('revision-panel').waitFor();
      await page.getByRole('button', { name: 'Upgrade to here' }).click();
      // It asks first, saying what would run and where.
      const confirm = page.getByRole('dialog', { name: 'Upgrade to 202511131121?' });
      await confirm.waitFor();
      expect(await confirm.innerText()).toMatch(
        /Alembic upgrades the database skeldir_validation on 127\.0\.0\.1:\d+ to 202511131121, running 5 revisions: baseline to 202511131121\./,
      );
      expect(await confirm.getByTestId('upgrade-outside-target').count()).toBe(0);
      await app.screenshot('upgrade-to-here-confirm');
      await confirm.getByRole('button', { name: 'Upgrade', exact: true }).click();

      expect(await waitForGate(page, 'R4', 120_000)).toBe('failed');
      await app.screenshot('r4-failed');
      await openView(page, 'graph');
      await page.waitForSelector('.react-flow__node[data-id="202511131121"] .rev-node[data-state="failed"]', { timeout: 15_000 });
      await app.screenshot('graph-failed-revision');

      await openView(page, 'findings');
      const fm2 = page.getByTestId('finding-FM2');
      await fm2.waitFor();
      expect(await fm2.innerText()).toContain('role "app_rw" does not exist');
      await app.screenshot('fm2-finding');

      await page.getByTestId('remediate-FM2').click();
      expect(await waitForGate(page, 'E3', 120_000)).toBe('passed');
      await openView(page, 'findings');
      await waitForCount(page, '[data-testid="finding-FM2"]', 0);
      expect(await page.getByTestId('finding-ROLES-MISSING').count()).toBe(0);
      expect(await page.getByText(/From the last fix FM2/).count()).toBe(1);
      await app.screenshot('after-fm2-fix');
    },
    TIMEOUT,
  );
});
