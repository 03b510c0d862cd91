import { describe, expect, it } from 'vitest';
import { passwordMismatchFinding, remoteConnectionFindings } from '../../../../electron/engine/gates/validation/r5-environment-findings';
import type { SuiteEnvironment } from '../../../../shared/parity/suite-environment';

/** R5's own findings: how the suites were run, not what the tests found. */
const SUITE = 'backend/tests/test_a.py';

function env(overrides: Partial<SuiteEnvironment> = {}): SuiteEnvironment {
  return { suite: SUITE, source: 'guide', step: null, workingDirectory: '', pytestArgument: SUITE, variables: [], unsetFromCi: [], notes: [], ...overrides };
}

const AUTH_FAILURE = `${SUITE}::test_x: sqlalchemy.exc.OperationalError: (psycopg.OperationalError) connection failed: FATAL:  password authentication failed for user "app_user"`;

describe('28P01 after the tool logged in with the same password', () => {
  it('says the code under test sends another password and lists what CI sets that this run did not', () => {
    const finding = passwordMismatchFinding([AUTH_FAILURE], 'app_user', true, [env({ unsetFromCi: ['CELERY_BROKER_URL', 'CELERY_RESULT_BACKEND'] })]);
    expect(finding?.id).toBe('R5-PASSWORD-MISMATCH');
    expect(finding?.severity).toBe('error');
    expect(finding?.title).toBe('The code under test sends a different password than DATABASE_URL\u2019s');
    expect(finding?.evidence).toContain('CI sets variables this run did not: CELERY_BROKER_URL, CELERY_RESULT_BACKEND.');
    expect(finding?.evidence).toContain('1 test failed with');
  });

  it('stays silent when the login was not verified, or the failing role is another one', () => {
    expect(passwordMismatchFinding([AUTH_FAILURE], 'app_user', false, [env()])).toBeNull();
    expect(passwordMismatchFinding([AUTH_FAILURE], 'app_rw', true, [env()])).toBeNull();
    expect(passwordMismatchFinding([`${SUITE}::t: AssertionError`], 'app_user', true, [env()])).toBeNull();
  });

  it('says so when CI\u2019s environment was already used', () => {
    const finding = passwordMismatchFinding([AUTH_FAILURE], 'app_user', true, [env({ source: 'workflow', step: 'ci.yml, job "t", step "s"' })]);
    expect(finding?.evidence).toContain('This run already had CI\u2019s environment (ci.yml, job "t", step "s")');
  });
});

describe('remote connection strings in a suite\u2019s code', () => {
  const hit = { file: SUITE, line: 3, target: 'os.environ["DATABASE_URL"]', host: 'db.example.com' };
  it('an unconditional one holds the suite back unless allowed; a fallback informs', () => {
    const [held, info] = remoteConnectionFindings(
      [
        {
          suite: SUITE,
          hits: [
            { ...hit, unconditional: true },
            { ...hit, line: 9, unconditional: false },
          ],
        },
      ],
      false,
    );
    expect(held).toMatchObject({ id: 'R5-REMOTE-DATABASE', severity: 'error' });
    expect(held.evidence).toBe(
      `${SUITE} sets os.environ["DATABASE_URL"] = \u2026@db.example.com (${SUITE}:3) unconditionally. The suite was held back: not run.`,
    );
    expect(info).toMatchObject({ id: 'R5-REMOTE-FALLBACK', severity: 'info' });
    expect(remoteConnectionFindings([{ suite: SUITE, hits: [{ ...hit, unconditional: true }] }], true)[0].evidence).toContain(
      'It was run because remote tests were allowed',
    );
    expect(remoteConnectionFindings([{ suite: SUITE, hits: [] }], false)).toEqual([]);
  });

  it('a fallback in a conftest every suite loads is one finding naming the suites, not one per suite', () => {
    const conftest = { ...hit, file: 'backend/tests/conftest.py', line: 19, unconditional: false };
    const findings = remoteConnectionFindings(
      [
        { suite: 'backend/tests/test_a.py', hits: [conftest] },
        { suite: 'backend/tests/test_b.py', hits: [conftest, { ...hit, file: 'backend/tests/test_b.py', unconditional: false }] },
      ],
      false,
    );
    expect(findings.map((f) => f.evidence)).toEqual([
      'backend/tests/test_a.py, backend/tests/test_b.py fall back to os.environ["DATABASE_URL"] = \u2026@db.example.com (backend/tests/conftest.py:19); R5\u2019s own environment overrides it.',
      'backend/tests/test_b.py falls back to os.environ["DATABASE_URL"] = \u2026@db.example.com (backend/tests/test_b.py:3); R5\u2019s own environment overrides it.',
    ]);
  });
});
