import { describe, expect, it } from 'vitest';
import { checkLook } from '../../../../../renderer/views/setup/check-look';

describe('checkLook: the Setup view\u2019s prerequisite lines', () => {
  it('a ✗ shows its pip command; one that only the suites need says it blocks the tests', () => {
    const driver = checkLook({
      id: 'database-driver',
      title: 'Database driver for Alembic',
      ok: false,
      detail: 'psycopg is not installed',
      fix: '"/venv/bin/python" -m pip install "psycopg[binary]"',
    });
    expect(driver).toMatchObject({ tone: 'bad', status: 'failed', level: 'error', note: null, fix: '"/venv/bin/python" -m pip install "psycopg[binary]"' });
    const celery = checkLook({
      id: 'requirement-celery',
      title: 'celery>=5.3.6',
      ok: false,
      neededBy: 'tests',
      detail: 'not installed',
      fix: 'pip install "celery>=5.3.6"',
    });
    expect(celery).toMatchObject({ tone: 'bad', status: 'failed', note: '(blocks the validation tests)', fix: 'pip install "celery>=5.3.6"' });
  });

  it('tooling nobody imports is a warning with its command; a passed line has no command', () => {
    expect(
      checkLook({
        id: 'requirement-schemathesis',
        title: 'schemathesis',
        ok: false,
        level: 'warning',
        detail: 'not installed',
        fix: 'pip install "schemathesis>=3.19.0"',
      }),
    ).toMatchObject({
      tone: 'warn',
      status: 'warning',
      level: 'warning',
      fix: 'pip install "schemathesis>=3.19.0"',
    });
    expect(checkLook({ id: 'requirements', title: 'Backend requirements satisfied', ok: true, detail: '15', fix: 'ignored' })).toMatchObject({
      tone: 'ok',
      status: 'passed',
      fix: null,
    });
  });
});
