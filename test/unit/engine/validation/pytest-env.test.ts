import { describe, expect, it } from 'vitest';
import { resolveSuiteEnvironment } from '../../../../electron/engine/ci/suite-environment';
import { pytestEnv } from '../../../../electron/engine/gates/validation/run-validation';

/** pytest's environment: this machine's, minus secrets and other servers, with the suite's laid over it. */
const URL = 'postgresql://app_user:pw-123456@localhost:5432/skeldir_validation';
const BASE = {
  HOME: '/home/dev',
  PYTHONPATH: '/home/dev/lib',
  PGPASSWORD: 'superuser-secret',
  DATABASE_URL: 'postgresql://someone@elsewhere/x',
  CELERY_BROKER_URL: 'sqla+postgresql://u:p@hosted.example.com/prod',
  LOCAL_URL: 'postgresql://u:p@127.0.0.1/dev',
};

function suiteEnv(yaml: string) {
  return resolveSuiteEnvironment({
    suite: 'backend/tests/test_a.py',
    files: yaml ? [{ path: '.github/workflows/ci.yml', text: yaml }] : [],
    repoDir: '/repo',
    guideDatabaseUrl: URL,
    platform: 'linux',
  });
}

describe('pytestEnv', () => {
  it('with the guide\u2019s environment keeps the user\u2019s PYTHONPATH after <repo>/backend and drops variables aiming at other servers', () => {
    const env = pytestEnv({ repoDir: '/repo', databaseUrl: URL, env: BASE }, 'linux', suiteEnv(''));
    expect(env.PYTHONPATH).toBe('/repo/backend:/home/dev/lib');
    expect(env.DATABASE_URL).toBe(URL);
    expect(env.PGPASSWORD).toBeUndefined();
    expect(env.CELERY_BROKER_URL).toBeUndefined();
    expect(env.LOCAL_URL).toBe(BASE.LOCAL_URL);
    expect(env.HOME).toBe('/home/dev');
  });

  it('with a CI step\u2019s environment takes CI\u2019s PYTHONPATH as CI has it, and CI\u2019s variables over this machine\u2019s', () => {
    const env = pytestEnv(
      { repoDir: '/repo', databaseUrl: URL, env: BASE },
      'linux',
      suiteEnv(`
jobs:
  t:
    env: { CELERY_BROKER_URL: "sqla+postgresql://ci:ci@localhost/ci", PYTHONPATH: "." }
    steps:
      - run: cd backend && pytest tests/test_a.py
`),
    );
    expect(env.PYTHONPATH).toBe('/repo/backend');
    expect(env.CELERY_BROKER_URL).toBe('sqla+postgresql://app_user:pw-123456@localhost:5432/skeldir_validation');
    expect(env.PYTHONDONTWRITEBYTECODE).toBe('1');
  });
});
