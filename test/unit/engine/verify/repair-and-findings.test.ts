import { describe, expect, it } from 'vitest';
import { foreignKeyFindings, rowSecurityFindings, schemaCheckFindings, verifyFindings } from '../../../../electron/engine/gates/verify/verify-findings';
import { foreignKeyRepairStatement, type ForeignKeyMismatch } from '../../../../electron/engine/gates/verify/foreign-key-check';
import { repairStatements, type PrivilegeMismatch } from '../../../../electron/engine/gates/verify/check-migration-privileges';
import { rowSecurityRepairStatements, type MissingPolicy, type RowSecuritySettingMismatch } from '../../../../electron/engine/gates/verify/row-security-check';
import type { GateReport } from '../../../../shared/report/report';
import { appError } from '../../../../shared/errors/app-error';
import { repairStoppedDetail } from '../../../../electron/engine/gates/verify/repair-statements';

const mismatch = (over: Partial<PrivilegeMismatch>): PrivilegeMismatch => ({
  role: 'app_rw',
  schema: 'public',
  relation: 'attribution_events',
  objectType: 'table',
  privilege: 'SELECT',
  expectedHeld: true,
  source: 'alembic/versions/001_core_schema/202511131121_add_grants.py',
  revision: '202511131121',
  ...over,
});

describe('repairStatements', () => {
  it('one GRANT per relation and role with the missing privileges, identifiers quoted by pg-format; REVOKE for what is held against a revoke', () => {
    expect(
      repairStatements([
        mismatch({}),
        mismatch({ privilege: 'UPDATE' }),
        mismatch({ role: 'App "Ro"', relation: 'Odd Name' }),
        mismatch({ role: 'app_user', objectType: 'sequence', relation: 'queue_id_sequence', privilege: 'USAGE' }),
        mismatch({ role: 'app_user', relation: 'jobs', privilege: 'DELETE', expectedHeld: false }),
      ]),
    ).toEqual([
      'GRANT SELECT, UPDATE ON TABLE public.attribution_events TO app_rw',
      'GRANT SELECT ON TABLE public."Odd Name" TO "App ""Ro"""',
      'GRANT USAGE ON SEQUENCE public.queue_id_sequence TO app_user',
      'REVOKE DELETE ON TABLE public.jobs FROM app_user',
    ]);
  });

  it('leaves out what no statement can settle: a relation that is gone, an unknown privilege word', () => {
    expect(repairStatements([mismatch({ relationMissing: true }), mismatch({ privilege: 'SELECT; DROP TABLE x' })])).toEqual([]);
  });

  it('re-applies a revision\u2019s REVOKE … FROM PUBLIC (and GRANT … TO PUBLIC) with the keyword, never a quoted "PUBLIC" role', () => {
    expect(repairStatements([mismatch({ role: 'PUBLIC', expectedHeld: false }), mismatch({ role: 'PUBLIC', relation: 'channel_taxonomy' })])).toEqual([
      'REVOKE SELECT ON TABLE public.attribution_events FROM PUBLIC',
      'GRANT SELECT ON TABLE public.channel_taxonomy TO PUBLIC',
    ]);
  });
});

const rowSecurity = (over: Partial<RowSecuritySettingMismatch>): RowSecuritySettingMismatch => ({
  schema: 'public',
  relation: 'attribution_recompute_jobs',
  setting: 'enabled',
  expected: true,
  source: 'alembic/versions/006_celery_foundation/202512151300_create_attribution_recompute_jobs.py',
  ...over,
});

const policy = (over: Partial<MissingPolicy>): MissingPolicy => ({
  setting: 'policy',
  schema: 'public',
  relation: 'revenue_ledger',
  policy: 'tenant_isolation_policy',
  definition: "USING (tenant_id = current_setting('app.current_tenant_id')::uuid)",
  source: 'alembic/versions/001_core_schema/202511131120_add_rls_policies.py',
  ...over,
});

describe('rowSecurityRepairStatements', () => {
  it('sets back each setting as the revision did, the table quoted by pg-format; a table that is gone is left out', () => {
    expect(
      rowSecurityRepairStatements([
        rowSecurity({}),
        rowSecurity({ setting: 'forced' }),
        rowSecurity({ schema: 'Audit', relation: 'Odd "Name"', expected: false }),
        rowSecurity({ setting: 'forced', expected: false }),
        rowSecurity({ relation: 'gone', relationMissing: true }),
      ]),
    ).toEqual([
      'ALTER TABLE public.attribution_recompute_jobs ENABLE ROW LEVEL SECURITY',
      'ALTER TABLE public.attribution_recompute_jobs FORCE ROW LEVEL SECURITY',
      'ALTER TABLE "Audit"."Odd ""Name""" DISABLE ROW LEVEL SECURITY',
      'ALTER TABLE public.attribution_recompute_jobs NO FORCE ROW LEVEL SECURITY',
    ]);
  });

  it('makes a missing policy again with the revision\u2019s definition, on the table\u2019s current name; not one a later ALTER POLICY changed', () => {
    expect(
      rowSecurityRepairStatements([policy({}), policy({ relation: 'Worker Jobs', policy: 'Tenant Rule' }), policy({ policy: 'altered', definition: null })]),
    ).toEqual([
      "CREATE POLICY tenant_isolation_policy ON public.revenue_ledger USING (tenant_id = current_setting('app.current_tenant_id')::uuid)",
      `CREATE POLICY "Tenant Rule" ON public."Worker Jobs" USING (tenant_id = current_setting('app.current_tenant_id')::uuid)`,
    ]);
  });
});

describe('verifyFindings', () => {
  const gate = (mismatches: PrivilegeMismatch[], status: 'failed' | 'passed' = 'failed'): GateReport => ({
    id: 'VERIFY',
    status,
    durationMs: 1,
    steps: [{ id: 'table-grants', title: 'Privileges the revisions granted', status, detail: '', evidence: { mismatches } }],
  });

  it('names each missing privilege with its role and revision file, with the fix that re-applies it', () => {
    const [finding, ...rest] = verifyFindings(
      gate([
        mismatch({}),
        mismatch({ privilege: 'INSERT' }),
        mismatch({ role: 'app_user', relation: 'jobs', privilege: 'DELETE', expectedHeld: false, source: 'v/r2.py' }),
      ]),
    );
    expect(rest).toEqual([]);
    expect(finding.id).toBe('MIGRATION-GRANTS-MISSING');
    expect(finding.evidence).toBe(
      'app_rw: SELECT, INSERT missing on attribution_events (alembic/versions/001_core_schema/202511131121_add_grants.py)\napp_user: DELETE still held, revoked on jobs (v/r2.py)',
    );
    expect(finding.remediation?.action).toBe('reapply-migration-grants');
  });

  it('names each table whose row-level security differs from what its revision set, with the fix that sets it back', () => {
    const report: GateReport = {
      id: 'VERIFY',
      status: 'failed',
      durationMs: 1,
      steps: [
        {
          id: 'row-level-security',
          title: 'Row-level security the revisions set',
          status: 'failed',
          detail: '',
          evidence: {
            mismatches: [
              rowSecurity({}),
              rowSecurity({ relation: 'jobs', setting: 'forced', source: 'v/r2.py' }),
              rowSecurity({ relationMissing: true }),
              policy({}),
              policy({ policy: 'altered', definition: null, source: 'v/r3.py' }),
            ],
          },
        },
      ],
    };
    // The vanished relation has nothing to re-apply: it is a dropped table, said as one.
    const findings = verifyFindings(report);
    expect(findings.map((f) => f.id)).toEqual(['MIGRATION-ROW-SECURITY-CHANGED', 'TABLES-DROPPED']);
    const finding = findings[0];
    expect(finding.evidence).toBe(
      [
        'attribution_recompute_jobs: not enabled (enabled by alembic/versions/006_celery_foundation/202512151300_create_attribution_recompute_jobs.py)',
        'jobs: not forced (FORCE by v/r2.py)',
        'revenue_ledger: policy tenant_isolation_policy missing (created by alembic/versions/001_core_schema/202511131120_add_rls_policies.py)',
        'revenue_ledger: policy altered missing (created by v/r3.py; a later ALTER POLICY changed it, so make it again by hand)',
      ].join('\n'),
    );
    expect(finding.remediation?.action).toBe('reapply-migration-row-security');
  });

  it('no row-level security finding when nothing named can be re-applied', () => {
    const step = (mismatches: unknown[]) => ({ status: 'failed' as const, evidence: { mismatches } });
    expect(rowSecurityFindings(step([rowSecurity({ relationMissing: true }), policy({ definition: null })]))).toEqual([]);
  });

  it('no grants finding when the step passed, or only the profile\u2019s own grants or vanished relations are off; a vanished relation is a dropped table', () => {
    expect(verifyFindings(gate([mismatch({})], 'passed'))).toEqual([]);
    expect(verifyFindings(gate([mismatch({ source: 'profile' })]))).toEqual([]);
    const vanished = verifyFindings(gate([mismatch({ relationMissing: true })]));
    expect(vanished.map((f) => [f.id, f.action])).toEqual([['TABLES-DROPPED', 'rebuild-from-scratch']]);
    expect(vanished[0].evidence).toMatch(/^Missing: \S+ \(granted on or secured by \S+, which ran\)\.$/);
  });
});

describe('the profile\u2019s foreign keys', () => {
  const expected = (over: Partial<ForeignKeyMismatch['expected']> = {}): ForeignKeyMismatch['expected'] => ({
    table: 'attribution_recompute_jobs',
    column: 'tenant_id',
    references: { table: 'tenants', column: 'id' },
    onDelete: 'CASCADE',
    ...over,
  });

  it('adds a missing one under the profile\u2019s name, or PostgreSQL\u2019s default name when the profile gives none', () => {
    expect(foreignKeyRepairStatement({ expected: expected({ name: 'jobs_tenant_fk' }), found: null })).toBe(
      'ALTER TABLE public.attribution_recompute_jobs ADD CONSTRAINT jobs_tenant_fk FOREIGN KEY (tenant_id) REFERENCES public.tenants (id) ON DELETE CASCADE',
    );
    expect(foreignKeyRepairStatement({ expected: expected({ table: 'Jobs Table', onDelete: 'SET NULL' }), found: null })).toBe(
      'ALTER TABLE public."Jobs Table" ADD CONSTRAINT "Jobs Table_tenant_id_fkey" FOREIGN KEY (tenant_id) REFERENCES public.tenants (id) ON DELETE SET NULL',
    );
  });

  it('replaces one standing with another action in one statement, so the table is never without it', () => {
    expect(foreignKeyRepairStatement({ expected: expected(), found: { name: 'by hand', onDelete: 'RESTRICT' } })).toBe(
      'ALTER TABLE public.attribution_recompute_jobs DROP CONSTRAINT "by hand", ADD CONSTRAINT attribution_recompute_jobs_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants (id) ON DELETE CASCADE',
    );
  });

  it('one finding with a line per constraint, from VERIFY\u2019s step or E1\u2019s (which it names); none when the step passed', () => {
    const evidence = {
      mismatches: [
        { expected: expected(), found: null },
        { expected: expected({ name: 'jobs_tenant_fk' }), found: { name: 'other', onDelete: 'CASCADE' } },
      ],
    };
    const step = { id: 'foreign-keys', status: 'failed' as const, evidence };
    const [finding, ...rest] = schemaCheckFindings([step], 'E1');
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({
      id: 'FOREIGN-KEY-CHANGED',
      severity: 'error',
      source: { gate: 'E1', step: 'foreign-keys' },
      remediation: { action: 'recreate-foreign-keys' },
      evidence:
        'attribution_recompute_jobs.tenant_id \u2192 tenants.id ON DELETE CASCADE: no such foreign key\n' +
        'attribution_recompute_jobs.tenant_id \u2192 tenants.id ON DELETE CASCADE: named other, expected jobs_tenant_fk',
    });
    expect(foreignKeyFindings({ ...step, status: 'passed' })).toEqual([]);
    // A failure without mismatches (a query that failed) is the generic step finding's to explain.
    expect(foreignKeyFindings({ status: 'failed', evidence: undefined })).toEqual([]);
  });
});

describe('repairStoppedDetail', () => {
  it('adds PostgreSQL\u2019s own words to an error the tool does not explain itself, then what still differs and the remedy', () => {
    const failed = appError('sql-failed', 'PostgreSQL reported an error while making ALTER TABLE public.jobs ADD CONSTRAINT jobs_fk.', {
      detail: 'there is no unique constraint matching given keys for referenced table "tenants"',
      remediation: 'Rebuild the database.',
    });
    expect(repairStoppedDetail(failed, 'jobs.tenant_id \u2192 tenants.id: no such foreign key')).toBe(
      'PostgreSQL reported an error while making ALTER TABLE public.jobs ADD CONSTRAINT jobs_fk. PostgreSQL said: there is no unique constraint matching given keys for referenced table "tenants". ' +
        'What still differs: jobs.tenant_id \u2192 tenants.id: no such foreign key \u2192 fix: Rebuild the database.',
    );
    // A lock wait is explained in the tool's words already; PostgreSQL's "canceling statement" adds nothing.
    const locked = appError('lock-timeout', 'Another session held a lock.', { detail: 'canceling statement due to lock timeout', remediation: 'Close it.' });
    expect(repairStoppedDetail(locked, 'x')).toBe('Another session held a lock. What still differs: x \u2192 fix: Close it.');
  });
});
