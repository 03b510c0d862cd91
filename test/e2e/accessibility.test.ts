import { AxeBuilder } from '@axe-core/playwright';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { APP_VIEWS } from '../../shared/contract/app-views';
import { startAppUnderTest, wantsElectron, type AppUnderTest } from '../support/app-under-test';
import { browserAvailability } from '../support/browser';
import { sampleBundle } from '../unit/renderer/sample-bundle';
import { configure, openView } from './app-driver';

/**
 * axe-core on every view of the app, in light and dark: no serious or critical violation
 * of WCAG 2.1 A/AA. Two states are checked: the live app set up on the fixture
 * repository (forms, empty states, the graph, a finished run injected as engine events),
 * and an opened diagnosis bundle (every view filled: gates, findings, results, parity);
 * plus Setup's ✗ folder check and the Rebuild dialog, with and without "drop".
 * AxeBuilder injects axe's source with page.evaluate of a function, which the app's
 * CSP (no 'unsafe-eval') does not stop, so the page keeps its real CSP here.
 */
const availability = browserAvailability();
const THEMES = ['light', 'dark'] as const;
const BLOCKING = new Set(['serious', 'critical']);
const timings: string[] = [];
// About 3 s per analysis on an idle 2-core machine, up to 8 s on a busy one; each test runs about 20.
const TIMEOUT = 360_000;

let app: AppUnderTest | null = null;
afterEach(async () => {
  await app?.close();
  app = null;
});

/** The serious and critical violations on the page as it is, one line per failing element. */
async function blockingViolations(page: Page, where: string): Promise<string[]> {
  const started = Date.now();
  // Legacy mode runs axe in the page itself: the app has no iframes, and the default mode opens a
  // new blank page for every analysis to merge frame results, which made this test take minutes.
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).setLegacyMode(true).analyze();
  timings.push(`${where} ${Date.now() - started} ms`);
  return results.violations
    .filter((v) => BLOCKING.has(v.impact ?? ''))
    .flatMap((v) => v.nodes.map((n) => `${where}: ${v.id} (${v.impact}) ${n.target.join(' ')} — ${n.failureSummary?.split('\n').join(' ') ?? v.help}`));
}

/** Every navigation view in both colour schemes; returns what axe found, for one assertion at the end. */
async function checkEveryView(page: Page, state: string): Promise<string[]> {
  const found: string[] = [];
  for (const view of APP_VIEWS) {
    await openView(page, view.id);
    await page.locator(`nav [data-view="${view.id}"][aria-current="page"]`).waitFor();
    // Views that load on open settle first: axe should judge the screen a user looks at, not a spinner.
    await page
      .locator('.loading-state')
      .first()
      .waitFor({ state: 'detached', timeout: 30_000 })
      .catch(() => undefined);
    for (const theme of THEMES) {
      await page.emulateMedia({ colorScheme: theme });
      found.push(...(await blockingViolations(page, `${state} ${view.id} ${theme}`)));
    }
  }
  return found;
}

describe.skipIf(!availability.available || wantsElectron())('accessibility (axe-core)', () => {
  it(
    'live: no serious or critical violation on Setup with a ✗ folder, on every view after set-up and a finished run, in the Rebuild dialog',
    async () => {
      app = await startAppUnderTest('accessibility live');
      const { page } = app;
      await page.getByRole('heading', { name: 'Setup' }).waitFor();
      const found: string[] = [];
      // Before anything is set: the state a new user meets first, with a folder typed that is no project (the ✗ line and its fix).
      await page.getByLabel('Repository folder').fill(path.join(os.tmpdir(), 'no such backend folder'));
      await page.locator('[data-testid="check-repo-folder"][data-ok="false"]').waitFor({ timeout: 15_000 });
      for (const theme of THEMES) {
        await page.emulateMedia({ colorScheme: theme });
        found.push(...(await blockingViolations(page, `new setup ${theme}`)));
      }

      await configure(page);
      // A finished run with failed gates and a finding with its fix, as the engine would send it: Gates, Findings and Test results get content.
      const emit = app.emitJobEvents;
      if (!emit) throw new Error('the browser host is needed to inject events');
      const run = sampleBundle().lastRun;
      if (!run) throw new Error('the sample bundle has no last run');
      emit([{ kind: 'job-finished', jobId: 'accessibility-run', report: run }]);
      await openView(page, 'gates');
      await page.locator('[data-testid="gate-R4"][data-status="failed"]').waitFor();
      found.push(...(await checkEveryView(page, 'live')));

      await page
        .locator('header')
        .getByRole('button', { name: /Rebuild/ })
        .click();
      const dialog = page.getByRole('dialog', { name: 'Rebuild the local database' });
      await dialog.waitFor();
      for (const theme of THEMES) {
        await page.emulateMedia({ colorScheme: theme });
        found.push(...(await blockingViolations(page, `rebuild dialog ${theme}`)));
      }
      // With "drop" ticked: the typed-name field and the red "Drop and rebuild" button.
      await dialog.getByRole('checkbox', { name: /Drop the existing database first/ }).check();
      await dialog.getByRole('button', { name: 'Drop and rebuild' }).waitFor();
      for (const theme of THEMES) {
        await page.emulateMedia({ colorScheme: theme });
        found.push(...(await blockingViolations(page, `rebuild dialog with drop ${theme}`)));
      }
      await page.keyboard.press('Escape');

      process.stderr.write(`[a11y] axe per screen: ${timings.splice(0).join(', ')}\n`);
      expect(found).toEqual([]);
    },
    TIMEOUT,
  );

  it(
    'opened diagnosis: no serious or critical violation on any view, every one filled from the bundle',
    async () => {
      app = await startAppUnderTest('accessibility opened diagnosis');
      const { page } = app;
      await page.getByRole('heading', { name: 'Setup' }).waitFor();
      await page
        .getByTestId('open-diagnosis-input')
        .setInputFiles({ name: 'their-diagnosis.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(sampleBundle())) });
      await page.getByTestId('viewing-banner').waitFor();
      const found = await checkEveryView(page, 'opened diagnosis');

      process.stderr.write(`[a11y] axe per screen: ${timings.splice(0).join(', ')}\n`);
      expect(found).toEqual([]);
    },
    TIMEOUT,
  );
});
