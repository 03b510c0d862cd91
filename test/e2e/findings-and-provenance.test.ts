import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppUnderTest, type AppUnderTest } from '../support/app-under-test';
import { browserAvailability } from '../support/browser';
import { copyFixture } from '../support/sample-project';
import { configure, FIXTURE_REPO, openView, rebuildWithDrop, stepsText, waitForGate } from './app-driver';

/**
 * Findings come from evidence and results belong to a repository and a run: a red VERIFY
 * shows as a finding with its fix (never "No findings"),
 * and after Setup switches to another repository, Test results, Findings and Parity say
 * "not run for this repository" instead of showing the previous one's results; a fix says
 * whether its finding is gone after the diagnosis it ends with. Real
 * engine, bundled PostgreSQL 15, Alembic and pytest; screenshots in test-artifacts/e2e/.
 */
const availability = browserAvailability();
const TIMEOUT = 300_000;

let app: AppUnderTest | null = null;
let otherRepo: string | null = null;
beforeAll(async () => {
  if (!availability.available) return;
  app = await startAppUnderTest('findings and provenance');
  otherRepo = copyFixture(FIXTURE_REPO, 'another-backend');
}, TIMEOUT);
afterAll(async () => {
  await app?.close();
  if (otherRepo) fs.rmSync(path.dirname(otherRepo), { recursive: true, force: true });
});

async function setRepository(repoDir: string): Promise<void> {
  if (!app) throw new Error('no app');
  const { page } = app;
  await openView(page, 'setup');
  await page.getByLabel('Repository folder').fill(repoDir);
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.locator('[data-testid="check-alembic-ini"][data-ok="true"]').waitFor({ timeout: 30_000 });
}

describe.skipIf(!availability.available)('findings from evidence, results that belong to a repository', () => {
  it(
    'a red VERIFY is a finding: a foreign key re-created by hand with another ON DELETE is named with its fix, which sets it back',
    async () => {
      if (!app) throw new Error('no app');
      const { page } = app;
      await page.getByRole('heading', { name: 'Setup' }).waitFor();
      await configure(page);
      await rebuildWithDrop(page, { validate: true });

      await openView(page, 'results');
      const fromHere = page.getByTestId('provenance');
      await fromHere.waitFor();
      expect(await fromHere.getAttribute('data-belongs')).toBe('this');
      // The fixture sits inside this project's checkout when it is one: then its commit shows.
      expect(await fromHere.innerText()).toMatch(/^Test results from skeldir-foundation( @ [0-9a-f]{7}( \([^)]+\))?| \(not a git checkout\)) · rebuild at /);
      expect(await page.getByTestId('suite').count()).toBe(2);

      // The profile's foreign key recreated by hand with another ON DELETE: VERIFY reads it and fails.
      await app.superuserSql(
        `DO $$ DECLARE fk text; BEGIN
           SELECT conname INTO fk FROM pg_constraint
            WHERE conrelid = 'attribution_recompute_jobs'::regclass AND confrelid = 'tenants'::regclass AND contype = 'f';
           EXECUTE format('ALTER TABLE attribution_recompute_jobs DROP CONSTRAINT %I', fk);
         END $$;
         ALTER TABLE attribution_recompute_jobs ADD FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE RESTRICT`,
        'skeldir_validation',
      );
      await page
        .locator('header')
        .getByRole('button', { name: /Rebuild/ })
        .click();
      const dialog = page.getByRole('dialog', { name: 'Rebuild the local database' });
      await dialog.getByRole('checkbox', { name: /Skip the validation tests/ }).check();
      await dialog.getByRole('button', { name: 'Rebuild', exact: true }).click();
      expect(await waitForGate(page, 'VERIFY', 120_000), await stepsText(page, 'VERIFY')).toBe('failed');
      await app.screenshot('verify-red');

      await openView(page, 'findings');
      const fromVerify = page.locator('.finding[data-source="VERIFY/foreign-keys"]');
      await fromVerify.first().waitFor();
      expect(await page.getByText('No findings').count()).toBe(0);
      expect(await fromVerify.first().getAttribute('class')).toContain('severity-error');
      expect(await fromVerify.first().getAttribute('data-testid')).toBe('finding-FOREIGN-KEY-CHANGED');
      expect(await fromVerify.first().innerText()).toContain(
        'attribution_recompute_jobs.tenant_id \u2192 tenants.id ON DELETE CASCADE: the constraint attribution_recompute_jobs_tenant_id_fkey has ON DELETE RESTRICT',
      );
      await app.screenshot('findings-over-red-verify');

      await page.getByTestId('remediate-FOREIGN-KEY-CHANGED').click();
      expect(await waitForGate(page, 'VERIFY', 120_000), await stepsText(page, 'VERIFY')).toBe('passed');
      await openView(page, 'findings');
      const outcome = page.getByTestId('fix-outcome');
      await outcome.waitFor();
      expect(await outcome.getAttribute('data-outcome')).toBe('gone');
      expect(await page.getByTestId('finding-FOREIGN-KEY-CHANGED').count()).toBe(0);
    },
    TIMEOUT,
  );

  it(
    'a fix re-diagnoses and says its finding is gone',
    async () => {
      if (!app) throw new Error('no app');
      const { page } = app;
      await app.superuserSql('ALTER DATABASE skeldir_validation RESET app.current_tenant_id');
      await page.locator('header').getByRole('button', { name: 'Diagnose' }).click();
      expect(await waitForGate(page, 'E1', 90_000)).toBe('passed');
      await openView(page, 'findings');
      await page.getByTestId('remediate-GUC-MISSING').click();
      expect(await waitForGate(page, 'E3', 120_000)).toBe('passed');
      await openView(page, 'findings');
      const outcome = page.getByTestId('fix-outcome');
      await outcome.waitFor();
      expect(await outcome.getAttribute('data-outcome')).toBe('gone');
      expect(await outcome.innerText()).toBe('\u2713 Fixed \u201cA database-level setting is missing\u201d: The diagnosis after the fix no longer finds it.');
      expect(await page.getByTestId('finding-GUC-MISSING').count()).toBe(0);
      await app.screenshot('fix-gone');
    },
    TIMEOUT,
  );

  it(
    'switching the repository in Setup: Test results, Findings and Parity say "not run for this repository"; switching back shows the results again',
    async () => {
      if (!app || !otherRepo) throw new Error('no app');
      const { page } = app;
      await setRepository(otherRepo);

      await openView(page, 'results');
      await page.getByRole('heading', { name: 'Not run for this repository' }).waitFor();
      expect(await page.getByTestId('suite').count()).toBe(0);
      const elsewhere = page.getByTestId('provenance');
      expect(await elsewhere.getAttribute('data-belongs')).toBe('other');
      expect(await elsewhere.innerText()).toMatch(/^Not run for this repository\. The last test results are from skeldir-foundation/);
      await app.screenshot('results-other-repository');

      await openView(page, 'findings');
      expect(await page.getByTestId('provenance').getAttribute('data-belongs')).toBe('other');
      expect(await page.getByTestId('provenance').innerText()).toContain('Not run for this repository.');

      await openView(page, 'parity');
      await page.getByTestId('provenance').waitFor();
      expect(await page.getByTestId('provenance').getAttribute('data-belongs')).toBe('other');
      await app.screenshot('parity-other-repository');

      await setRepository(FIXTURE_REPO);
      await openView(page, 'results');
      await page.getByTestId('suite').first().waitFor();
      expect(await page.getByTestId('suite').count()).toBe(2);
      expect(await page.getByTestId('provenance').getAttribute('data-belongs')).toBe('this');
    },
    TIMEOUT,
  );
});
