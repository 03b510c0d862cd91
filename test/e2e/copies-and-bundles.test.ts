import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ARTIFACTS_DIR, startAppUnderTest, type AppUnderTest } from '../support/app-under-test';
import { browserAvailability } from '../support/browser';
import { configure, openView, rebuildWithDrop, stepsText, superuserQuery, waitForCount, waitForGate, waitForRunSummary } from './app-driver';

/**
 * What the app adds to a rebuild (issues 6 and 8), end to end on the real engine and
 * the bundled PostgreSQL: a warm rebuild from the template cache, a safety snapshot
 * restored through the typed-name dialog, and a diagnosis file saved, opened read-only
 * and compared. Screenshots land in test-artifacts/e2e/.
 */
const availability = browserAvailability();
const TIMEOUT = 120_000;
const DB = 'skeldir_validation';

let app: AppUnderTest | null = null;
afterEach(async () => {
  await app?.close();
  app = null;
});

describe.skipIf(!availability.available)('snapshots, template cache and diagnosis files', () => {
  it(
    'a second rebuild with drop restores from the template ([1/1] in R4), and Snapshots lists the template and clears the cache',
    async () => {
      app = await startAppUnderTest('warm rebuild');
      const { page } = app;
      await page.getByRole('heading', { name: 'Setup' }).waitFor();
      await configure(page);

      await rebuildWithDrop(page);
      expect(await page.getByTestId('note-cache').innerText()).toMatch(/cached as template skeldir_validation__tpl_/);

      await rebuildWithDrop(page);
      const r4 = page.getByTestId('gate-R4');
      expect(await r4.getAttribute('data-status')).toBe('passed');
      expect(await r4.innerText()).toContain('[1/1]');
      await r4.click();
      const step = page.getByTestId('step-restored-from-template');
      expect(await step.innerText(), await stepsText(page, 'R4')).toMatch(/restored from template skeldir_validation__tpl_\w+ \(key/);
      expect(await page.getByTestId('note-cache').innerText()).toContain('Restored from template');
      await app.screenshot('warm-rebuild');

      await openView(page, 'snapshots');
      await waitForCount(page, '[data-testid="template-row"]', 1);
      expect(await page.locator('[data-testid="template-row"][data-current="true"]').count()).toBe(1);
      expect(await page.getByTestId('cache-status').innerText()).toContain('will be warm');
      expect(await page.getByTestId('cache-tone').innerText()).toBe('next rebuild: warm');
      expect(await page.getByTestId('templates-kept').innerText()).toContain('Keeps the newest 2 templates (the profile’s templatesKept)');
      expect(await page.getByTestId('no-snapshots').count()).toBe(1);
      await app.screenshot('snapshots-template');

      await page.getByRole('button', { name: 'Clear cache…' }).click();
      const confirm = page.getByRole('dialog', { name: 'Clear the template cache?' });
      await app.screenshot('clear-cache-confirm');
      await confirm.getByRole('button', { name: 'Drop 1 template' }).click();
      await page.getByTestId('copy-action-result').waitFor();
      expect(await page.getByTestId('copy-action-result').innerText()).toMatch(/Cache cleared: dropped skeldir_validation__tpl_/);
      await waitForCount(page, '[data-testid="template-row"]', 0);
      expect(await page.getByTestId('cache-status').innerText()).toContain('No template yet');
    },
    TIMEOUT,
  );

  it(
    'a rebuild with drop snapshots a database with rows; Restore (typed name) brings the row back; Prune keeps N',
    async () => {
      app = await startAppUnderTest('snapshot restore');
      const { page, embeddedDir } = app;
      await page.getByRole('heading', { name: 'Setup' }).waitFor();
      await configure(page);
      await rebuildWithDrop(page, { validate: true });
      expect(await page.getByTestId('note-snapshot').count()).toBe(0);

      await app.superuserSql("INSERT INTO tenants (id, name, api_key_hash) VALUES ('33333333-3333-3333-3333-333333333333', 'Kept by the snapshot', 'h3')", DB);
      await rebuildWithDrop(page);
      // The tests of the first rebuild describe a database the second one dropped: Test results say so.
      await openView(page, 'results');
      expect(await page.getByTestId('results-stale').innerText()).toMatch(/^The database changed after these tests ran: rebuild at /);
      await openView(page, 'gates');
      const note = page.getByTestId('note-snapshot');
      const snapshot = /(skeldir_validation__snap_\S+)/.exec(await note.innerText())?.[1];
      expect(snapshot, await note.innerText()).toBeTruthy();
      expect(await superuserQuery(embeddedDir, 'SELECT name FROM tenants')).toEqual([]);
      // The drop step says how to restore in the app's own words, never with a CLI command.
      await page.getByTestId('gate-E2').click();
      const drop = await page.getByTestId('step-drop-database').innerText();
      expect(drop).toContain(`safety snapshot ${snapshot} taken first`);
      expect(drop).toContain('In Snapshots, click Restore… beside it.');
      expect(drop).not.toMatch(/skeldir-rebuild|--[a-z]/);
      await app.screenshot('snapshot-note');

      await note.getByRole('button', { name: 'Open Snapshots' }).click();
      await waitForCount(page, '[data-testid="snapshot-row"]', 1);
      const row = page.locator(`[data-testid="snapshot-row"][data-name="${snapshot}"]`);
      await row.getByRole('button', { name: `Restore ${snapshot}` }).click();
      const dialog = page.getByRole('dialog', { name: 'Restore a safety snapshot' });
      const restore = dialog.getByRole('button', { name: 'Restore', exact: true });
      expect(await restore.isDisabled()).toBe(true);
      await dialog.getByLabel(/to confirm/).fill('skeldir');
      expect(await restore.isDisabled()).toBe(true);
      await dialog.getByLabel(/to confirm/).fill(DB);
      await app.screenshot('restore-dialog');
      await restore.click();

      const result = page.getByTestId('copy-action-result');
      await result.waitFor({ timeout: 60_000 });
      expect(await result.innerText()).toContain(`Restored ${snapshot}`);
      expect(await superuserQuery(embeddedDir, 'SELECT name FROM tenants')).toEqual([{ name: 'Kept by the snapshot' }]);
      // The database as it was before the restore is a snapshot of its own: nothing lost either way.
      await waitForCount(page, '[data-testid="snapshot-row"]', 2);
      await app.screenshot('restored');
      // The diagnosis after the restore is of Setup's repository: Findings speak of it, not of "another repository".
      await openView(page, 'findings');
      expect(await page.getByTestId('provenance').getAttribute('data-belongs')).toBe('this');
      // The restore ran E1–E3 only: the rail no longer shows the rebuild's R4, VERIFY and R5 as this database's.
      await openView(page, 'gates');
      expect(await page.getByTestId('run-summary').innerText()).toMatch(/^Restore finished: 3 gates passed/);
      for (const gate of ['R4', 'VERIFY', 'R5']) expect(await page.getByTestId(`gate-${gate}`).getAttribute('data-status')).toBe('pending');
      await openView(page, 'results');
      expect(await page.getByTestId('results-stale').innerText()).toMatch(/^The database changed after these tests ran: restore at /);
      // A diagnosis since reads and changes nothing: the tests stay stale, by the restore that changed the database.
      await page.locator('header').getByRole('button', { name: 'Diagnose' }).click();
      await waitForRunSummary(page, 'Diagnosis finished');
      await openView(page, 'results');
      expect(await page.getByTestId('results-stale').innerText()).toMatch(/^The database changed after these tests ran: restore at /);
      await openView(page, 'snapshots');
      // Whether the next rebuild with drop is warm is the engine's answer, asked when the list is read:
      // a restore changes no migration, and a reload (which forgets the last rebuild's cache note) changes nothing.
      await page.reload();
      // The engine remembers the runs, not the window: after the reload the tests are still the rebuild's, still stale by the restore.
      await openView(page, 'results');
      expect(await page.getByTestId('results-stale').innerText()).toMatch(/^The database changed after these tests ran: restore at /);
      await openView(page, 'snapshots');
      await waitForCount(page, '[data-testid="template-row"][data-current="true"]', 1);
      expect(await page.getByTestId('cache-tone').innerText()).toBe('next rebuild: warm');
      // The OS's dark theme: the same screen must stay readable.
      await page.emulateMedia({ colorScheme: 'dark' });
      await app.screenshot('restored-dark');
      await page.emulateMedia({ colorScheme: 'light' });

      await page.getByLabel('Keep the newest').fill('1');
      await page.getByRole('button', { name: 'Prune…' }).click();
      await page.getByRole('dialog', { name: 'Prune safety snapshots?' }).getByRole('button', { name: 'Remove 1 snapshot' }).click();
      await page.getByText(/Removed 1 snapshot:/).waitFor();
      await waitForCount(page, '[data-testid="snapshot-row"]', 1);
    },
    TIMEOUT,
  );

  it(
    'Save diagnosis (JSON) → Open diagnosis shows the bundle read-only: banner, its findings, actions disabled; Compare lists the differences; Preview SQL',
    async () => {
      app = await startAppUnderTest('diagnosis bundle');
      const { page } = app;
      await page.getByRole('heading', { name: 'Setup' }).waitFor();
      await configure(page);
      await page.locator('header').getByRole('button', { name: 'Diagnose' }).click();
      expect(await waitForGate(page, 'E1', 90_000)).toBe('passed');

      // Preview SQL for a revision of the fresh machine: offline Alembic, nothing runs.
      await openView(page, 'graph');
      await page.locator('.react-flow__node').first().waitFor();
      await page.getByLabel('Find a revision by id or message').fill('202511131115');
      await page.getByTestId('revision-panel').waitFor();
      await page.getByTestId('revision-panel').getByTestId('preview-sql').click();
      await page.locator('[data-testid="sql-preview"][data-status="ready"]').waitFor({ timeout: 60_000 });
      expect(await page.locator('.sql-code').innerText()).toMatch(/CREATE TABLE tenants/);
      await app.screenshot('sql-preview');

      await page.locator('nav').getByRole('button', { name: 'Save diagnosis…' }).click();
      const saveDialog = page.getByRole('dialog', { name: 'Save diagnosis' });
      await saveDialog.getByRole('radio', { name: /JSON/ }).check();
      await app.screenshot('save-dialog');
      const [download] = await Promise.all([
        page.waitForEvent('download', { timeout: 60_000 }),
        saveDialog.getByRole('button', { name: 'Save', exact: true }).click(),
      ]);
      const file = path.join(ARTIFACTS_DIR, 'diagnosis-bundle.json');
      await download.saveAs(file);
      expect(download.suggestedFilename()).toMatch(/^skeldir-diagnosis-.*\.json$/);
      await saveDialog.getByTestId('diagnosis-saved').waitFor();
      await saveDialog.getByRole('button', { name: 'Close' }).click();
      const saved = JSON.parse(fs.readFileSync(file, 'utf8')) as { report: { findings: Array<{ id: string }> } };
      expect(saved.report.findings.map((f) => f.id)).toContain('ROLES-MISSING');

      // The live machine moves on: the roles exist now, so its own diagnosis no longer finds them missing.
      for (const role of ['app_user', 'app_rw', 'app_ro']) await app.superuserSql(`CREATE ROLE ${role} LOGIN PASSWORD '${role}'`);
      await page.locator('header').getByRole('button', { name: 'Diagnose' }).click();
      expect(await waitForGate(page, 'E1', 90_000)).toBe('passed');
      await openView(page, 'findings');
      await waitForCount(page, '[data-testid="finding-ROLES-MISSING"]', 0);

      await page.getByTestId('open-diagnosis-input').setInputFiles(file);
      const banner = page.getByTestId('viewing-banner');
      await banner.waitFor();
      expect(await banner.innerText()).toMatch(/Viewing diagnosis from 127\.0\.0\.1:\d+ · .+ — not live/);
      await page.getByTestId('finding-ROLES-MISSING').waitFor();
      expect(await page.getByTestId('remediate-ROLES-MISSING').isDisabled()).toBe(true);
      expect(
        await page
          .locator('header')
          .getByRole('button', { name: /Rebuild/ })
          .isDisabled(),
      ).toBe(true);
      expect(await page.locator('header').getByRole('button', { name: 'Diagnose' }).isDisabled()).toBe(true);
      await app.screenshot('viewing-findings');
      await page.emulateMedia({ colorScheme: 'dark' });
      await app.screenshot('viewing-findings-dark');
      await page.emulateMedia({ colorScheme: 'light' });

      await openView(page, 'gates');
      expect(await page.getByTestId('gate-E1').getAttribute('data-status')).toBe('passed');
      await openView(page, 'graph');
      await waitForCount(page, '.react-flow__node', 12);
      expect(await page.getByRole('button', { name: 'Upgrade to here' }).count()).toBe(0);
      await page.getByLabel('Find a revision by id or message').fill('202511131115');
      expect(await page.getByRole('button', { name: 'Upgrade to here' }).isDisabled()).toBe(true);
      await app.screenshot('viewing-graph');
      await openView(page, 'parity');
      await waitForCount(page, 'tr[data-testid^="parity-"]', 7);
      expect(await page.getByTestId('parity-roles').getAttribute('data-status')).toBe('error');
      await app.screenshot('viewing-parity');
      await openView(page, 'snapshots');
      await page.getByText('Snapshots are not part of a diagnosis').waitFor();

      // This machine now against the file: the roles are the difference.
      await openView(page, 'compare');
      await app.screenshot('compare-empty');
      await page.getByTestId('compare-side-a').getByRole('button', { name: 'This machine (live)' }).click();
      await page.getByTestId('compare-file-b').setInputFiles(file);
      await page.getByTestId('compare-differences').waitFor({ timeout: 60_000 });
      const roles = await page.getByTestId('compare-area-roles').innerText();
      expect(roles).toContain('app_rw');
      await app.screenshot('compare');

      await banner.getByRole('button', { name: 'Close' }).click();
      await banner.waitFor({ state: 'detached' });
      await openView(page, 'findings');
      expect(await page.getByTestId('finding-ROLES-MISSING').count()).toBe(0);
      expect(
        await page
          .locator('header')
          .getByRole('button', { name: /Rebuild/ })
          .isEnabled(),
      ).toBe(true);
    },
    TIMEOUT,
  );
});
