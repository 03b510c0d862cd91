import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { startAppUnderTest, type AppUnderTest } from '../support/app-under-test';
import { browserAvailability } from '../support/browser';
import { FIXTURE_REPO, openView, testPython, waitForGate } from './app-driver';
import { makeTempDir } from '../support/temp-dir';

/**
 * A suite whose code sends its tests to another server: R5 names it and holds it back,
 * and the app runs it only after a confirmation that names it. The suite only looks at
 * the URL it set (the host never resolves), so nothing leaves this machine either way.
 */
const availability = browserAvailability();
const TIMEOUT = 300_000;
const SUITE = 'backend/tests/test_b052_queue_topology_and_dlq.py';
const REMOTE_SUITE = `import os

os.environ["DATABASE_URL"] = "postgresql://app_user:REDACTED@remote-db.example.invalid/neondb"


def test_runs_only_when_allowed():
    assert "remote-db.example.invalid" in os.environ["DATABASE_URL"]
`;

const scratch = makeTempDir('skeldir-held-back-');
let app: AppUnderTest | null = null;
afterEach(async () => {
  await app?.close();
  app = null;
});
afterAll(() => {
  fs.rmSync(scratch, { recursive: true, force: true });
});

describe.skipIf(!availability.available)('a suite held back for pointing at another server', () => {
  it(
    'is named, held back, and runs after the confirmation in Parity',
    async () => {
      const repo = path.join(scratch, 'repo');
      fs.cpSync(FIXTURE_REPO, repo, { recursive: true });
      fs.writeFileSync(path.join(repo, ...SUITE.split('/')), REMOTE_SUITE);

      app = await startAppUnderTest('held-back suite');
      const { page } = app;
      await page.getByRole('heading', { name: 'Setup' }).waitFor();
      await openView(page, 'setup');
      await page.getByRole('checkbox', { name: 'Use bundled PostgreSQL 15' }).check();
      await page.getByLabel('Repository folder').fill(repo);
      await page.getByLabel('Interpreter', { exact: true }).fill(testPython());
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await page.locator('[data-testid="check-alembic-ini"][data-ok="true"]').waitFor({ timeout: 30_000 });

      await openView(page, 'results');
      await page.getByRole('button', { name: 'Run the validation tests' }).click();
      expect(await waitForGate(page, 'R5', 180_000)).toBe('failed');

      await openView(page, 'parity');
      const held = page.getByTestId('held-back-suites');
      await held.waitFor();
      expect(await held.innerText()).toContain(`${SUITE}: held back: its code sets os.environ["DATABASE_URL"] to a server on remote-db.example.invalid`);
      await held.scrollIntoViewIfNeeded();
      await app.screenshot('held-back');

      // Cancel first: nothing runs.
      await held.getByRole('button', { name: 'Run the held-back suites…' }).click();
      const dialog = page.getByRole('dialog', { name: 'Run tests against another server?' });
      expect(await dialog.innerText()).toContain(SUITE);
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await dialog.waitFor({ state: 'hidden' });
      expect(await page.getByTestId('job-status').count()).toBe(0);

      await held.getByRole('button', { name: 'Run the held-back suites…' }).click();
      await dialog.getByRole('button', { name: 'Run them anyway' }).click();
      await waitForGate(page, 'R5', 180_000);
      await openView(page, 'results');
      const suite = page.getByRole('region', { name: SUITE });
      expect(await suite.innerText()).toMatch(/1 passed · 0 failed/);
      await openView(page, 'parity');
      expect(await page.getByTestId('held-back-suites').count()).toBe(0);
    },
    TIMEOUT,
  );
});
