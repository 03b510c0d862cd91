import * as fs from 'node:fs';
import * as path from 'node:path';
import { Client } from 'pg';
import type { Page } from 'playwright-core';
import { readPostmasterPid } from '../../electron/engine/embedded/postmaster-pid';
import { REPO_ROOT } from '../support/python-env';

/**
 * What a user does in the app, as steps the e2e tests share: fill Setup, wait for a
 * gate, open a view. Waits poll the DOM's data-status attributes, which the app sets
 * for exactly this purpose (and for assistive tech, next to the words).
 */
export const FIXTURE_REPO = path.join(REPO_ROOT, 'test', 'fixtures', 'skeldir-foundation');

export function testPython(): string {
  const candidates = [process.env.SKELDIR_PYTHON, process.env.SKELDIR_TEST_PYTHON, path.join(REPO_ROOT, '.venv-test', 'bin', 'python')];
  return (
    candidates.find((p): p is string => typeof p === 'string' && p.trim() !== '' && fs.existsSync(p)) ?? path.join(REPO_ROOT, '.venv-test', 'bin', 'python')
  );
}

export type ViewName = 'setup' | 'gates' | 'graph' | 'findings' | 'parity' | 'results' | 'snapshots' | 'compare';

export async function openView(page: Page, view: ViewName): Promise<void> {
  await page.locator(`nav [data-view="${view}"]`).click();
}

/** Setup: bundled PostgreSQL 15, a repository (the fixture unless told), an interpreter (the test one unless told); Save. */
export async function configure(page: Page, options: { repository?: string; python?: string } = {}): Promise<void> {
  await openView(page, 'setup');
  await page.getByRole('checkbox', { name: 'Use bundled PostgreSQL 15' }).check();
  await page.getByLabel('Repository folder').fill(options.repository ?? FIXTURE_REPO);
  await page.getByLabel('Interpreter', { exact: true }).fill(options.python ?? testPython());
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.locator('[data-testid="check-alembic-ini"][data-ok="true"]').waitFor({ timeout: 30_000 });
}

const TERMINAL = ['passed', 'failed', 'skipped', 'blocked'];

/**
 * The page's DOM as the predicates below use it. This file is compiled for Node (no DOM
 * types); the predicates are serialized and run in the page. They must be functions:
 * the app's CSP forbids eval, so Playwright cannot evaluate strings there.
 */
interface PageElement {
  getAttribute(name: string): string | null;
  textContent: string | null;
}
declare const document: {
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): { length: number };
};

/**
 * Opens the Gates view and waits until `gate` reaches a final status and no job runs;
 * returns the status. On a timeout the error carries what the screen showed.
 */
export async function waitForGate(page: Page, gate: string, timeout = 120_000): Promise<string> {
  await openView(page, 'gates');
  try {
    await page.waitForFunction(
      ([id, terminal]) => {
        const status = document.querySelector(`[data-testid="gate-${id}"]`)?.getAttribute('data-status') ?? '';
        return terminal.includes(status) && document.querySelector('[data-testid="job-status"]') === null;
      },
      [gate, TERMINAL] as const,
      { timeout, polling: 200 },
    );
  } catch (error) {
    const rail = await page
      .locator('.gate-rail')
      .innerText()
      .catch(() => '(no rail)');
    const job = await page
      .getByTestId('job-status')
      .innerText()
      .catch(() => '(no job running)');
    const banner = await page
      .locator('.banner')
      .innerText()
      .catch(() => '(no error banner)');
    throw new Error(`Gate ${gate} did not finish in ${timeout} ms.\nRail:\n${rail}\nJob: ${job}\nBanner: ${banner}\n${String(error)}`);
  }
  return (await page.getByTestId(`gate-${gate}`).getAttribute('data-status')) ?? 'unknown';
}

/** Waits until the run summary starts with `prefix`: the job a header button started has ended (its gate may have been green before it). */
export async function waitForRunSummary(page: Page, prefix: string, timeout = 60_000): Promise<void> {
  await page.waitForFunction((text) => document.querySelector('[data-testid="run-summary"]')?.textContent?.startsWith(text) === true, prefix, {
    timeout,
    polling: 200,
  });
}

/** Waits until `selector` matches exactly `count` elements. */
export async function waitForCount(page: Page, selector: string, count: number, timeout = 15_000): Promise<void> {
  await page.waitForFunction(([s, n]) => document.querySelectorAll(s).length === n, [selector, count] as const, { timeout, polling: 200 });
}

/** The text of the selected gate's steps, for assertion messages. */
export async function stepsText(page: Page, gate: string): Promise<string> {
  await page.getByTestId(`gate-${gate}`).click();
  return (await page.locator('.gate-steps').innerText()).slice(0, 4000);
}

/**
 * Rebuild from the header with "drop existing database" and the typed name; waits for
 * the last gate the run has. R5 is skipped unless asked for: these tests are about
 * copies and bundles, and the rebuild-flow test already runs the validation suites.
 */
export async function rebuildWithDrop(page: Page, options: { validate?: boolean; database?: string } = {}): Promise<void> {
  await page
    .locator('header')
    .getByRole('button', { name: /Rebuild/ })
    .click();
  const dialog = page.getByRole('dialog', { name: 'Rebuild the local database' });
  await dialog.getByRole('checkbox', { name: /Drop the existing database first/ }).check();
  await dialog.getByLabel(/to confirm/).fill(options.database ?? 'skeldir_validation');
  if (!options.validate) await dialog.getByRole('checkbox', { name: /Skip the validation tests/ }).check();
  await dialog.getByRole('button', { name: 'Drop and rebuild' }).click();
  const last = options.validate ? 'R5' : 'VERIFY';
  const status = await waitForGate(page, last, 120_000);
  if (status !== 'passed') throw new Error(`The rebuild ended with ${last} ${status}:\n${await stepsText(page, last)}`);
}

/** A session of the bundled server's superuser (credentials from the service's superuser.json), connected; the caller ends it. */
export async function superuserClient(embeddedDir: string, database = 'skeldir_validation', applicationName = 'skeldir e2e test'): Promise<Client> {
  const credentials = JSON.parse(fs.readFileSync(path.join(embeddedDir, 'superuser.json'), 'utf8')) as { superuser: string; password: string };
  const running = readPostmasterPid(path.join(embeddedDir, 'data'));
  if (!running?.alive) throw new Error(`The bundled PostgreSQL in ${embeddedDir} is not running.`);
  const client = new Client({
    host: '127.0.0.1',
    port: running.port,
    user: credentials.superuser,
    password: credentials.password,
    database,
    application_name: applicationName,
  });
  await client.connect();
  return client;
}

/** Rows of a query as the bundled server's superuser. */
export async function superuserQuery<T extends Record<string, unknown>>(embeddedDir: string, sql: string, database = 'skeldir_validation'): Promise<T[]> {
  const client = await superuserClient(embeddedDir, database);
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}
