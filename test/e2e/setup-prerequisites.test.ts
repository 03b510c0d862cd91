import { afterEach, describe, expect, it } from 'vitest';
import { startAppUnderTest, type AppUnderTest } from '../support/app-under-test';
import { browserAvailability } from '../support/browser';
import { REAL_CORPUS_DIR, realCorpusMissing } from '../support/real-corpus';
import { openView, testPython } from './app-driver';

/**
 * Setup's interpreter lines on the real Skeldir backend with the fixture's interpreter
 * (SQLAlchemy 2.1 with psycopg2 only, no celery): the driver Alembic would load is a ✗
 * with its pip command, a requirement only the suites import says it blocks the tests,
 * and dev tooling nobody imports is a warning — all before any rebuild is started.
 */
const availability = browserAvailability();
if (process.env.CI === 'true' && realCorpusMissing()) throw new Error(`CI needs the real corpus: ${realCorpusMissing()}`);

let app: AppUnderTest | null = null;
afterEach(async () => {
  await app?.close();
  app = null;
});

describe.skipIf(!availability.available || realCorpusMissing() !== null)('Setup shows the interpreter\u2019s requirement lines', () => {
  it('a ✗ with the pip command for the driver and for what the suites import, a warning for tooling', async () => {
    app = await startAppUnderTest('setup prerequisites');
    const { page } = app;
    await openView(page, 'setup');
    await page.getByLabel('Repository folder').fill(REAL_CORPUS_DIR);
    await page.getByLabel('Interpreter', { exact: true }).fill(testPython());
    await page.getByRole('button', { name: 'Save', exact: true }).click();

    const driver = page.locator('[data-testid="check-database-driver"][data-level="error"]');
    await driver.waitFor({ timeout: 60_000 });
    expect(await driver.innerText()).toMatch(/SQLAlchemy 2\.1\.\d+ loads psycopg/);
    expect(await driver.locator('pre').innerText()).toMatch(/-m pip install "psycopg\[binary\]"$/);

    const celery = page.locator('[data-testid="check-requirement-celery"][data-level="error"]');
    expect(await celery.innerText()).toContain('blocks the validation tests');
    expect(await celery.locator('pre').innerText()).toContain('-m pip install "celery>=5.3.6"');

    const tooling = page.locator('[data-testid="check-requirement-schemathesis"][data-level="warning"]');
    expect(await tooling.locator('pre').innerText()).toContain('schemathesis>=3.19.0');
    await driver.scrollIntoViewIfNeeded();
    await app.screenshot('requirement-lines');

    // Rebuild warns before it starts, and says what a drop would do: nothing, since R4 could not follow it.
    await page
      .locator('header')
      .getByRole('button', { name: /Rebuild/ })
      .click();
    const dialog = page.getByRole('dialog', { name: 'Rebuild the local database' });
    const warning = dialog.getByTestId('rebuild-cannot-migrate');
    expect(await warning.innerText()).toMatch(/stop at R4, after creating the roles and the database\. Setup lists each line/);
    await dialog.getByRole('checkbox', { name: /Drop the existing database first/ }).check();
    expect(await warning.innerText()).toMatch(/stop at R4, and would not drop the database unless a cached copy of these migrations can replace it\./);
  });
});
