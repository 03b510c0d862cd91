import { afterEach, describe, expect, it } from 'vitest';
import type { JobEvent } from '../../shared/contract/events';
import type { GateId } from '../../shared/report/gates';
import type { GateReport, RunReport } from '../../shared/report/report';
import { startAppUnderTest, wantsElectron, type AppUnderTest } from '../support/app-under-test';
import { browserAvailability } from '../support/browser';
import { sampleBundle } from '../unit/renderer/sample-bundle';
import { configure, openView } from './app-driver';
import type { Page } from 'playwright-core';

/**
 * The screens tell the truth at every size and to the keyboard: gate cards, header
 * status and chips hold at the minimum window (1100×700) and at 1920×1080 with 200 %
 * zoom (960×540 CSS px); actions that cannot work say why; the opened diagnosis is
 * read-only in Setup too; dialogs keep focus and give it back; a finished run lands
 * on its first failed gate. Runs are injected as engine events (no database needed
 * for what is measured here); screenshots in light and dark land in test-artifacts/e2e/.
 */
const availability = browserAvailability();
const SIZES = [
  { width: 1100, height: 700 },
  { width: 960, height: 540 },
  { width: 1280, height: 800 },
];
const THEMES = ['light', 'dark'] as const;

/** This file compiles for Node (no DOM types); these callbacks run in the page. */
interface PageElement {
  tagName: string;
  textContent: string | null;
  getAttribute(name: string): string | null;
  closest(selector: string): PageElement | null;
}
declare const document: { activeElement: PageElement | null };
declare const window: { innerWidth: number };

let app: AppUnderTest | null = null;
afterEach(async () => {
  await app?.close();
  app = null;
});

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

function overlaps(a: Box, b: Box): boolean {
  return a.x < b.x + b.width - 0.5 && b.x < a.x + a.width - 0.5 && a.y < b.y + b.height - 0.5 && b.y < a.y + a.height - 0.5;
}

/** Every gate card: its status word and its duration never share pixels, and neither leaves the card. */
async function assertGateCardsHold(page: Page, where: string): Promise<void> {
  for (const id of ['E1', 'E2', 'E3', 'R4', 'VERIFY', 'R5']) {
    const card = await page.getByTestId(`gate-${id}`).boundingBox();
    const badge = await page.getByTestId(`gate-${id}`).locator('.status-badge').boundingBox();
    const time = await page.getByTestId(`gate-${id}`).locator('.gate-time').boundingBox();
    if (!card || !badge) throw new Error(`${where}: gate ${id} is not on screen`);
    if (time && time.width > 0) expect(overlaps(badge, time), `${where}: ${id} status and duration overlap`).toBe(false);
    const name = await page.getByTestId(`gate-${id}`).locator('.gate-id').boundingBox();
    const counter = await page.getByTestId(`gate-${id}`).locator('.step-counter').boundingBox();
    if (name && counter && counter.width > 0) expect(overlaps(name, counter), `${where}: ${id} name and step counter overlap`).toBe(false);
    for (const [name, box] of [
      ['status', badge],
      ['duration', time],
    ] as const) {
      if (!box || box.width === 0) continue;
      expect(box.x + box.width, `${where}: ${id} ${name} leaves its card`).toBeLessThanOrEqual(card.x + card.width + 0.5);
    }
  }
}

/** No text in the header is cut: every element shows its full width. */
async function assertHeaderHolds(page: Page, where: string): Promise<void> {
  const clipped = await page
    .locator('header .chip, header [data-testid="job-status"] > span, header button, header .profile-name')
    .evaluateAll((elements) =>
      elements.filter((e) => e.scrollWidth > e.clientWidth + 1 || e.getBoundingClientRect().right > window.innerWidth + 0.5).map((e) => e.textContent ?? ''),
    );
  expect(clipped, `${where}: clipped in the header`).toEqual([]);
  // Nothing pushes the page sideways (the gate detail's two panes included).
  const sideways = await page.locator('#main').evaluate((e) => e.scrollWidth - e.clientWidth);
  expect(sideways, `${where}: the main area scrolls sideways`).toBeLessThanOrEqual(1);
}

/** A gate's report with `steps` steps; the last `problems` of them failed (a failed gate has at least one). */
function gateReport(id: GateId, status: GateReport['status'], durationMs: number, steps = 0, problems = status === 'failed' ? 1 : 0): GateReport {
  return {
    id,
    status,
    durationMs,
    steps: Array.from({ length: steps }, (_, i) => ({
      id: `${id}-step-${i + 1}`,
      title: `Step ${i + 1}`,
      status: i >= steps - problems ? 'failed' : 'passed',
      detail: 'done',
    })),
  };
}

describe.skipIf(!availability.available || wantsElectron())('screens that tell the truth', () => {
  it('layout holds at 1100×700, 960×540 and 1280×800 in light and dark; a finished run selects its first failed gate and takes focus to its summary', async () => {
    app = await startAppUnderTest('truthful layout');
    const { page } = app;
    await page.getByRole('heading', { name: 'Setup' }).waitFor();
    const emit = app.emitJobEvents;
    if (!emit) throw new Error('the browser host is needed to inject events');

    // Nothing set yet: Rebuild cannot work, and says why beside itself.
    const rebuild = page.locator('header').getByRole('button', { name: /Rebuild/ });
    expect(await rebuild.isDisabled()).toBe(true);
    expect(await page.getByTestId('rebuild-reason').innerText()).toContain('repository folder in Setup');
    expect(await rebuild.getAttribute('aria-describedby')).toBe('header-rebuild-reason');
    for (const size of [SIZES[0], SIZES[2]]) {
      await page.setViewportSize(size);
      for (const theme of THEMES) {
        await page.emulateMedia({ colorScheme: theme });
        await app.screenshot(`rebuild-disabled-with-reason-${size.width}x${size.height}-${theme}`);
      }
    }

    const jobId = 'synthetic-layout';
    const ran: Array<[GateId, GateReport['status'], number, number]> = [
      ['E1', 'passed', 12, 6],
      ['E2', 'passed', 148, 3],
      ['E3', 'passed', 2_312, 8],
      ['R4', 'failed', 61_456, 2],
    ];
    const events: JobEvent[] = [];
    for (const [gate, status, ms, steps] of ran) {
      events.push({ kind: 'gate-started', jobId, gate, title: gate, totalSteps: steps });
      events.push({ kind: 'gate-finished', jobId, gate, report: gateReport(gate, status, ms, steps, gate === 'E1' ? 2 : undefined) });
    }
    events.push({ kind: 'gate-started', jobId, gate: 'VERIFY', title: 'Verify', totalSteps: 9 });
    events.push({ kind: 'step-finished', jobId, gate: 'VERIFY', index: 4, total: 9, step: { id: 'v4', title: 'Grants', status: 'passed', detail: 'ok' } });
    await openView(page, 'gates');
    emit(events);
    await page.getByTestId('job-status').waitFor();

    for (const size of SIZES) {
      await page.setViewportSize(size);
      for (const theme of THEMES) {
        await page.emulateMedia({ colorScheme: theme });
        const where = `running ${size.width}×${size.height} ${theme}`;
        await assertHeaderHolds(page, where);
        await assertGateCardsHold(page, where);
        await app.screenshot(`running-${size.width}x${size.height}-${theme}`);
      }
    }
    expect(await page.getByTestId('job-status').innerText()).toMatch(/VERIFY .*\[4\/9\]/);

    const report: RunReport = {
      command: 'rebuild',
      startedAt: new Date().toISOString(),
      server: { host: '127.0.0.1', port: 54329, version: '15.18', major: 15, embedded: true },
      gates: [
        ...ran.map(([g, s, ms, n]) => gateReport(g, s, ms, n, g === 'E1' ? 2 : undefined)),
        gateReport('VERIFY', 'blocked', 0),
        gateReport('R5', 'blocked', 0),
      ],
      findings: [],
      database: null,
    };
    // The rail was told to follow the running gate; pick another one to show the run's end overrides it.
    await page.getByTestId('gate-E1').click();
    emit([{ kind: 'job-finished', jobId, report }]);
    await page.getByTestId('run-summary').waitFor();
    expect(await page.getByTestId('gate-R4').getAttribute('aria-pressed')).toBe('true');
    expect(await page.getByTestId('run-summary').innerText()).toBe('Rebuild finished: 3 gates passed, 1 failed, 2 blocked.');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? document.activeElement?.tagName)).toBe('run-summary');
    expect(await page.getByTestId('gate-E3').innerText()).toContain('[8/8]');
    // E1 ran to its end and found two problems: it passed, and says what it found.
    expect(await page.getByTestId('gate-E1').locator('.status-badge').innerText()).toContain('passed · 2 problems');

    for (const size of SIZES) {
      await page.setViewportSize(size);
      for (const theme of THEMES) {
        await page.emulateMedia({ colorScheme: theme });
        const where = `finished ${size.width}×${size.height} ${theme}`;
        await assertHeaderHolds(page, where);
        await assertGateCardsHold(page, where);
        await app.screenshot(`finished-${size.width}x${size.height}-${theme}`);
      }
    }
  }, 120_000);

  it('the Rebuild dialog keeps Tab inside and gives focus back to Rebuild…; Setup of an opened diagnosis is read-only', async () => {
    app = await startAppUnderTest('truthful focus');
    const { page } = app;
    await page.getByRole('heading', { name: 'Setup' }).waitFor();
    await configure(page);
    await page.setViewportSize({ width: 1100, height: 700 });

    const rebuild = page.locator('header').getByRole('button', { name: /Rebuild/ });
    expect(await rebuild.isEnabled()).toBe(true);
    expect(await page.getByTestId('rebuild-reason').count()).toBe(0);
    await rebuild.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Rebuild the local database' });
    await dialog.waitFor();
    const outside: string[] = [];
    for (let i = 0; i < 14; i += 1) {
      await page.keyboard.press(i % 5 === 4 ? 'Shift+Tab' : 'Tab');
      const inside = await page.evaluate(() => {
        const active = document.activeElement;
        return active !== null && active.closest('dialog') !== null ? '' : (active?.tagName ?? 'null');
      });
      if (inside) outside.push(`after Tab ${i + 1}: ${inside}`);
    }
    expect(outside).toEqual([]);
    for (const size of [SIZES[0], SIZES[2]]) {
      await page.setViewportSize(size);
      for (const theme of THEMES) {
        await page.emulateMedia({ colorScheme: theme });
        await app.screenshot(`rebuild-dialog-${size.width}x${size.height}-${theme}`);
      }
    }
    await page.setViewportSize(SIZES[0]);
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => document.activeElement?.textContent === 'Rebuild…', undefined, { timeout: 5_000 });

    // Support staff open someone's diagnosis: Setup shows that machine's settings, read-only.
    const bundle = sampleBundle();
    await page
      .getByTestId('open-diagnosis-input')
      .setInputFiles({ name: 'their-diagnosis.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(bundle)) });
    await page.getByTestId('viewing-banner').waitFor();
    await openView(page, 'setup');
    const readOnly = page.getByTestId('bundle-settings');
    await readOnly.waitFor();
    expect(await readOnly.innerText()).toContain('their-diagnosis.json');
    expect(await readOnly.innerText()).toContain(bundle.profile.database);
    expect(await page.getByRole('button', { name: 'Save', exact: true }).isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Test connection', exact: true }).isDisabled()).toBe(true);
    expect(await page.getByLabel('Repository folder').count()).toBe(0);
    for (const size of [SIZES[0], SIZES[2]]) {
      await page.setViewportSize(size);
      for (const theme of THEMES) {
        await page.emulateMedia({ colorScheme: theme });
        await app.screenshot(`viewing-setup-${size.width}x${size.height}-${theme}`);
      }
    }
  }, 120_000);
});

/**
 * A diagnosis shaped like the real repository's: nine workflow files, and rows whose
 * values are long unbroken names and commands (the parity table once grew past a
 * 1024-pixel window on them).
 */
function longValuesBundle(): ReturnType<typeof sampleBundle> {
  return sampleBundle((bundle) => {
    const workflows = ['channel_governance_ci', 'ci', 'contract-artifacts', 'contract-enforcement', 'contract-publish', 'contract-validation', 'contracts'];
    bundle.ci = { ...bundle.ci, source: 'workflow', files: workflows.map((name) => `.github/workflows/${name}.yml`) };
    const upgrade = '`alembic upgrade 202511131121` then `alembic upgrade skeldir_foundation_and_attribution_pipeline@head`';
    bundle.parity = [
      {
        id: 'migrations',
        component: 'Migration target',
        ci: upgrade,
        local: 'plan: `alembic upgrade skeldir_foundation_and_attribution_pipeline@head`',
        status: 'ok',
        note: `CI runs ${upgrade}.`,
      },
      {
        id: 'tests',
        component: 'Test execution',
        ci: 'pytest (ubuntu-latest, Python 3.11): backend/tests/test_b0532_window_idempotency_and_replay_protection.py',
        local: 'DATABASE_URL=postgresql://app_user:***@127.0.0.1:54329/skeldir_validation_with_a_long_name',
        status: 'warn',
        note: 'CI also runs `backend/tests/contract/test_contract_semantics_and_mock_integrity.py::test_coverage_report`.',
      },
    ];
  });
}

describe.skipIf(!availability.available || wantsElectron())('an opened diagnosis at small windows', () => {
  it('no view of an opened diagnosis scrolls sideways at 1024×640 or 960×540; long values wrap inside their cells', async () => {
    app = await startAppUnderTest('truthful views fit');
    const { page } = app;
    await page.getByRole('heading', { name: 'Setup' }).waitFor();
    await page
      .getByTestId('open-diagnosis-input')
      .setInputFiles({ name: 'their-diagnosis.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(longValuesBundle())) });
    await page.getByTestId('viewing-banner').waitFor();
    const wide: string[] = [];
    for (const size of [{ width: 1024, height: 640 }, SIZES[1]]) {
      await page.setViewportSize(size);
      for (const view of ['gates', 'findings', 'parity', 'results', 'setup'] as const) {
        await openView(page, view);
        await page.locator('#main .view').first().waitFor();
        const sideways = await page.locator('#main').evaluate((e) => e.scrollWidth - e.clientWidth);
        if (sideways > 1) wide.push(`${view} at ${size.width}×${size.height}: ${sideways}px`);
        await app.screenshot(`viewing-${view}-${size.width}x${size.height}`);
      }
    }
    expect(wide, 'views that scroll sideways').toEqual([]);
    // The CI column counts the workflow files; the list is one click away, under "How CI was read".
    await openView(page, 'parity');
    expect(await page.getByTestId('parity-ci-source').innerText()).toBe('from 7 workflow files');
    expect(await page.getByTestId('ci-notes').textContent()).toContain('.github/workflows/contract-publish.yml');
  }, 120_000);
});
