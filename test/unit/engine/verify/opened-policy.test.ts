import { describe, expect, it } from 'vitest';
import {
  describeRowSecurityMismatch,
  opensEveryRow,
  rowSecurityMismatches,
  rowSecurityRepairStatements,
  type TableRowSecurity,
} from '../../../../electron/engine/gates/verify/row-security-check';
import type { MigrationExpectations } from '../../../../electron/engine/gates/verify/migration-expectations';

const ISOLATION = "USING (tenant_id = current_setting('app.current_tenant_id')::uuid) WITH CHECK (tenant_id = current_setting('app.current_tenant_id')::uuid)";
const source = { file: 'alembic/versions/001_core_schema/202511131120_add_rls_policies.py', revision: '202511131120' };

function expectations(definition: string | null): Pick<MigrationExpectations, 'rowSecurity' | 'policies'> {
  return {
    rowSecurity: [],
    policies: [{ schema: 'public', relation: 'revenue_ledger', name: 'tenant_isolation_policy', definition, source }],
  } as unknown as Pick<MigrationExpectations, 'rowSecurity' | 'policies'>;
}

const table = (open: string[]): TableRowSecurity => ({ rls: true, force_rls: true, policies: ['tenant_isolation_policy'], open_policies: open });

describe('a policy changed in place to let every row through', () => {
  it('reads USING / WITH CHECK clauses, parentheses and quotes included', () => {
    expect(opensEveryRow('USING (true)')).toBe(true);
    expect(opensEveryRow('FOR ALL TO app_rw USING ( (true) ) WITH CHECK (TRUE)')).toBe(true);
    expect(opensEveryRow(ISOLATION)).toBe(false);
    expect(opensEveryRow("USING (name <> ')') WITH CHECK (true)")).toBe(false);
    expect(opensEveryRow('FOR SELECT TO app_ro')).toBe(false);
  });

  it('is a mismatch only when the revision made it restrictive and its definition is known', () => {
    const opened = rowSecurityMismatches(expectations(ISOLATION), () => table(['tenant_isolation_policy']));
    expect(opened).toEqual([
      { setting: 'policy-opened', schema: 'public', relation: 'revenue_ledger', policy: 'tenant_isolation_policy', definition: ISOLATION, source: source.file },
    ]);
    expect(describeRowSecurityMismatch(opened[0])).toBe(
      `revenue_ledger: policy tenant_isolation_policy lets every row through (USING true), not as ${source.file} made it`,
    );
    // Dropped and made again as the revision wrote it.
    expect(rowSecurityRepairStatements(opened)).toEqual([
      'DROP POLICY tenant_isolation_policy ON public.revenue_ledger',
      `CREATE POLICY tenant_isolation_policy ON public.revenue_ledger ${ISOLATION}`,
    ]);
    expect(rowSecurityMismatches(expectations(ISOLATION), () => table([]))).toEqual([]);
    expect(rowSecurityMismatches(expectations('USING (true)'), () => table(['tenant_isolation_policy']))).toEqual([]);
    expect(rowSecurityMismatches(expectations(null), () => table(['tenant_isolation_policy']))).toEqual([]);
  });
});
