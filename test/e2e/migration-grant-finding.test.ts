import { afterEach, describe, expect, it } from 'vitest';
import { startAppUnderTest, type AppUnderTest } from '../support/app-under-test';
import { browserAvailability } from '../support/browser';
import { configure, openView, rebuildWithDrop, stepsText, waitForCount, waitForGate } from './app-driver';

/**
 * A privilege a revision granted, revoked by hand: the app's VERIFY names it with its
 * role and revision file, Findings lists it, and its button re-applies exactly it. Then
 * row-level security switched off by hand: a plain Diagnose finds it, and its button sets it back.
 */
const availability = browserAvailability();
const TIMEOUT = 300_000;

let app: AppUnderTest | null = null;
afterEach(async () => {
  await app?.close();
  app = null;
});

describe.skipIf(!availability.available)('a migration grant revoked, row-level security switched off by hand', () => {
  it(
    'VERIFY ✗ names SELECT, app_rw and 202511131121_add_grants.py; Findings offers the fix; after it the finding is gone and VERIFY passes; the same for row-level security',
    async () => {
      app = await startAppUnderTest('migration grant finding');
      const { page } = app;
      await page.getByRole('heading', { name: 'Setup' }).waitFor();
      await configure(page);
      await rebuildWithDrop(page);
      expect(await page.getByTestId('step-table-grants').innerText()).toContain('expected by the revisions');

      await app.superuserSql('REVOKE SELECT ON attribution_events FROM app_rw', 'skeldir_validation');
      await page
        .locator('header')
        .getByRole('button', { name: /Rebuild/ })
        .click();
      const dialog = page.getByRole('dialog', { name: 'Rebuild the local database' });
      await dialog.getByRole('checkbox', { name: /Skip the validation tests/ }).check();
      await dialog.getByRole('button', { name: 'Rebuild', exact: true }).click();
      expect(await waitForGate(page, 'VERIFY', 120_000)).toBe('failed');
      const steps = await stepsText(page, 'VERIFY');
      expect(steps).toMatch(/app_rw lacks SELECT on attribution_events \(granted by \S*202511131121_add_grants\.py\)/);
      await app.screenshot('verify-grant-missing');

      await openView(page, 'findings');
      const finding = page.getByTestId('finding-MIGRATION-GRANTS-MISSING');
      await finding.waitFor();
      expect(await finding.innerText()).toMatch(/app_rw: SELECT missing on attribution_events \(\S*202511131121_add_grants\.py\)/);
      expect(await page.getByTestId('remediate-MIGRATION-GRANTS-MISSING').innerText()).toBe('Re-apply the grants the migrations made');
      await app.screenshot('grant-finding');

      await page.getByTestId('remediate-MIGRATION-GRANTS-MISSING').click();
      expect(await waitForGate(page, 'VERIFY', 120_000)).toBe('passed');
      expect(await stepsText(page, 'VERIFY')).toContain('re-applied 1 statement(s): GRANT SELECT ON TABLE public.attribution_events TO app_rw');
      await openView(page, 'findings');
      await waitForCount(page, '[data-testid="finding-MIGRATION-GRANTS-MISSING"]', 0);
      await app.screenshot('after-grant-fix');

      await app.superuserSql('ALTER TABLE attribution_recompute_jobs DISABLE ROW LEVEL SECURITY', 'skeldir_validation');
      await page.locator('header').getByRole('button', { name: 'Diagnose' }).click();
      expect(await waitForGate(page, 'E1', 60_000)).toBe('passed');
      await openView(page, 'findings');
      const rowSecurity = page.getByTestId('finding-MIGRATION-ROW-SECURITY-CHANGED');
      await rowSecurity.waitFor();
      expect(await rowSecurity.innerText()).toMatch(/attribution_recompute_jobs: not enabled \(enabled by \S+\.py\)/);
      expect(await page.getByTestId('remediate-MIGRATION-ROW-SECURITY-CHANGED').innerText()).toBe('Re-apply the row-level security the migrations set');
      await app.screenshot('row-security-finding');

      await page.getByTestId('remediate-MIGRATION-ROW-SECURITY-CHANGED').click();
      expect(await waitForGate(page, 'VERIFY', 120_000)).toBe('passed');
      expect(await stepsText(page, 'VERIFY')).toContain('re-applied 1 statement(s): ALTER TABLE public.attribution_recompute_jobs ENABLE ROW LEVEL SECURITY');
      await openView(page, 'findings');
      await waitForCount(page, '[data-testid="finding-MIGRATION-ROW-SECURITY-CHANGED"]', 0);
    },
    TIMEOUT,
  );
});
