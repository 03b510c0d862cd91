import { afterEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { JobEvent } from '../../shared/contract/events';
import { ciExpectationsFromProfile } from '../../shared/parity/ci-expectations';
import { compareCiWithLocal } from '../../shared/parity/ci-vs-local';
import { SKELDIR_PROFILE } from '../../shared/profile/skeldir-profile';
import type { DatabaseState, Finding, GateReport, RunReport, ServerInfo } from '../../shared/report/report';
import { startAppUnderTest, wantsElectron, type AppUnderTest } from '../support/app-under-test';
import { browserAvailability } from '../support/browser';
import { sampleBundle } from '../unit/renderer/sample-bundle';
import { openView } from './app-driver';

/**
 * Results say which moment they describe. Parity's "Test execution" line, filled by the
 * engine with the newest R5 that ran, says in Test results' words when the database changed
 * after those tests ran, or that they ran against another server; an opened diagnosis file's
 * Findings labels each of its two lists (the diagnosis made when the file was saved, the last
 * run before it) with its own time. Runs are injected as engine events and the engine's
 * parity answer is made from them with the engine's own compareCiWithLocal (no database
 * needed); screenshots at 1280×800 and 1024×640 land in test-artifacts/e2e/.
 */
const availability = browserAvailability();
const SIZES = [
  { width: 1280, height: 800 },
  { width: 1024, height: 640 },
];

let app: AppUnderTest | null = null;
afterEach(async () => {
  await app?.close();
  app = null;
});

const cluster = (systemId: string): ServerInfo => ({ host: '127.0.0.1', port: 54329, version: '15.18', major: 15, embedded: true, systemId });
const TABLES = SKELDIR_PROFILE.expectedTables;

function database(tables: string[]): DatabaseState {
  return {
    name: 'skeldir_validation',
    exists: true,
    owner: 'app_user',
    roles: ['app_user', 'app_rw', 'app_ro'],
    missingRoles: [],
    tables,
    missingTables: TABLES.filter((t) => !tables.includes(t)),
    otherTables: [],
    guc: { 'app.current_tenant_id': '00000000-0000-0000-0000-000000000000' },
    missingGucs: [],
    alembicVersion: tables.length ? ['skeldir_foundation'] : null,
    connections: [],
  };
}

const passedGate = (id: GateReport['id']): GateReport => ({ id, status: 'passed', durationMs: 20, steps: [] });

/** R5 as a rebuild reports it: the profile's two suites, 14 tests passed in all. */
const R5_PASSED: GateReport = {
  id: 'R5',
  status: 'passed',
  durationMs: 6_200,
  steps: [],
  details: {
    suites: SKELDIR_PROFILE.validationSuites.map((suite) => ({
      suite,
      outcome: 'passed',
      detail: '7 passed, 0 failed, 0 errors, 0 skipped in 3.1 s',
      passed: 7,
      failed: 0,
      errors: 0,
      skipped: 0,
      durationMs: 3_100,
      cases: Array.from({ length: 7 }, (_, i) => ({ name: `test_case_${i + 1}`, classname: 'tests', status: 'passed', durationMs: 12 })),
    })),
  },
};

/** A finished run as the engine reports it; Setup names no repository, nor do the runs. */
function run(command: string, startedAt: string, gates: GateReport[], tables: string[], systemId = 'cluster-a', findings: Finding[] = []): RunReport {
  return {
    command,
    startedAt,
    server: cluster(systemId),
    gates,
    findings,
    database: database(tables),
    provenance: { repoDir: null, commit: null, branch: null, command, startedAt, server: cluster(systemId) },
  };
}

/**
 * Answers the page's getParity as the engine would after `reports` (in order): the last one
 * against CI, with the newest R5 that ran kept for "Test execution" (app-service's lastValidation).
 */
async function answerParityLike(page: Page, reports: () => RunReport[]): Promise<void> {
  const ci = ciExpectationsFromProfile(SKELDIR_PROFILE);
  await page.route('**/api/getParity', async (route) => {
    const all = reports();
    const last = all.at(-1) ?? null;
    const lastValidation =
      [...all].reverse().flatMap((r) => r.gates.filter((g) => g.id === 'R5' && (g.status === 'passed' || g.status === 'failed')))[0] ?? null;
    const rows = compareCiWithLocal(ci, {
      report: last,
      plan: null,
      python: { version: '3.11.7' },
      platform: 'linux',
      lastValidation,
      validationSuites: SKELDIR_PROFILE.validationSuites,
    });
    await route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ ok: true, value: { ci, rows } }) });
  });
}

/** The date and time as the page formats it (its locale, not Node's). */
async function pageDateTime(page: Page, iso: string): Promise<string> {
  return page.evaluate((value) => new Date(value).toLocaleString(), iso);
}

describe.skipIf(!availability.available || wantsElectron())('results that say which moment they describe', () => {
  it('Parity’s "Test execution" says its R5 result is stale after a bootstrap, in Test results’ words, and "not run against this server" on another cluster', async () => {
    app = await startAppUnderTest('kept test results');
    const { page } = app;
    await page.getByRole('heading', { name: 'Setup' }).waitFor();
    const emit = app.emitJobEvents;
    if (!emit) throw new Error('the browser host is needed to inject events');
    const reports: RunReport[] = [];
    await answerParityLike(page, () => reports);
    // Finished jobs in order, as the engine would send them; waits until the last one's summary is on the Gates view.
    const finish = async (runs: RunReport[], summary: string) => {
      reports.push(...runs);
      await openView(page, 'gates');
      emit(runs.map((report, index): JobEvent => ({ kind: 'job-finished', jobId: `job-${reports.length}-${index}`, report })));
      await page.getByTestId('run-summary').filter({ hasText: summary }).waitFor();
    };

    // The tester's steps: a rebuild with R5 (passes), two rebuilds with drop and R5 skipped, the
    // database dropped by hand, Diagnose, then "Run bootstrap" on DATABASE-MISSING.
    const core = [passedGate('E1'), passedGate('E2'), passedGate('E3'), passedGate('R4'), passedGate('VERIFY')];
    const skipped: GateReport = { id: 'R5', status: 'skipped', durationMs: 0, steps: [] };
    const bootstrapAt = '2026-12-07T23:09:00.000Z';
    await finish(
      [
        run('rebuild', '2026-12-07T23:00:00.000Z', [...core, R5_PASSED], TABLES),
        run('rebuild', '2026-12-07T23:03:00.000Z', [...core, skipped], TABLES),
        run('rebuild', '2026-12-07T23:05:00.000Z', [...core, skipped], TABLES),
        run('diagnose', '2026-12-07T23:08:00.000Z', [passedGate('E1')], []),
        run('fix DATABASE-MISSING', bootstrapAt, [passedGate('E1'), passedGate('E2'), passedGate('E3')], []),
      ],
      'Fix DATABASE-MISSING finished',
    );

    await openView(page, 'results');
    const resultsStale = page.getByTestId('results-stale');
    await resultsStale.waitFor();
    await app.screenshot('results-stale-tests');
    const when = await pageDateTime(page, bootstrapAt);
    const sentence = `The database changed after these tests ran: fix DATABASE-MISSING at ${when}.`;
    expect(await resultsStale.innerText()).toContain(sentence);

    await openView(page, 'parity');
    const testsRow = page.getByTestId('parity-tests');
    await page.getByTestId('parity-tables').waitFor();
    expect(await page.getByTestId('parity-tables').innerText()).toContain('0 of 6 present');
    expect(await testsRow.innerText()).toContain('pytest (Linux, Python 3.11.7): R5 passed (14 passed)');
    // The same R5, the same words: the line no longer passes for this database's result.
    const parityStale = testsRow.getByTestId('parity-tests-stale');
    expect(await parityStale.count(), 'Parity says nothing about the database changing after the tests').toBe(1);
    expect(await parityStale.innerText()).toContain(sentence);
    expect(await testsRow.getAttribute('data-status')).toBe('warn');
    for (const size of SIZES) {
      await page.setViewportSize(size);
      await testsRow.scrollIntoViewIfNeeded();
      await app.screenshot(`parity-stale-tests-${size.width}x${size.height}`);
    }

    // Setup's server is now another cluster (a new bundled data folder): the kept R5 ran on the old one.
    await finish([run('diagnose', '2026-12-07T23:12:00.000Z', [passedGate('E1')], TABLES, 'cluster-b')], 'Diagnosis finished');
    await openView(page, 'results');
    await page.getByRole('heading', { name: 'Not run against this server' }).waitFor();
    await openView(page, 'parity');
    const elsewhere = page.getByTestId('parity-tests').getByTestId('parity-tests-elsewhere');
    await elsewhere.waitFor();
    expect(await elsewhere.getAttribute('data-why')).toBe('server');
    const ranAt = await pageDateTime(page, '2026-12-07T23:00:00.000Z');
    expect(await elsewhere.innerText()).toContain(
      `Not run against this server: this R5 result is from rebuild at ${ranAt}, against the bundled server at 127.0.0.1:54329, another PostgreSQL cluster.`,
    );
    expect(await page.getByTestId('parity-tests-stale').count()).toBe(0);
    for (const size of SIZES) {
      await page.setViewportSize(size);
      await page.getByTestId('parity-tests').scrollIntoViewIfNeeded();
      await app.screenshot(`parity-tests-other-server-${size.width}x${size.height}`);
    }
  }, 120_000);

  it('an opened diagnosis file labels each findings list with its own moment: the diagnosis made when it was saved, or the last run before', async () => {
    app = await startAppUnderTest('opened findings lists');
    const { page } = app;
    await page.getByRole('heading', { name: 'Setup' }).waitFor();
    const savedAt = '2026-12-07T23:07:47.000Z';
    const lastRunAt = '2026-12-07T23:06:50.000Z';
    const finding = (id: string, title: string): Finding => ({ id, severity: 'warning', title, evidence: `${title}.`, remediation: null });
    const bundle = sampleBundle((b) => {
      b.createdAt = savedAt;
      const provenance = (command: string, startedAt: string) => ({ repoDir: '/home/dev/skeldir-2.0', commit: null, branch: null, command, startedAt });
      // The rebuild's two findings (what the user saw), and the one the diagnosis made for the file finds.
      b.lastRun = {
        ...run('rebuild', lastRunAt, [passedGate('E1'), passedGate('R4'), R5_PASSED], TABLES, 'cluster-a', [
          finding('PYTHON-OLDER', 'This machine’s Python is older than CI’s'),
          finding('GRANTS-EXTRA', 'A role has more privileges than the profile grants'),
        ]),
        provenance: provenance('rebuild', lastRunAt),
      };
      b.report = {
        ...b.report,
        startedAt: savedAt,
        findings: [finding('GRANTS-EXTRA', 'A role has more privileges than the profile grants')],
        provenance: provenance('report', savedAt),
      };
    });
    await page
      .getByTestId('open-diagnosis-input')
      .setInputFiles({ name: 'skeldir-diagnosis.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(bundle)) });
    await page.getByTestId('viewing-banner').waitFor();
    await openView(page, 'findings');
    await page.locator('.finding').first().waitFor();
    const head = page.locator('.findings-view .view-head p');
    const provenance = page.getByTestId('provenance');
    const saved = await pageDateTime(page, savedAt);
    const before = await pageDateTime(page, lastRunAt);

    // The list shown is the saved diagnosis's: heading and provenance line both name that moment.
    expect(await page.locator('.finding').count()).toBe(1);
    expect(await head.innerText()).toContain(`Read-only diagnosis made when the file was saved, ${saved}`);
    expect(await provenance.innerText(), 'the line under the heading names another run than the list').not.toContain('rebuild at');
    expect(await provenance.innerText()).toContain(`diagnosis for the saved file at ${saved}`);
    for (const size of SIZES) {
      await page.setViewportSize(size);
      await app.screenshot(`opened-findings-saved-${size.width}x${size.height}`);
    }

    // The last run's list, the one the user saw before saving, is one click away, under its own time.
    const lastRunChoice = page.getByRole('radio', { name: new RegExp(`Last run before the file was saved: rebuild at ${escapeRegExp(before)}`) });
    await lastRunChoice.check();
    expect(await page.locator('.finding').count()).toBe(2);
    expect(await head.innerText()).toContain(`Last run before the file was saved: rebuild at ${before}`);
    expect(await provenance.innerText()).toContain(`rebuild at ${before}`);
    expect(await page.getByTestId('findings-source').innerText()).toContain('2 findings');
    for (const size of SIZES) {
      await page.setViewportSize(size);
      await app.screenshot(`opened-findings-last-run-${size.width}x${size.height}`);
    }
  }, 120_000);
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
