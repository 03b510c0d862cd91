import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPipeline, type PipelineRequest } from '../../../../electron/engine/pipeline/run-pipeline';
import { SKELDIR_PROFILE } from '../../../../shared/profile/skeldir-profile';
import type { RunReport, StepReport } from '../../../../shared/report/report';
import { ensureTestPython } from '../../../support/python-env';
import { addRevision, copyFixture, SAMPLE_HEAD, SKELDIR_FOUNDATION } from '../../../support/sample-project';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../../../support/throwaway-postgres';
import { makeTempDir } from '../../../support/temp-dir';

/**
 * A revision whose SQL Alembic cannot write offline (it reads the live database) is
 * "not checked", never failed; the revisions before it are still checked; the offline SQL
 * is kept on disk, so the next VERIFY does not run Python again until a file changes.
 */
let pg: ThrowawayPostgres;
let python: string;
let repo: string;
beforeAll(async () => {
  [pg, python] = await Promise.all([startThrowawayPostgres(), ensureTestPython()]);
  repo = copyFixture(SKELDIR_FOUNDATION);
  addRevision(
    repo,
    '202512160100',
    SAMPLE_HEAD,
    [
      'import sqlalchemy as sa',
      '# Reads the live database: Alembic cannot render this offline.',
      'count = op.get_bind().execute(sa.text("SELECT count(*) FROM tenants")).scalar()',
      'op.execute("GRANT SELECT ON TABLE tenants TO app_ro")',
    ],
    'reads_live_database',
  );
});
afterAll(async () => {
  await pg?.stop();
  fs.rmSync(repo, { recursive: true, force: true });
});

function request(overrides: Partial<PipelineRequest> = {}): PipelineRequest {
  return { command: 'verify', gates: ['E1', 'VERIFY'], settings: pg.settings, profile: SKELDIR_PROFILE, repoDir: repo, pythonFlag: python, ...overrides };
}

const step = (report: RunReport, id: string): StepReport => {
  const found = report.gates.find((g) => g.id === 'VERIFY')?.steps.find((s) => s.id === id);
  if (!found) throw new Error(`no step ${id}`);
  return found;
};

describe('VERIFY with a revision that cannot be rendered offline', () => {
  it('passes; that revision is not checked (with its file and why); the earlier ones are', async () => {
    const report = await runPipeline(
      request({ command: 'rebuild', gates: ['E1', 'E2', 'E3', 'R4', 'VERIFY'], bootstrap: { dropExisting: true, confirmed: true, allowRemote: false } }),
      () => undefined,
    );
    expect(report.gates.map((g) => `${g.id}:${g.status}`)).toEqual(['E1:passed', 'E2:passed', 'E3:passed', 'R4:passed', 'VERIFY:passed']);
    const grants = step(report, 'table-grants');
    expect(grants.status).toBe('passed');
    expect(grants.detail).toMatch(
      /not checked: revision 202512160100 in alembic\/versions\/007_skeldir_foundation\/202512160100_reads_live_database\.py \(Alembic's offline mode stopped/,
    );
    expect(grants.detail).toContain('app_rw: SELECT, INSERT, UPDATE, DELETE');
    const evidence = grants.evidence as { expected: { role: string; relation: string; source: string }[]; offlineSqlFromDisk: boolean };
    expect(evidence.expected.some((e) => e.role === 'app_rw' && e.relation === 'attribution_events' && e.source.endsWith('202511131121_add_grants.py'))).toBe(
      true,
    );
    expect(evidence.offlineSqlFromDisk).toBe(false);
    expect(step(report, 'row-level-security').detail).toContain('not checked: revision 202512160100');
  });

  it('the next VERIFY reads the offline SQL from disk; editing a revision makes it run Alembic again', async () => {
    const again = await runPipeline(request(), () => undefined);
    expect(again.gates.find((g) => g.id === 'VERIFY')?.status).toBe('passed');
    expect((step(again, 'table-grants').evidence as { offlineSqlFromDisk: boolean }).offlineSqlFromDisk).toBe(true);

    addRevision(repo, '202512160100', SAMPLE_HEAD, ['op.execute("GRANT SELECT, INSERT ON TABLE tenants TO app_ro")'], 'reads_live_database');
    const edited = await runPipeline(request(), () => undefined);
    const grants = step(edited, 'table-grants');
    expect((grants.evidence as { offlineSqlFromDisk: boolean }).offlineSqlFromDisk).toBe(false);
    // Now known offline: its GRANT is expected; INSERT (never run) is missing, named with its file.
    expect(grants.status).toBe('failed');
    expect(grants.detail).toMatch(
      /^app_ro lacks INSERT on tenants \(granted by alembic\/versions\/007_skeldir_foundation\/202512160100_reads_live_database\.py\)$/,
    );
  });

  it('the revisions after the one offline mode stopped at share its error: it is said once, after their names', async () => {
    addRevision(
      repo,
      '202512160100',
      SAMPLE_HEAD,
      ['import sqlalchemy as sa', 'count = op.get_bind().execute(sa.text("SELECT count(*) FROM tenants")).scalar()'],
      'reads_live_database',
    );
    addRevision(repo, '202512160200', '202512160100', ['op.execute("GRANT SELECT ON TABLE tenants TO app_ro")'], 'after_it');
    const report = await runPipeline(
      request({ command: 'rebuild', gates: ['E1', 'E2', 'E3', 'R4', 'VERIFY'], bootstrap: { dropExisting: true, confirmed: true, allowRemote: false } }),
      () => undefined,
    );
    expect(report.gates.find((g) => g.id === 'VERIFY')?.status).toBe('passed');
    const detail = step(report, 'table-grants').detail;
    expect(detail).toMatch(/not checked: revision 202512160100, revision 202512160200 \(Alembic's offline mode stopped in `upgrade --sql /);
    expect(detail.match(/offline mode stopped/g)).toHaveLength(1);
  });

  it('keeps the stored SQL private without making the folders above it private: the bundled server (run as "postgres") still enters its own folder beside it', async () => {
    const root = makeTempDir('skeldir offline sql parents ');
    const dir = path.join(root, 'app data', 'offline-sql');
    const previous = process.env.SKELDIR_OFFLINE_SQL_DIR;
    process.env.SKELDIR_OFFLINE_SQL_DIR = dir;
    try {
      const report = await runPipeline(request(), () => undefined);
      expect((step(report, 'table-grants').evidence as { offlineSqlFromDisk: boolean }).offlineSqlFromDisk).toBe(false);
    } finally {
      process.env.SKELDIR_OFFLINE_SQL_DIR = previous;
    }
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    expect(fs.statSync(path.dirname(dir)).mode & 0o077).not.toBe(0);
  });
});
