import { describe, expect, it } from 'vitest';
import { ciExpectationsFromProfile } from '../../../shared/parity/ci-expectations';
import { compareCiWithLocal } from '../../../shared/parity/ci-vs-local';
import { suiteEnvironmentsOf, type SuiteEnvironment } from '../../../shared/parity/suite-environment';
import { SKELDIR_PROFILE } from '../../../shared/profile/skeldir-profile';
import type { GateReport } from '../../../shared/report/report';

/** The matrix's test row says how R5 ran the suites: CI's step environment, and what it had to leave out. */
const SUITE = 'backend/tests/test_b0532_window_idempotency.py';

function environment(overrides: Partial<SuiteEnvironment> = {}): SuiteEnvironment {
  return {
    suite: SUITE,
    source: 'workflow',
    step: 'ci.yml, job "t", step "s"',
    workingDirectory: 'backend',
    pytestArgument: 'tests/x.py',
    variables: [],
    unsetFromCi: [],
    notes: [],
    ...overrides,
  };
}

function r5(environments: SuiteEnvironment[]): GateReport {
  return { id: 'R5', status: 'passed', durationMs: 1, steps: [], details: { suites: [{ suite: SUITE, passed: 4, failed: 0, errors: 0 }], environments } };
}

function testsRow(environments: SuiteEnvironment[]) {
  const ci = ciExpectationsFromProfile(SKELDIR_PROFILE);
  return compareCiWithLocal(ci, { report: null, plan: null, lastValidation: r5(environments) }).find((row) => row.id === 'tests');
}

describe('the test row and R5\u2019s environments', () => {
  it('says each suite ran with its CI step\u2019s environment', () => {
    const row = testsRow([environment()]);
    expect(row?.note).toContain('R5 ran each suite with its CI step\u2019s environment');
  });

  it('warns about what CI sets and R5 left unset, and counts suites run with the guide\u2019s environment', () => {
    const row = testsRow([environment({ unsetFromCi: ['API_KEY'] }), environment({ suite: 'b.py', source: 'guide', step: null })]);
    expect(row?.status).toBe('warn');
    expect(row?.note).toContain('1 of 2 suites ran with the guide\u2019s environment');
    expect(row?.note).toContain('CI sets API_KEY, which R5 left unset');
  });

  it('reads environments from a gate\u2019s details and ignores anything else', () => {
    expect(suiteEnvironmentsOf({ environments: [environment(), { suite: 1 }, null] })).toHaveLength(1);
    expect(suiteEnvironmentsOf(undefined)).toEqual([]);
    expect(suiteEnvironmentsOf({ environments: 'no' })).toEqual([]);
  });
});
