import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openClient } from '../../../electron/engine/db/connect';
import { SKELDIR_PROFILE } from '../../../shared/profile/skeldir-profile';
import type { Finding, RunReport, StepReport } from '../../../shared/report/report';
import { runCli } from '../../support/run-cli';
import { backendPython, REAL_CORPUS_DIR, realCorpusUnavailable, requireRealCorpusInCi } from '../../support/real-corpus';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../../support/throwaway-postgres';
import { makeTempDir } from '../../support/temp-dir';

/**
 * Support staff's scenario on the real Skeldir backend, through the CLI with --json: after
 * a green rebuild someone revoked a grant a planned revision made, dropped what app_ro
 * owns (its privileges) and reset the guide's database-level setting. Diagnose, read-only,
 * names all three; each finding's fix (`skeldir-rebuild fix`, the path the app's buttons
 * take) clears its own, and the findings are empty only once a fresh Diagnose finds nothing.
 */
requireRealCorpusInCi();
const unavailable = realCorpusUnavailable();
const DATABASE = SKELDIR_PROFILE.database.name;
const GUC = SKELDIR_PROFILE.gucs[0];

describe.skipIf(unavailable !== null)('Diagnose is a read-only VERIFY on the real Skeldir backend', () => {
  let pg: ThrowawayPostgres;
  let offlineDir: string;

  const cli = async (args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; report: RunReport; stderr: string }> => {
    const run = await runCli(
      [...args, '--host', '127.0.0.1', '--port', String(pg.settings.port), '--superuser', pg.settings.superuser, '--repo', REAL_CORPUS_DIR, '--json'],
      { SKELDIR_SUPERUSER_PASSWORD: pg.settings.password, SKELDIR_OFFLINE_SQL_DIR: offlineDir, ...env },
      300_000,
    );
    try {
      return { code: run.code, report: JSON.parse(run.stdout) as RunReport, stderr: run.stderr };
    } catch {
      throw new Error(`${args[0]} printed no JSON report (exit ${run.code}):\n${run.stderr.slice(-4000)}`);
    }
  };
  const python = () => ['--python', backendPython() as string];
  const e1Step = (report: RunReport, id: string): StepReport | undefined => report.gates.find((g) => g.id === 'E1')?.steps.find((s) => s.id === id);
  /** The findings that say something is wrong (HEADS-BEYOND-TARGET, an info, describes the corpus's graph and stays). */
  const problems = (findings: Finding[]) =>
    findings
      .filter((f) => f.severity !== 'info')
      .map((f) => f.id)
      .sort();
  const describeFindings = (report: RunReport) => report.findings.map((f) => `${f.id}: ${f.evidence}`).join('\n');
  /** A superuser session in the rebuilt database for the test's hand-made damage, ended after `work`. */
  const asAdmin = async <T>(work: (client: Client) => Promise<T>): Promise<T> => {
    const admin = await openClient(pg.settings, { database: DATABASE });
    if (!admin.ok) throw new Error(admin.error.message);
    try {
      return await work(admin.value);
    } finally {
      await admin.value.end();
    }
  };

  /** What Diagnose must not change: every relation's privileges and the database's settings. */
  const catalogLook = async (): Promise<string> => {
    const client = await openClient(pg.settings, { database: DATABASE });
    if (!client.ok) throw new Error(client.error.message);
    try {
      const acl = await client.value.query<{ relname: string; relacl: string | null }>(
        "SELECT c.relname, c.relacl::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' ORDER BY 1",
      );
      const settings = await client.value.query<{ setconfig: string[] | null }>(
        'SELECT s.setconfig FROM pg_db_role_setting s JOIN pg_database d ON d.oid = s.setdatabase WHERE d.datname = $1',
        [DATABASE],
      );
      return JSON.stringify([acl.rows, settings.rows]);
    } finally {
      await client.value.end();
    }
  };

  beforeAll(async () => {
    offlineDir = makeTempDir('skeldir offline sql ');
    pg = await startThrowawayPostgres();
    const rebuilt = await cli(['rebuild', ...python(), '--drop-existing', '--yes', '--skip-validation']);
    const statuses = rebuilt.report.gates.map((g) => `${g.id}:${g.status}`);
    if (rebuilt.code !== 0) throw new Error(`the rebuild failed: ${statuses.join(' ')}\n${describeFindings(rebuilt.report)}`);
    expect(statuses).toEqual(['E1:passed', 'E2:passed', 'E3:passed', 'R4:passed', 'VERIFY:passed', 'R5:skipped']);

    const admin = await openClient(pg.settings, { database: DATABASE });
    if (!admin.ok) throw new Error(admin.error.message);
    try {
      await admin.value.query('REVOKE SELECT ON attribution_events FROM app_rw');
      // 202511131121 revokes every privilege on it from PUBLIC: a hand-made grant undoes that.
      await admin.value.query('GRANT SELECT ON attribution_events TO PUBLIC');
      // app_ro owns no object in this schema: what it "owns" here are the privileges granted to it.
      await admin.value.query('DROP OWNED BY app_ro');
      await admin.value.query(`ALTER DATABASE ${DATABASE} RESET ${GUC.name}`);
    } finally {
      await admin.value.end();
    }
  }, 400_000);

  afterAll(async () => {
    await pg?.stop();
    if (offlineDir) fs.rmSync(offlineDir, { recursive: true, force: true });
  });

  it('Diagnose names all three, each with its fix, from the offline SQL the rebuild kept, and writes nothing', async () => {
    const before = await catalogLook();
    const { code, report } = await cli(['diagnose', ...python()]);
    expect(await catalogLook(), 'Diagnose changed privileges or settings').toBe(before);
    expect(code).toBe(0);
    expect(report.gates.map((g) => `${g.id}:${g.status}`)).toEqual(['E1:passed']);

    const guc = report.findings.find((f) => f.id === 'GUC-MISSING');
    expect(guc?.evidence, describeFindings(report)).toContain(GUC.name);
    expect(guc?.remediation?.action).toBe('set-guc');

    const grants = report.findings.find((f) => f.id === 'MIGRATION-GRANTS-MISSING');
    expect(grants?.remediation?.action, describeFindings(report)).toBe('reapply-migration-grants');
    const lines = grants?.evidence.split('\n') ?? [];
    expect(lines.find((line) => line.startsWith('app_rw:'))).toMatch(/^app_rw: SELECT missing on attribution_events \(\S*202511131121_add_grants\.py\)$/);
    expect(lines.find((line) => line.startsWith('PUBLIC:'))).toMatch(
      /^PUBLIC: SELECT still held, revoked on attribution_events \(\S*202511131121_add_grants\.py\)$/,
    );
    const appRo = lines.find((line) => line.startsWith('app_ro:')) ?? '';
    // Every table 202511131121 granted app_ro SELECT on, each with its file.
    for (const table of ['attribution_events', 'attribution_allocations', 'dead_events'])
      expect(appRo).toMatch(new RegExp(`SELECT missing on ${table} \\(\\S*202511131121_add_grants\\.py\\)`));

    const tableGrants = e1Step(report, 'table-grants');
    expect(tableGrants).toMatchObject({ status: 'failed', source: 'revisions' });
    expect((tableGrants?.evidence as { offlineSqlFromDisk?: boolean }).offlineSqlFromDisk, 'the rebuild\u2019s VERIFY kept the offline SQL').toBe(true);
    expect(e1Step(report, 'guc')?.status).toBe('failed');
    expect(e1Step(report, 'foreign-keys')).toMatchObject({ status: 'passed', source: 'profile' });
    expect(e1Step(report, 'row-level-security')).toMatchObject({ status: 'passed', source: 'revisions' });
    // Each failed step is explained by its catalogued finding, not a generic one.
    expect(problems(report.findings)).toEqual(['GUC-MISSING', 'MIGRATION-GRANTS-MISSING']);
  }, 120_000);

  it('with no offline SQL stored, Diagnose produces it when the interpreter can run Alembic, and says why not when it cannot', async () => {
    const empty = makeTempDir('skeldir offline sql empty ');
    try {
      // An interpreter that starts but has no Alembic (a path that does not exist is refused as bad input before anything runs).
      const bare = path.join(makeTempDir('skeldir bare venv '), 'venv');
      execFileSync(backendPython() as string, ['-m', 'venv', '--without-pip', bare]);
      const cannot = await cli(['diagnose', '--python', path.join(bare, 'bin', 'python')], { SKELDIR_OFFLINE_SQL_DIR: empty });
      const skipped = e1Step(cannot.report, 'table-grants');
      expect(skipped?.status).toBe('skipped');
      expect(skipped?.detail).toMatch(/not checked: .*no offline SQL is stored for these migration files/);
      expect(fs.readdirSync(empty)).toEqual([]);

      const produced = await cli(['diagnose', ...python()], { SKELDIR_OFFLINE_SQL_DIR: empty });
      const step = e1Step(produced.report, 'table-grants');
      // The same answer as from the stored SQL: the grants are still missing.
      expect(step?.status).toBe('failed');
      expect(step?.detail).toMatch(/^app_rw lacks SELECT on attribution_events \(granted by \S*202511131121_add_grants\.py\); app_ro lacks SELECT/);
      expect((step?.evidence as { offlineSqlFromDisk?: boolean }).offlineSqlFromDisk).toBe(false);
      expect(fs.readdirSync(empty).filter((name) => name.endsWith('.json'))).toHaveLength(1);
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  }, 120_000);

  it('each fix clears its finding; the findings are empty only when a fresh Diagnose finds nothing', async () => {
    const guc = await cli(['fix', 'GUC-MISSING', ...python(), '--yes']);
    expect(guc.code, describeFindings(guc.report)).toBe(0);
    expect(guc.report.gates.map((g) => `${g.id}:${g.status}`)).toEqual(['E1:passed', 'E2:passed', 'E3:passed']);
    // The setting is back; the grants are still missing, and the report says so.
    expect(problems(guc.report.findings), describeFindings(guc.report)).toEqual(['MIGRATION-GRANTS-MISSING']);
    expect(guc.stderr).toContain('\u2713 Fixed \u201cA database-level setting is missing\u201d');
    // "Fixed" is not "all clear": what the diagnosis after the fix still finds follows, each with its fix.
    expect(guc.stderr).toMatch(
      /Still found after the fix \(1\):\n {2}MIGRATION-GRANTS-MISSING \[error\] .* \u2192 fix: skeldir-rebuild fix MIGRATION-GRANTS-MISSING/,
    );
    // The same fix again: its opening diagnosis no longer finds the setting missing, and it says so rather than "Fixed".
    const again = await cli(['fix', 'GUC-MISSING', ...python(), '--yes']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.report.openingFindings).not.toContain('GUC-MISSING');
    expect(again.stderr).toContain('\u2713 Nothing to fix \u201cA database-level setting is missing\u201d: The diagnosis the fix began with did not find it');

    const grants = await cli(['fix', 'MIGRATION-GRANTS-MISSING', ...python(), '--yes']);
    expect(grants.code, describeFindings(grants.report)).toBe(0);
    expect(grants.report.gates.map((g) => `${g.id}:${g.status}`)).toEqual(['E1:passed', 'VERIFY:passed']);
    const reapplied = (grants.report.gates.find((g) => g.id === 'VERIFY')?.steps.find((s) => s.id === 'table-grants')?.evidence as { reapplied?: string[] })
      .reapplied;
    expect(reapplied).toContain('GRANT SELECT ON TABLE public.attribution_events TO app_rw');
    expect(reapplied).toContain('GRANT SELECT ON TABLE public.attribution_allocations TO app_ro');
    expect(reapplied).toContain('REVOKE SELECT ON TABLE public.attribution_events FROM PUBLIC');
    expect(problems(grants.report.findings), describeFindings(grants.report)).toEqual([]);

    const fresh = await cli(['diagnose', ...python()]);
    expect(problems(fresh.report.findings), describeFindings(fresh.report)).toEqual([]);
    // What the last fix's report leaves in Findings is exactly what a fresh Diagnose finds.
    expect(fresh.report.findings.map((f) => `${f.id}: ${f.evidence}`)).toEqual(grants.report.findings.map((f) => `${f.id}: ${f.evidence}`));
    const e1 = fresh.report.gates.find((g) => g.id === 'E1');
    expect(e1?.steps.filter((s) => s.status === 'failed').map((s) => `${s.id}: ${s.detail}`)).toEqual([]);
    expect(e1Step(fresh.report, 'table-grants')?.status).toBe('passed');
    // On the mended database the grants fix re-applies nothing, and says so.
    const nothing = await cli(['fix', 'MIGRATION-GRANTS-MISSING', ...python(), '--yes']);
    expect(nothing.code, nothing.stderr).toBe(0);
    expect(nothing.stderr).toContain('\u2713 Nothing to fix \u201cTable privileges differ from what the migrations granted and revoked\u201d');
    expect(nothing.stderr).not.toContain('Still found');
  }, 300_000);

  it('a profile role set to NOLOGIN is named, and its fix gives LOGIN back', async () => {
    await asAdmin((admin) => admin.query('ALTER ROLE app_ro NOLOGIN'));
    const found = await cli(['diagnose', ...python()]);
    expect(problems(found.report.findings), describeFindings(found.report)).toEqual(['ROLES-NOLOGIN']);
    expect(found.report.findings.find((f) => f.id === 'ROLES-NOLOGIN')?.evidence).toBe('app_ro exists but cannot log in (NOLOGIN).');
    expect(e1Step(found.report, 'roles')).toMatchObject({ status: 'failed', detail: expect.stringContaining('cannot log in (NOLOGIN): app_ro') });
    const fixed = await cli(['fix', 'ROLES-NOLOGIN', ...python(), '--yes']);
    expect(fixed.code, fixed.stderr).toBe(0);
    expect(fixed.stderr).toContain('\u2713 Fixed \u201cRoles of the profile cannot log in\u201d');
    expect(problems(fixed.report.findings), describeFindings(fixed.report)).toEqual([]);
  }, 120_000);

  it('a policy changed in place to let every row through is named, and its fix makes it again as the revision did', async () => {
    await asAdmin((admin) => admin.query('ALTER POLICY tenant_isolation_policy ON revenue_ledger USING (true) WITH CHECK (true)'));
    const found = await cli(['diagnose', ...python()]);
    expect(problems(found.report.findings), describeFindings(found.report)).toEqual(['MIGRATION-ROW-SECURITY-CHANGED']);
    expect(found.report.findings.find((f) => f.id === 'MIGRATION-ROW-SECURITY-CHANGED')?.evidence).toMatch(
      /^revenue_ledger: policy tenant_isolation_policy lets every row through \(USING true\), not as \S*202511131120\S*\.py made it$/,
    );
    const fixed = await cli(['fix', 'MIGRATION-ROW-SECURITY-CHANGED', ...python(), '--yes']);
    expect(fixed.code, fixed.stderr).toBe(0);
    expect(problems(fixed.report.findings), describeFindings(fixed.report)).toEqual([]);
    const qual = await asAdmin(
      async (admin) =>
        (
          await admin.query<{ qual: string }>(
            "SELECT pg_get_expr(polqual, polrelid) AS qual FROM pg_policy WHERE polname = 'tenant_isolation_policy' AND polrelid = 'revenue_ledger'::regclass",
          )
        ).rows[0]?.qual,
    );
    expect(qual).toContain('current_setting');
  }, 120_000);

  it('a version row beside its own ancestor is named with the row to delete, and the position step fails', async () => {
    await asAdmin(async (admin) => {
      await admin.query("INSERT INTO alembic_version (version_num) VALUES ('202511131120')");
      const overlapped = await cli(['diagnose', ...python()]);
      const finding = overlapped.report.findings.find((f) => f.id === 'VERSION-ROWS-OVERLAP');
      expect(finding?.evidence, describeFindings(overlapped.report)).toMatch(
        /^alembic_version holds both \S+ and its ancestor 202511131120: Alembic refuses every upgrade .*`DELETE FROM alembic_version WHERE version_num = '202511131120';`$/,
      );
      expect(overlapped.report.findings.map((f) => f.id)).not.toContain('HEADS-NOT-APPLIED');
      expect(e1Step(overlapped.report, 'graph-position')?.status).toBe('failed');
      // The row the evidence names, deleted: nothing is left to say.
      await admin.query("DELETE FROM alembic_version WHERE version_num = '202511131120'");
      const mended = await cli(['diagnose', ...python()]);
      expect(problems(mended.report.findings), describeFindings(mended.report)).toEqual([]);
    });
  }, 120_000);

  it('alembic_version set back behind the schema is named, and no upgrade is offered as its fix: E1 sees the tables, R4 the columns', async () => {
    await asAdmin(async (admin) => {
      const rows = (await admin.query<{ version_num: string }>('SELECT version_num FROM alembic_version')).rows.map((row) => row.version_num);
      try {
        // Set back to the celery branch alone: the core tables its missing branch makes are all there.
        await admin.query("UPDATE alembic_version SET version_num = '202512151300'");
        const branch = await cli(['diagnose', ...python()]);
        const ahead = branch.report.findings.find((f) => f.id === 'SCHEMA-AHEAD-OF-VERSION');
        expect(ahead?.evidence, describeFindings(branch.report)).toMatch(
          /^alembic_version holds 202512151300, but \d+ tables that revisions still to run create already exist: .*tenants/,
        );
        expect(ahead?.action).toBe('rebuild-from-scratch');
        expect(branch.report.findings.filter((f) => f.remediation?.action === 'run-planned-upgrade').map((f) => f.id)).toEqual([]);
        expect(e1Step(branch.report, 'graph-position')?.status).toBe('failed');

        // Set back one revision that adds a column: E1 reads tables, not columns, so the upgrade is offered and fails as what it is.
        await admin.query("UPDATE alembic_version SET version_num = '202512151400'");
        const fix = await cli(['fix', 'HEADS-NOT-APPLIED', ...python(), '--yes']);
        expect(fix.code).toBe(1);
        const failed = fix.report.findings.find((f) => f.id === 'SCHEMA-AHEAD-OF-VERSION');
        expect(failed?.evidence, describeFindings(fix.report)).toMatch(
          /DuplicateColumn \(SQLSTATE 42701\): .*already exists\. The database already holds what \w+ makes/,
        );
        expect(failed?.action).toBe('rebuild-from-scratch');
        expect(fix.report.findings.map((f) => f.id)).not.toContain('MIGRATION-FAILED');
      } finally {
        await admin.query('DELETE FROM alembic_version');
        for (const row of rows) await admin.query('INSERT INTO alembic_version (version_num) VALUES ($1)', [row]);
      }
      const mended = await cli(['diagnose', ...python()]);
      expect(problems(mended.report.findings), describeFindings(mended.report)).toEqual([]);
    });
  }, 300_000);

  it('a table dropped after its revision ran, then emptied version rows, are said against the graph with a rebuild as the remedy', async () => {
    await asAdmin(async (admin) => {
      // dead_events is not one of the profile's tables: the revisions' grants and row-level security name it.
      await admin.query('DROP TABLE dead_events CASCADE');
      const outside = await cli(['diagnose', ...python()]);
      expect(problems(outside.report.findings), describeFindings(outside.report)).toEqual(['TABLES-DROPPED']);
      expect(outside.report.findings.find((f) => f.id === 'TABLES-DROPPED')?.evidence).toMatch(
        /^Missing: dead_events \(granted on or secured by \S+\.py(, \S+\.py)*, which ran\)\.$/,
      );
      // VERIFY says it the same way (its own checks name the relation), not as a generic failed step.
      const verified = await cli(['verify', ...python()]);
      expect(verified.code).toBe(1);
      expect(problems(verified.report.findings), describeFindings(verified.report)).toEqual(['TABLES-DROPPED']);

      await admin.query('DROP TABLE worker_failed_jobs CASCADE');
      const dropped = await cli(['diagnose', ...python()]);
      const finding = dropped.report.findings.find((f) => f.id === 'TABLES-DROPPED');
      // Not the planned upgrade's to fix: alembic_version says the creating revision ran.
      expect(problems(dropped.report.findings), describeFindings(dropped.report)).toEqual(['TABLES-DROPPED']);
      expect(finding?.evidence).toMatch(/^Missing: worker_failed_jobs \(created by \w+, applied\)\. Also missing: dead_events \(granted on/);
      expect(finding?.action).toBe('rebuild-from-scratch');
      expect(finding?.remediation).toBeNull();

      await admin.query('DELETE FROM alembic_version');
      const unrecorded = await cli(['diagnose', ...python()]);
      // The only error; the graph's hazard warning for an upgrade from the start stays, as on an empty database.
      const errors = unrecorded.report.findings.filter((f) => f.severity === 'error').map((f) => f.id);
      expect(errors, describeFindings(unrecorded.report)).toEqual(['SCHEMA-UNRECORDED']);
      expect(unrecorded.report.findings.find((f) => f.id === 'SCHEMA-UNRECORDED')?.evidence).toMatch(
        /^alembic_version records no revision, but \d+ tables the revisions create already exist: .+\. An upgrade would run them from the start and fail at revision \w+ \(it creates tenants\)\.$/,
      );
    });
    // The remedy both findings name: a rebuild from scratch (the rows go to a safety snapshot first).
    const rebuilt = await cli(['rebuild', ...python(), '--drop-existing', '--yes', '--skip-validation']);
    expect(rebuilt.code, describeFindings(rebuilt.report)).toBe(0);
    expect(problems(rebuilt.report.findings), describeFindings(rebuilt.report)).toEqual([]);
  }, 300_000);
});
