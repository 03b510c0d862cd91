import type { Client } from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { startAppUnderTest, type AppUnderTest } from '../support/app-under-test';
import { browserAvailability } from '../support/browser';
import { configure, openView, rebuildWithDrop, stepsText, superuserClient, waitForGate } from './app-driver';

/**
 * Diagnose while another client holds a lock inside the database (a psql session left in a
 * transaction): the app does not sit on "running" for ever. E1 ends after the lock wait
 * limit, its step names the session that holds a transaction open, the tables are unknown
 * rather than missing, and Findings says what to do.
 */
const availability = browserAvailability();
const TIMEOUT = 300_000;

let app: AppUnderTest | null = null;
let holder: Client | null = null;
afterEach(async () => {
  await holder?.end().catch(() => undefined);
  holder = null;
  await app?.close();
  app = null;
});

describe.skipIf(!availability.available)('Diagnose while another session holds a lock', () => {
  it(
    'E1 stops waiting, names the session, calls the tables unknown, and Findings says to close that session',
    async () => {
      app = await startAppUnderTest('locked database');
      const { page } = app;
      await page.getByRole('heading', { name: 'Setup' }).waitFor();
      await configure(page);
      await rebuildWithDrop(page);

      holder = await superuserClient(app.embeddedDir, 'skeldir_validation', 'psql left open');
      const pid = (await holder.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
      await holder.query('BEGIN');
      await holder.query('LOCK TABLE alembic_version IN ACCESS EXCLUSIVE MODE');

      await page.locator('header').getByRole('button', { name: 'Diagnose' }).click();
      expect(await waitForGate(page, 'E1', 90_000)).toBe('passed');
      const steps = await stepsText(page, 'E1');
      expect(steps).toMatch(/Another session held a lock needed for reading inside skeldir_validation and did not release it within 10 s/);
      expect(steps).toContain(`pid ${pid} ("psql left open", idle in transaction since `);
      expect(await page.getByTestId('step-tables').innerText()).toMatch(/unknown: skeldir_validation could not be read/);
      await app.screenshot('e1-lock');

      await openView(page, 'findings');
      const finding = page.getByTestId('finding-STEP-FAILED');
      await finding.waitFor();
      const text = await finding.innerText();
      expect(text).toMatch(/What to do: Finish or close the other session on this database/);
      expect(text).not.toContain('\u2192 fix:');
      expect(await page.locator('[data-testid="finding-TABLES-MISSING"]').count()).toBe(0);
      await app.screenshot('lock-finding');

      await holder.query('ROLLBACK');
      await page.locator('header').getByRole('button', { name: 'Diagnose' }).click();
      expect(await waitForGate(page, 'E1', 90_000)).toBe('passed');
      expect(await page.getByTestId('step-tables').innerText()).not.toMatch(/unknown/);
    },
    TIMEOUT,
  );
});
