import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readPostmasterPid } from '../../electron/engine/embedded/postmaster-pid';
import { startAppUnderTest, type AppUnderTest } from '../support/app-under-test';
import { browserAvailability } from '../support/browser';
import { configure, openView, waitForGate } from './app-driver';

/**
 * Setup's "Data folder" for the bundled PostgreSQL, the answer to "the disk is full" and
 * "choose a folder you own": empty shows the default folder, a relative path is refused in
 * the field, and a full path moves the server there (the old folder's server stops with the save, its
 * data stays). Screenshots land in test-artifacts/e2e/.
 */
const availability = browserAvailability();

let app: AppUnderTest | null = null;
afterEach(async () => {
  await app?.close();
  app = null;
});

describe.skipIf(!availability.available)('the bundled server’s data folder in Setup', () => {
  it('shows the default, refuses a relative folder, and starts the server in the folder chosen', async () => {
    app = await startAppUnderTest('bundled server folder');
    const { page, embeddedDir } = app;
    await page.getByRole('heading', { name: 'Setup' }).waitFor();
    await openView(page, 'setup');
    await page.getByRole('checkbox', { name: 'Use bundled PostgreSQL 15' }).check();
    const field = page.getByLabel('Data folder');
    expect(await field.getAttribute('placeholder')).toBe(embeddedDir);
    expect(await field.inputValue()).toBe('');

    await field.fill('pg-data');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Give the full path of the folder, e.g. D:\\SkeldirRebuild\\postgres15.').waitFor();
    await app.screenshot('relative-refused');

    const chosen = path.join(path.dirname(embeddedDir), 'second disk', 'postgres15');
    fs.mkdirSync(chosen, { recursive: true, mode: 0o755 });
    fs.chmodSync(path.dirname(chosen), 0o755);
    await field.fill(`"${chosen}"`);
    await page.getByRole('button', { name: 'Save and test connection' }).click();
    // The save stops the default folder's server (started when the app opened), then the test starts one in the folder chosen.
    await expect.poll(() => readPostmasterPid(path.join(chosen, 'data'))?.alive ?? false, { timeout: 60_000 }).toBe(true);
    const server = readPostmasterPid(path.join(chosen, 'data'));
    await page.getByTestId('connection-ok').getByText(`(bundled) on 127.0.0.1:${server?.port}`).waitFor({ timeout: 30_000 });
    // The default folder's server stopped with the save; its data stays where it was.
    expect(readPostmasterPid(path.join(embeddedDir, 'data'))).toBeNull();
    expect(fs.existsSync(path.join(embeddedDir, 'data', 'PG_VERSION'))).toBe(true);
    // Saved without Explorer's quotes, and shown again as saved.
    expect(await field.inputValue()).toBe(chosen);
    await app.screenshot('moved');
  }, 120_000);

  it('after the folder moves, the last diagnosis says it was made against another server; a new diagnosis belongs again', async () => {
    app = await startAppUnderTest('results of another server');
    const { page, embeddedDir } = app;
    await page.getByRole('heading', { name: 'Setup' }).waitFor();
    await configure(page);
    await page.locator('header').getByRole('button', { name: 'Diagnose', exact: true }).click();
    expect(await waitForGate(page, 'E1')).toBe('passed');
    await openView(page, 'findings');
    const line = page.getByTestId('provenance');
    expect(await line.getAttribute('data-belongs')).toBe('this');

    // Another data folder is another cluster, although host, user and profile are the same.
    const chosen = path.join(path.dirname(embeddedDir), 'another folder', 'postgres15');
    fs.mkdirSync(chosen, { recursive: true, mode: 0o755 });
    await openView(page, 'setup');
    await page.getByLabel('Data folder').fill(chosen);
    await page.getByRole('button', { name: 'Save and test connection' }).click();
    await expect.poll(() => readPostmasterPid(path.join(chosen, 'data'))?.alive ?? false, { timeout: 60_000 }).toBe(true);
    await page.getByTestId('connection-ok').waitFor({ timeout: 30_000 });
    await openView(page, 'findings');
    await page.locator('[data-testid="provenance"][data-why="server"]').waitFor({ timeout: 10_000 });
    expect(await line.innerText()).toMatch(
      /^Not run against this server\. The last findings are from skeldir-foundation .*, against the bundled server at 127\.0\.0\.1:\d+: another PostgreSQL cluster/,
    );
    await app.screenshot('findings-of-another-server');

    await page.locator('header').getByRole('button', { name: 'Diagnose', exact: true }).click();
    expect(await waitForGate(page, 'E1')).toBe('passed');
    await openView(page, 'findings');
    await page.locator('[data-testid="provenance"][data-belongs="this"]').waitFor({ timeout: 10_000 });
  }, 180_000);
});
