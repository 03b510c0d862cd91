import { afterEach, describe, expect, it } from 'vitest';
import type { JobEvent } from '../../shared/contract/events';
import { startAppUnderTest, wantsElectron, type AppUnderTest } from '../support/app-under-test';
import { browserAvailability } from '../support/browser';

/**
 * The log pane under load: 10,000 lines of Alembic/pytest output must keep the DOM
 * small (only visible rows exist) and scrolling immediate. The lines are injected into
 * the event stream, so no real job is needed. Timings are printed, never asserted (the
 * design keeps speed in the bench): this test guards the virtualization itself.
 */
const availability = browserAvailability();
const LINES = 10_000;

interface ScrollBox {
  scrollTop: number;
  scrollHeight: number;
}

let app: AppUnderTest | null = null;
afterEach(async () => {
  await app?.close();
  app = null;
});

describe.skipIf(!availability.available || wantsElectron())('log pane with 10,000 lines', () => {
  it('renders only the visible rows and scrolls to any line at once', async () => {
    app = await startAppUnderTest('log pane load');
    const { page } = app;
    await page.getByRole('heading', { name: 'Setup' }).waitFor();
    const emit = app.emitJobEvents;
    if (!emit) throw new Error('the browser host is needed to inject events');

    const jobId = 'synthetic-load-test';
    const events: JobEvent[] = [{ kind: 'gate-started', jobId, gate: 'R4', title: 'Migrations', totalSteps: 2 }];
    for (let i = 1; i <= LINES; i += 1) {
      events.push({
        kind: 'log-line',
        jobId,
        gate: 'R4',
        stream: i % 7 === 0 ? 'stderr' : 'stdout',
        line: `INFO  [alembic.runtime.migration] line ${i} of ${LINES}: Running upgrade ${'x'.repeat(i % 60)}`,
      });
    }
    await page.locator('nav [data-view="gates"]').click();
    const started = Date.now();
    emit(events);
    const list = page.locator(`.log-list[data-rows="${LINES}"]`);
    await list.waitFor({ timeout: 30_000 });
    const received = Date.now() - started;

    const rows = await page.locator('.log-list .virtual-row').count();
    expect(rows).toBeGreaterThan(5);
    expect(rows).toBeLessThan(120);
    // Attached to the end: the last line is on screen.
    await page.getByText(`line ${LINES} of ${LINES}:`).waitFor({ timeout: 5_000 });

    const scrollStarted = Date.now();
    await list.evaluate((element) => {
      const box = element as unknown as ScrollBox;
      box.scrollTop = box.scrollHeight / 2;
    });
    await page.getByText(`line ${LINES / 2} of ${LINES}:`).waitFor({ timeout: 5_000 });
    const scrolled = Date.now() - scrollStarted;
    expect(await page.locator('.log-list .virtual-row').count()).toBeLessThan(120);
    await app.screenshot('scrolled-to-middle');
    process.stderr.write(
      `[e2e] ${LINES} log lines shown ${received} ms after emitting; scroll to the middle rendered in ${scrolled} ms; ${rows} rows in the DOM\n`,
    );

    emit([
      {
        kind: 'job-finished',
        jobId,
        report: {
          command: 'rebuild',
          startedAt: new Date().toISOString(),
          server: { host: '127.0.0.1', port: 1, version: null, major: null, embedded: true },
          gates: [],
          findings: [],
          database: null,
        },
      },
    ]);
  }, 120_000);
});
