import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startAppUnderTest, type AppUnderTest } from '../support/app-under-test';
import { browserAvailability } from '../support/browser';
import { backendPython, REAL_CORPUS_DIR, realCorpusUnavailable, requireRealCorpusInCi } from '../support/real-corpus';
import { configure, openView, stepsText, waitForCount, waitForGate } from './app-driver';

/**
 * The app on the real Skeldir backend (the acceptance target), as a developer uses it:
 * Setup points at the repository and the backend's interpreter, Rebuild drops and runs
 * every gate with the validation tests, and the screens say what the CLI's run says:
 * every gate green, the guide's 14 tests passed, R5's environment per suite taken from
 * the repository's own ci.yml with no password in sight, and Findings listing the info
 * findings the engine reports instead of "No findings". Screenshots in test-artifacts/e2e/.
 */
requireRealCorpusInCi();
const availability = browserAvailability();
const GATES = ['E1', 'E2', 'E3', 'R4', 'VERIFY', 'R5'];
/** A cold rebuild of the real backend takes 10–20 s and R5 about 25 s on an idle machine; a shared one is slower. */
const RUN_TIMEOUT = 360_000;

let app: AppUnderTest | null = null;
afterEach(async () => {
  await app?.close();
  app = null;
});

describe.skipIf(!availability.available || realCorpusUnavailable() !== null)('the app on the real Skeldir backend', () => {
  it(
    'Rebuild with drop and validation: every gate passed, 14 tests passed, CI’s environment per suite without passwords, info findings only',
    async () => {
      app = await startAppUnderTest('real corpus');
      const { page } = app;
      await page.getByRole('heading', { name: 'Setup' }).waitFor();
      await configure(page, { repository: REAL_CORPUS_DIR, python: backendPython() as string });
      await app.screenshot('setup-saved');

      await page
        .locator('header')
        .getByRole('button', { name: /Rebuild/ })
        .click();
      const dialog = page.getByRole('dialog', { name: 'Rebuild the local database' });
      await dialog.getByRole('checkbox', { name: /Drop the existing database first/ }).check();
      await dialog.getByLabel(/to confirm/).fill('skeldir_validation');
      expect(await dialog.getByRole('checkbox', { name: /Skip the validation tests/ }).isChecked()).toBe(false);
      await app.screenshot('rebuild-dialog');
      await dialog.getByRole('button', { name: 'Drop and rebuild' }).click();

      await waitForGate(page, 'R5', RUN_TIMEOUT - 60_000);
      await app.screenshot('rebuilt');
      for (const gate of GATES) {
        const status = await page.getByTestId(`gate-${gate}`).getAttribute('data-status');
        expect(status, `${gate} is ${status}:\n${status === 'passed' ? '' : await stepsText(page, gate)}`).toBe('passed');
      }

      await openView(page, 'results');
      expect(await page.getByTestId('suite').count()).toBe(2);
      const suiteStatuses = await page
        .locator('[data-testid="suite"] .suite-head .status-badge')
        .evaluateAll((badges) => badges.map((b) => b.getAttribute('data-status')));
      expect(suiteStatuses).toEqual(['passed', 'passed']);
      expect(await page.locator('.case[data-status="passed"]').count(), await page.locator('.results-view').innerText()).toBe(14);
      expect(await page.locator('.case:not([data-status="passed"])').count()).toBe(0);
      await app.screenshot('test-results');

      await openView(page, 'parity');
      // Both suites ran with the environment of the ci.yml step that runs them, not the guide's fallback.
      await waitForCount(page, '[data-testid="suite-environment"][data-source="workflow"]', 2);
      expect(await page.locator('[data-testid="suite-environment"]').count()).toBe(2);
      for (const name of ['DATABASE_URL', 'CELERY_BROKER_URL', 'CELERY_RESULT_BACKEND']) {
        const rows = page.getByTestId(`suite-env-${name}`);
        expect(await rows.count(), `${name} in both suites`).toBe(2);
        for (const row of await rows.all()) {
          expect(await row.innerText()).toMatch(
            /postgresql:\/\/app_user:\*\*\*@127\.0\.0\.1:\d+\/skeldir_validation.*ci\.yml, job "celery-foundation".*\(rewritten to the local database\)/s,
          );
        }
      }
      // The job that builds skeldir_validation migrates the way the local plan does: no red row for it.
      expect(await page.getByTestId('parity-migrations').getAttribute('data-status'), await page.getByTestId('parity-migrations').innerText()).toBe('ok');
      await app.screenshot('parity');
      await page.getByTestId('suite-environments').scrollIntoViewIfNeeded();
      await app.screenshot('parity-suite-environments');
      // No password anywhere: neither CI's app_user password nor the bundled server's superuser's, visible or in the DOM.
      const superuser = JSON.parse(fs.readFileSync(path.join(app.embeddedDir, 'superuser.json'), 'utf8')) as { password: string };
      const html = await page.content();
      const text = await page.locator('body').innerText();
      for (const shown of [html, text]) {
        expect(shown).not.toMatch(/app_user:app_user@/);
        expect(shown).not.toContain(superuser.password);
      }

      await openView(page, 'findings');
      await page.locator('.finding-list').waitFor();
      expect(await page.getByText('No findings').count()).toBe(0);
      // What the engine reports after a green rebuild of the real backend: both suites' conftest falls back to a
      // remote DATABASE_URL that R5 overrides, and the graph has heads beyond the profile's target.
      const findings = await page.locator('article.finding').evaluateAll((cards) => cards.map((c) => `${c.getAttribute('data-testid')}:${c.className}`));
      expect(findings).toEqual(['finding-R5-REMOTE-FALLBACK:finding severity-info', 'finding-HEADS-BEYOND-TARGET:finding severity-info']);
      expect(await page.getByTestId('findings-count').innerText()).toBe('2');
      // Info findings ask nothing: they say so, with no disabled button posing as a control.
      expect(await page.locator('article.finding button:disabled').count()).toBe(0);
      expect(await page.getByTestId('no-fix-HEADS-BEYOND-TARGET').innerText()).toBe('For your information: nothing here needs fixing.');
      expect(await page.getByTestId('finding-HEADS-BEYOND-TARGET').innerText()).toContain('The database is at the target skeldir_foundation@head.');
      // The fallback sits in the conftest both suites load: one card names both.
      const fallback = await page.getByTestId('finding-R5-REMOTE-FALLBACK').innerText();
      for (const suite of ['test_b0532_window_idempotency.py', 'test_b052_queue_topology_and_dlq.py']) expect(fallback).toContain(suite);
      expect(fallback).toMatch(/fall back to .*backend\/tests\/conftest\.py:\d+\); R5’s own environment overrides it\./);
      await app.screenshot('findings');
    },
    RUN_TIMEOUT,
  );
});
