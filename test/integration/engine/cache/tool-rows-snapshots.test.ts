import * as fs from 'node:fs';
import { freshSessions } from '../../../../electron/engine/db/run-sessions';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openClient } from '../../../../electron/engine/db/connect';
import type { PipelineRequest } from '../../../../electron/engine/pipeline/run-pipeline';
import { listSnapshots } from '../../../../electron/engine/gates/snapshots/safety-snapshots';
import { checkToolRows, recordToolRows } from '../../../../electron/engine/gates/snapshots/tool-rows';
import { SKELDIR_PROFILE } from '../../../../shared/profile/skeldir-profile';
import type { RunReport } from '../../../../shared/report/report';
import { runRebuild, useFixtureCluster } from '../../../support/fixture-cluster';

/**
 * Rows the tool's own R5 left are not the user's: the next drop takes no snapshot while
 * they are exactly what the run recorded, and takes one as soon as a row is added,
 * changed or deleted. Real PostgreSQL, real Alembic, real pytest: the fixture's
 * conftest is changed to leave its tenants behind, as the real backend's suites do.
 */
const cluster = useFixtureCluster(({ repo }) => {
  const conftest = path.join(repo, 'backend', 'tests', 'conftest.py');
  const text = fs.readFileSync(conftest, 'utf8');
  const cleanup = 'cur.execute("DELETE FROM tenants WHERE id = %s", (tid,))';
  expect(text).toContain(cleanup);
  fs.writeFileSync(conftest, text.replace(cleanup, 'pass  # leaves its tenant behind, like the real suites'));
});

const DB = SKELDIR_PROFILE.database.name;

const run = (overrides: Partial<PipelineRequest> = {}) => runRebuild(cluster, overrides);

async function sql(statement: string): Promise<number> {
  const client = await openClient(cluster.pg.settings, { database: DB });
  if (!client.ok) throw new Error(client.error.message);
  try {
    return (await client.value.query(statement)).rowCount ?? 0;
  } finally {
    await client.value.end();
  }
}

async function snapshots(): Promise<string[]> {
  const client = await openClient(cluster.pg.settings, { database: 'postgres' });
  if (!client.ok) throw new Error(client.error.message);
  try {
    return (await listSnapshots(client.value, DB)).map((s) => s.name);
  } finally {
    await client.value.end();
  }
}

function dropDetail(report: RunReport): string {
  return report.gates.find((g) => g.id === 'E2')?.steps.find((s) => s.id === 'drop-database')?.detail ?? '';
}

async function rebuildLeavingRows(): Promise<RunReport> {
  const report = await run();
  expect(report.gates.map((g) => `${g.id}:${g.status}`)).toEqual(['E1:passed', 'E2:passed', 'E3:passed', 'R4:passed', 'VERIFY:passed', 'R5:passed']);
  expect(report.toolRows).toMatch(/^recorded the rows left behind in \d+ tables? \(\d+ rows\)$/);
  return report;
}

describe('the safety snapshot skips rows the tool itself left', () => {
  it('R5 leaves rows; they are recorded; the next drop, with nothing changed, takes no snapshot', async () => {
    await rebuildLeavingRows();
    expect(await sql('SELECT 1 FROM tenants')).toBeGreaterThan(0);
    const next = await rebuildLeavingRows();
    expect(dropDetail(next)).toMatch(
      new RegExp(`^dropped ${DB}; only the rows the last rebuild left \\(recorded [0-9T:.Z-]+\\), unchanged since: no snapshot needed$`),
    );
    expect(next.snapshot).toBeUndefined();
    expect(await snapshots()).toEqual([]);
  });

  it.each([
    [
      'added',
      "INSERT INTO tenants (id, name, api_key_hash) VALUES ('77777777-7777-7777-7777-777777777777', 'A user row', 'h7')",
      /public\.tenants holds \d+ rows, \d+ were left since the last rebuild/,
    ],
    [
      'changed',
      "UPDATE tenants SET name = name || ' (renamed by hand)' WHERE id = (SELECT id FROM tenants LIMIT 1)",
      /public\.tenants's rows changed since the last rebuild/,
    ],
    [
      'deleted',
      'DELETE FROM tenants WHERE id = (SELECT id FROM tenants LIMIT 1)',
      /public\.\w+ (holds \d+ rows, \d+ were left|no longer holds rows) since the last rebuild/,
    ],
  ])('a row %s after the record: the next drop takes a snapshot', async (_what, statement, why) => {
    const before = await snapshots();
    expect(await sql(statement)).toBe(1);
    const next = await rebuildLeavingRows();
    expect(next.snapshot).toMatch(/^skeldir_validation__snap_/);
    expect(dropDetail(next)).toContain(`safety snapshot ${next.snapshot!} taken first`);
    expect(dropDetail(next)).toMatch(why);
    expect(await snapshots()).toEqual([...before, next.snapshot]);
  });

  it('past the profile\u2019s count E1 warns with the snapshots\u2019 total size and the prune command, and deletes nothing', async () => {
    const kept = await snapshots();
    expect(kept).toHaveLength(3);
    const diagnose = (profile = SKELDIR_PROFILE) => run({ command: 'diagnose', gates: ['E1'], profile, bootstrap: undefined, cache: undefined });

    const within = await diagnose();
    const calm = within.gates[0].steps.find((s) => s.id === 'snapshots');
    expect(calm?.status).toBe('passed');
    expect(calm?.detail).toMatch(new RegExp(`^3 safety snapshots of ${DB}, \\d+\\.\\d MB in all$`));
    expect(within.findings.map((f) => f.id)).not.toContain('SNAPSHOTS-PILING-UP');

    const strict = await diagnose({ ...SKELDIR_PROFILE, snapshotsWarnAbove: 2 });
    const warned = strict.gates[0].steps.find((s) => s.id === 'snapshots');
    expect(warned?.status).toBe('warning');
    expect(warned?.detail).toMatch(/^3 safety snapshots of skeldir_validation, \d+\.\d MB in all: more than the profile’s 2 \(snapshotsWarnAbove\)/);
    expect(warned?.detail).toContain('Nothing is deleted unasked; keeping the newest 2 would be enough.');
    expect(warned?.action).toBe('remove-snapshots');
    const finding = strict.findings.find((f) => f.id === 'SNAPSHOTS-PILING-UP');
    expect(finding?.severity).toBe('warning');
    expect(finding?.explanation).toContain('Keep the newest 2 and remove the rest');
    expect(finding?.action).toBe('remove-snapshots');
    // A warning is not a red gate: E1 still passes, and nothing was deleted.
    expect(strict.gates[0].status).toBe('passed');
    expect(await snapshots()).toEqual(kept);

    // A share of the free disk so small that three snapshots exceed it.
    const tiny = await diagnose({ ...SKELDIR_PROFILE, snapshotsWarnDiskShare: 1e-9 });
    expect(tiny.gates[0].steps.find((s) => s.id === 'snapshots')?.detail).toMatch(
      /more than 0% of the [\d.]+ [KMGT]?B free on the server’s data disk \(snapshotsWarnDiskShare\)/,
    );
  });

  it('a login that does not see every row (not a superuser, row-level security) neither records nor vouches for the rows', async () => {
    await sql("CREATE ROLE rows_rebuilder LOGIN CREATEDB CREATEROLE PASSWORD 'rows-rebuilder-pw'");
    const limited = { ...cluster.pg.settings, superuser: 'rows_rebuilder', password: 'rows-rebuilder-pw' };
    const recorded = await recordToolRows(freshSessions(limited), SKELDIR_PROFILE, 'rebuild');
    expect(recorded.ok ? recorded.value : recorded.error.message).toMatch(/^not recorded: .*not a superuser|permission denied/);
    const admin = await openClient(cluster.pg.settings, { database: 'postgres' });
    if (!admin.ok) throw new Error(admin.error.message);
    try {
      // The record the last rebuild made is there, and the superuser would vouch for it; the limited login may not.
      expect((await checkToolRows(admin.value, freshSessions(cluster.pg.settings), DB)).unchanged).toBe(true);
      const limitedCheck = await checkToolRows(admin.value, freshSessions(limited), DB);
      expect(limitedCheck.unchanged).toBe(false);
    } finally {
      await admin.value.end();
    }
  });
});
