import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openClient } from '../../../../electron/engine/db/connect';
import { runPipeline } from '../../../../electron/engine/pipeline/run-pipeline';
import { SKELDIR_PROFILE } from '../../../../shared/profile/skeldir-profile';
import { ensureTestPython } from '../../../support/python-env';
import { processesMentioning } from '../../../support/processes';
import { addRevision, copyFixture, SAMPLE_HEAD, SKELDIR_FOUNDATION } from '../../../support/sample-project';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../../../support/throwaway-postgres';

/** Cancel in the middle of R4: no process left behind, alembic_version consistent, the state re-read. */
let pg: ThrowawayPostgres;
let python: string;
let repo: string;
const SLOW = '202512160000';

beforeAll(async () => {
  [pg, python] = await Promise.all([startThrowawayPostgres(), ensureTestPython()]);
  // Under a folder with spaces and non-ASCII characters, as on a Windows machine.
  repo = copyFixture(SKELDIR_FOUNDATION, 'II SKELDIR II b\u00e4ckend');
  addRevision(repo, SLOW, SAMPLE_HEAD, ['op.execute("SELECT pg_sleep(120)")'], 'slow_backfill');
});
afterAll(async () => {
  await pg?.stop();
  if (repo) fs.rmSync(path.dirname(repo), { recursive: true, force: true });
});

describe('cancelling R4', () => {
  it('ends the Alembic process tree, rolls back, and reports where the database stands', async () => {
    const controller = new AbortController();
    let sawSlow = false;
    const started = Date.now();
    const report = await runPipeline(
      {
        command: 'rebuild',
        gates: ['E1', 'E2', 'E3', 'R4', 'VERIFY'],
        settings: pg.settings,
        profile: SKELDIR_PROFILE,
        repoDir: repo,
        pythonFlag: python,
        bootstrap: { dropExisting: false, confirmed: false, allowRemote: false },
        explicitTargets: ['202511131121', SLOW],
        signal: controller.signal,
      },
      (event) => {
        if (event.kind === 'progress' && event.label.startsWith(SLOW) && !sawSlow) {
          sawSlow = true;
          // Let the statement start on the server, then cancel.
          setTimeout(() => controller.abort(), 700);
        }
      },
    );
    expect(sawSlow).toBe(true);
    expect(Date.now() - started).toBeLessThan(60_000);
    const r4 = report.gates.find((g) => g.id === 'R4');
    expect(r4?.status).toBe('failed');
    expect(r4?.steps.map((s) => s.status)).toEqual(['passed', 'failed']);
    expect(r4?.steps[1].detail).toBe('cancelled; the running transaction was rolled back');
    expect(report.gates.find((g) => g.id === 'VERIFY')?.status).toBe('blocked');
    // The user's cancel is said as such: no gate "failed" blocks the rest, no finding blames the setup.
    expect(report.cancelled).toBe(true);
    expect(report.gates.find((g) => g.id === 'VERIFY')?.steps[0]?.detail ?? '').toMatch(/cancelled/);
    expect(report.findings.filter((f) => f.source?.gate === 'R4').map((f) => f.id)).toEqual([]);
    // The whole upgrade was one transaction: nothing of it stayed.
    // Step 1 committed; step 2 (the slow one) was one transaction and left nothing.
    expect(report.database?.alembicVersion).toEqual(['202511131121']);
    expect(r4?.details?.standing).toMatch(/^at 202511131121/);

    // Only this test's driver: other test files may run their own Alembic meanwhile.
    expect(processesMentioning(path.join(repo, 'alembic.ini'))).toEqual([]);
    const client = await openClient(pg.settings, { database: 'postgres' });
    if (!client.ok) throw new Error(client.error.message);
    const sleeping = await client.value.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE query LIKE '%pg_sleep(120)%' AND pid <> pg_backend_pid()");
    await client.value.end();
    expect(sleeping.rows[0].n).toBe(0);
  });
});
