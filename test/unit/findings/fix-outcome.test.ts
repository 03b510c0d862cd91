import { describe, expect, it } from 'vitest';
import type { Finding, GateReport, RunReport } from '../../../shared/report/report';
import { fixOutcome, fixOutcomeLine } from '../../../shared/findings/fix-outcome';

const heads: Finding = {
  id: 'HEADS-NOT-APPLIED',
  severity: 'warning',
  title: 'Not every head of the migration graph is applied',
  evidence: 'heads a, b; applied: a',
  remediation: { action: 'run-planned-upgrade', label: 'Run the planned (multi-step) upgrade' },
};
const gate = (id: GateReport['id'], status: GateReport['status'], failedDetail?: string): GateReport => ({
  id,
  status,
  durationMs: 1,
  steps: [{ id: 'upgrade', title: 'alembic upgrade b', status: failedDetail ? 'failed' : 'passed', detail: failedDetail ?? 'already at target' }],
});
const report = (gates: GateReport[], findings: Finding[]): RunReport => ({
  command: 'fix HEADS-NOT-APPLIED',
  startedAt: '2026-12-07T00:00:00.000Z',
  server: { host: '127.0.0.1', port: 5432, version: '15.18', major: 15, embedded: true },
  gates,
  findings,
  database: null,
});

describe('a fix makes its finding go away, or says why it could not', () => {
  it('a failure whose detail ends its own sentence is not given a second full stop', () => {
    const outcome = fixOutcome(
      heads.id,
      heads,
      report([gate('E1', 'passed'), gate('R4', 'failed', 'No alembic.ini found. Choose the folder that holds alembic.ini.')], [heads]),
    );
    expect(outcome.message).toBe(
      'The fix did not finish: R4 Migrations failed: alembic upgrade b \u2014 No alembic.ini found. Choose the folder that holds alembic.ini.',
    );
  });

  it('gone after the re-diagnosis', () => {
    expect(fixOutcome(heads.id, heads, report([gate('E1', 'passed'), gate('R4', 'passed')], []))).toEqual({
      findingId: 'HEADS-NOT-APPLIED',
      title: heads.title,
      outcome: 'gone',
      message: 'The diagnosis after the fix no longer finds it.',
    });
  });

  it('every gate of the fix passed but the finding is still there: says so, with what the diagnosis still sees', () => {
    const outcome = fixOutcome(heads.id, heads, report([gate('E1', 'passed'), gate('R4', 'passed'), gate('VERIFY', 'passed')], [heads]));
    expect(outcome.outcome).toBe('still-there');
    expect(outcome.message).toBe(
      'The fix ran (E1 passed, R4 passed, VERIFY passed) but the diagnosis after it still finds this: heads a, b; applied: a The fix cannot clear it; follow the explanation instead.',
    );
  });

  it('the fix failed: names the gate and step; a job that could not run names its error', () => {
    const failed = fixOutcome(heads.id, heads, report([gate('E1', 'passed'), gate('R4', 'failed', 'duplicate column allocation_ratio')], [heads]));
    expect(failed).toMatchObject({
      outcome: 'still-there',
      message: 'The fix did not finish: R4 Migrations failed: alembic upgrade b \u2014 duplicate column allocation_ratio.',
    });
    const error = fixOutcome(heads.id, heads, { ...report([], []), error: { code: 'internal', message: 'The job stopped.', remediation: 'Try again.' } });
    expect(error).toMatchObject({ outcome: 'still-there', message: 'The fix could not run: The job stopped. Try again.' });
  });

  it('one line for either front; without the finding as it was (the CLI), the catalogue gives its title', () => {
    const gone = fixOutcome('GUC-MISSING', undefined, report([gate('E1', 'passed'), gate('E3', 'passed')], []));
    expect(fixOutcomeLine(gone)).toBe('\u2713 Fixed \u201cA database-level setting is missing\u201d: The diagnosis after the fix no longer finds it.');
    const still = fixOutcome(heads.id, undefined, report([gate('E1', 'passed'), gate('R4', 'failed', 'duplicate column allocation_ratio')], [heads]));
    expect(fixOutcomeLine(still)).toBe(
      '\u2717 Not fixed \u201cNot every head of the migration graph is applied\u201d: The fix did not finish: R4 Migrations failed: alembic upgrade b \u2014 duplicate column allocation_ratio.',
    );
  });

  it('a finding the opening diagnosis looks for and did not find: "nothing to fix", not "fixed"', () => {
    const ran = report([gate('E1', 'passed'), gate('E2', 'passed'), gate('E3', 'passed')], []);
    const nothing = fixOutcome('ROLES-MISSING', undefined, { ...ran, openingFindings: [] });
    expect(nothing.outcome).toBe('not-there');
    expect(fixOutcomeLine(nothing)).toBe(
      '\u2713 Nothing to fix \u201cRoles are missing\u201d: The diagnosis the fix began with did not find it, and the one after it does not either.',
    );
    // Found at the start and gone at the end: fixed.
    expect(fixOutcome('ROLES-MISSING', undefined, { ...ran, openingFindings: ['ROLES-MISSING', 'DATABASE-MISSING'] }).outcome).toBe('gone');
    // A report without the opening findings (an older version, a fix with no closing diagnosis) says what it said before.
    expect(fixOutcome('ROLES-MISSING', undefined, ran).outcome).toBe('gone');
    // Findings of a failed upgrade are never in an opening diagnosis: their absence there says nothing.
    expect(fixOutcome('FM2', undefined, { ...ran, openingFindings: [] }).outcome).toBe('gone');
  });

  it('a fix that changed nothing says "nothing to fix": every step already done, no statement re-applied, a recovery that changed nothing', () => {
    const already = (id: GateReport['id']): GateReport => ({
      id,
      status: 'passed',
      durationMs: 1,
      steps: [{ id: 's', title: 'Step', status: 'already', detail: 'already there' }],
    });
    const checked = (reapplied: string[]): GateReport => ({
      id: 'VERIFY',
      status: 'passed',
      durationMs: 1,
      steps: [{ id: 'table-grants', title: 'Privileges', status: 'passed', detail: 'ok', evidence: { reapplied } }],
    });
    expect(fixOutcome('FM1', undefined, report([gate('E1', 'passed'), already('E2'), already('E3')], [])).outcome).toBe('not-there');
    expect(fixOutcome('HEADS-NOT-APPLIED', heads, report([gate('E1', 'passed'), already('R4')], [])).message).toBe(
      'Every step of the fix found its work already done, and the diagnosis after it does not find it.',
    );
    expect(fixOutcome('MIGRATION-GRANTS-MISSING', undefined, report([gate('E1', 'passed'), checked([])], [])).outcome).toBe('not-there');
    expect(
      fixOutcome('MIGRATION-GRANTS-MISSING', undefined, report([gate('E1', 'passed'), checked(['GRANT SELECT ON TABLE public.t TO app_rw'])], [])).outcome,
    ).toBe('gone');
    const recovered = (changed: boolean) => ({ ...report([gate('E1', 'passed'), already('E2'), already('E3')], []), fix: { done: 'note', changed } });
    expect(fixOutcome('DATABASE-INVALID', undefined, recovered(false)).outcome).toBe('not-there');
    expect(fixOutcome('DATABASE-INVALID', undefined, recovered(true)).outcome).toBe('gone');
  });

  it('a fix whose gate failed never says "Fixed", even when its finding is no longer listed', () => {
    const failedRun = report([gate('E1', 'passed'), gate('VERIFY', 'failed', 'missing 1 of 6: attribution_allocations')], []);
    const absent = fixOutcome('TABLES-MISSING', undefined, { ...failedRun, openingFindings: ['TABLES-DROPPED'] });
    expect(fixOutcomeLine(absent)).toBe(
      '\u2717 Fix did not finish \u201cExpected tables are missing\u201d: The diagnosis the fix began with did not find it, and VERIFY Schema checks failed: alembic upgrade b \u2014 missing 1 of 6: attribution_allocations.',
    );
    expect(fixOutcome(heads.id, heads, failedRun)).toMatchObject({
      outcome: 'unfinished',
      message: expect.stringMatching(/^The diagnosis after the fix no longer finds it, but VERIFY/),
    });
  });
});
