import { afterEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { JobEvent } from '../../shared/contract/events';
import type { Finding, RunReport } from '../../shared/report/report';
import { startAppUnderTest, wantsElectron, type AppUnderTest } from '../support/app-under-test';
import { browserAvailability } from '../support/browser';
import { sampleBundle } from '../unit/renderer/sample-bundle';
import { openView } from './app-driver';

/**
 * Keyboard focus never drops to <body> when the control that had it goes away: after a
 * finding's fix it lands on the fix's outcome, after Close on the viewing banner on "Open
 * diagnosis…". And Compare tells the truth about this machine's side: it was read, not saved,
 * and its findings are not Findings' list until Diagnose. No PostgreSQL: the engine's answers
 * to startJob and saveDiagnosis are stubbed in the page, and the jobs' events injected.
 */
const availability = browserAvailability();

/** This file compiles for Node (no DOM types); these callbacks run in the page. */
interface PageElement {
  tagName: string;
  id: string;
  getAttribute(name: string): string | null;
}
declare const document: { activeElement: PageElement | null };

let app: AppUnderTest | null = null;
afterEach(async () => {
  await app?.close();
  app = null;
});

const SERVER = { host: '127.0.0.1', port: 54329, version: '15.18', major: 15, embedded: true };

const gucMissing: Finding = {
  id: 'GUC-MISSING',
  severity: 'error',
  title: 'A database-level setting is missing',
  evidence: 'app.current_tenant_id is not set on skeldir_validation',
  remediation: { action: 'set-guc', label: 'Set the database-level setting' },
};

function report(command: string, findings: Finding[], extra: Partial<RunReport> = {}): RunReport {
  return {
    command,
    startedAt: new Date().toISOString(),
    server: SERVER,
    gates: [{ id: 'E1', status: 'passed', durationMs: 40, steps: [{ id: 'guc', title: 'Database settings', status: 'passed', detail: 'read' }] }],
    findings,
    database: null,
    ...extra,
  };
}

/** A whole job as the engine would stream it: E1 started, finished, the job's report. */
function jobEvents(jobId: string, finished: RunReport): JobEvent[] {
  return [
    { kind: 'gate-started', jobId, gate: 'E1', title: 'Diagnose', totalSteps: 1 },
    { kind: 'gate-finished', jobId, gate: 'E1', report: finished.gates[0] },
    { kind: 'job-finished', jobId, report: finished },
  ];
}

/** What has focus: its test id, its id, or its tag name (BODY when focus was lost). */
async function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    const active = document.activeElement;
    return active?.getAttribute('data-testid') || active?.id || active?.tagName || 'none';
  });
}

/** Presses Tab until `testId` has focus, as a keyboard user gets there. */
async function tabTo(page: Page, testId: string): Promise<void> {
  for (let i = 0; i < 80; i += 1) {
    if ((await focused(page)) === testId) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${testId}`);
}

/** The engine's answer to the next startJob: the job id the injected events then carry. */
async function stubJobStart(page: Page, jobId: string): Promise<void> {
  await page.unroute('**/api/startJob');
  await page.route('**/api/startJob', (route) =>
    route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ ok: true, value: { jobId } }) }),
  );
}

describe.skipIf(!availability.available || wantsElectron())('focus after a fix and after Close; Compare’s live side', () => {
  it('after a fix, focus is on its outcome (gone, or still there in the card); after Close on the viewing banner, on "Open diagnosis…"', async () => {
    app = await startAppUnderTest('focus after fix');
    const { page } = app;
    const emit = app.emitJobEvents;
    if (!emit) throw new Error('the browser host is needed to inject events');
    await page.getByRole('heading', { name: 'Setup' }).waitFor();
    await page.setViewportSize({ width: 1280, height: 800 });

    // A diagnosis found the database-level setting missing.
    emit(jobEvents('diagnose-1', report('diagnose', [gucMissing])));
    await openView(page, 'findings');
    const fixButton = page.getByTestId('remediate-GUC-MISSING');
    await fixButton.waitFor();
    expect(await fixButton.innerText()).toBe('Set the database-level setting');

    // Keyboard only: Tab to the fix, Enter; the fix's closing diagnosis no longer finds it.
    await stubJobStart(page, 'fix-1');
    await page.locator('body').click({ position: { x: 600, y: 700 } });
    await tabTo(page, 'remediate-GUC-MISSING');
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Fixing…' }).waitFor();
    const setTheSetting = {
      id: 'E2' as const,
      status: 'passed' as const,
      durationMs: 9,
      steps: [{ id: 'guc', title: 'Set app.current_tenant_id', status: 'passed' as const, detail: 'set' }],
    };
    const fixGates = [...report('fix', []).gates, setTheSetting];
    emit(jobEvents('fix-1', report('fix GUC-MISSING', [], { openingFindings: ['GUC-MISSING'], gates: fixGates })));
    const outcome = page.getByTestId('fix-outcome');
    await outcome.waitFor();
    expect(await outcome.innerText()).toMatch(/^✓ Fixed “A database-level setting is missing”/);
    await page.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'fix-outcome', undefined, { timeout: 5_000 });
    await app.screenshot('focus-on-fixed-outcome');

    // Again, and this time the finding stays: focus lands on the line in its card that says why.
    emit(jobEvents('diagnose-2', report('diagnose', [gucMissing])));
    await fixButton.waitFor();
    await stubJobStart(page, 'fix-2');
    await fixButton.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Fixing…' }).waitFor();
    emit(jobEvents('fix-2', report('fix GUC-MISSING', [gucMissing], { openingFindings: ['GUC-MISSING'], gates: fixGates })));
    await page.getByTestId('fix-outcome-GUC-MISSING').waitFor();
    await page.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'fix-outcome-GUC-MISSING', undefined, { timeout: 5_000 });
    await app.screenshot('focus-on-still-there-outcome');

    // A fix the engine refuses to start: its button is back, and so is focus.
    await page.unroute('**/api/startJob');
    await page.route('**/api/startJob', (route) =>
      route.fulfill({
        status: 200,
        contentType: 'application/json',
        body: JSON.stringify({ ok: false, error: { code: 'usage', message: 'Another job is running.' } }),
      }),
    );
    await fixButton.focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'remediate-GUC-MISSING', undefined, { timeout: 5_000 });

    // Someone's diagnosis opened and closed from the keyboard: focus goes back to what opened it.
    await page
      .getByTestId('open-diagnosis-input')
      .setInputFiles({ name: 'their-diagnosis.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(sampleBundle())) });
    const banner = page.getByTestId('viewing-banner');
    await banner.waitFor();
    await banner.getByRole('button', { name: 'Close' }).focus();
    await app.screenshot('viewing-banner-close-focused');
    await page.keyboard.press('Enter');
    await banner.waitFor({ state: 'detached' });
    expect(await focused(page)).toBe('open-diagnosis-button');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? document.activeElement?.tagName)).not.toBe('BODY');
    await app.screenshot('focus-back-on-open-diagnosis');
  }, 120_000);

  it('Compare names this machine’s side by when it was read, and says which of its findings Findings does not list until Diagnose', async () => {
    app = await startAppUnderTest('live compare');
    const { page } = app;
    const emit = app.emitJobEvents;
    if (!emit) throw new Error('the browser host is needed to inject events');
    await page.getByRole('heading', { name: 'Setup' }).waitFor();
    await page.setViewportSize({ width: 1280, height: 800 });

    // Findings (and the navigation's count) hold an older diagnosis with one finding.
    emit(jobEvents('diagnose-1', report('diagnose', [{ ...gucMissing, id: 'ROLES-MISSING', title: 'Roles are missing', remediation: null }])));
    await page.getByTestId('findings-count').waitFor();
    expect(await page.getByTestId('findings-count').innerText()).toBe('1');

    // This machine, read now: a fresh read-only diagnosis that finds two other problems.
    const readAt = new Date();
    const live = sampleBundle((bundle) => {
      bundle.createdAt = readAt.toISOString();
      bundle.report.findings = [gucMissing, { ...gucMissing, id: 'MIGRATION-GRANTS-MISSING', title: 'Grants the migrations made are missing' }];
    });
    await page.route('**/api/saveDiagnosis', (route) =>
      route.fulfill({
        status: 200,
        contentType: 'application/json',
        body: JSON.stringify({ ok: true, value: { fileName: 'skeldir-diagnosis.json', mimeType: 'application/json', content: JSON.stringify(live) } }),
      }),
    );
    await openView(page, 'compare');
    const sideA = page.getByTestId('compare-side-a');
    await sideA.getByRole('button', { name: 'This machine (live)' }).click();
    await page.locator('[data-testid="compare-side-a"][data-status="ready"]').waitFor();
    const time = await page.evaluate((iso) => new Date(iso).toLocaleTimeString(), readAt.toISOString());
    expect(await sideA.locator('h2').innerText()).toBe(`A This machine, read at ${time}`);
    const facts = await sideA.locator('dl').innerText();
    expect(facts).toMatch(/^Read\s/);
    expect(facts).not.toContain('Saved');

    // Its findings are not Findings' list, and the side says so; the badge keeps the diagnosis it counts.
    const note = page.getByTestId('compare-live-findings-a');
    expect(await note.getAttribute('data-differs')).toBe('true');
    expect(await note.innerText()).toContain('This read found 2 findings: GUC-MISSING, MIGRATION-GRANTS-MISSING.');
    expect(await note.innerText()).toContain('does not list GUC-MISSING, MIGRATION-GRANTS-MISSING');
    expect(await page.getByTestId('findings-count').innerText()).toBe('1');
    await app.screenshot('compare-live-side');

    // Diagnose from the note: Findings opens on the new diagnosis, and the two views agree.
    await stubJobStart(page, 'diagnose-2');
    await note.getByRole('button', { name: 'Diagnose and open Findings' }).click();
    await page.getByRole('heading', { name: 'Findings' }).waitFor();
    emit(jobEvents('diagnose-2', report('diagnose', live.report.findings)));
    await page.getByTestId('finding-MIGRATION-GRANTS-MISSING').waitFor();
    expect(await page.getByTestId('findings-count').innerText()).toBe('2');
    await openView(page, 'compare');
    expect(await note.getAttribute('data-differs')).toBe('false');
    expect(await note.innerText()).toMatch(/Findings lists the same, from the last diagnosis/);
    await app.screenshot('compare-live-side-agrees');
  }, 120_000);
});
