import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findPostgresUrls, rewriteCiUrls } from '../../../../electron/engine/ci/connection-urls';
import { resolveSuiteEnvironment, type SuiteEnvironmentRequest } from '../../../../electron/engine/ci/suite-environment';
import { REAL_CORPUS_DIR, realCorpusMissing } from '../../../support/real-corpus';

/** R5's per-suite environment, resolved from workflow texts the way GitHub and bash would. */
const GUIDE_URL = 'postgresql://app_user:l0cal-pw@localhost:55432/skeldir_validation';
const LOCAL = { host: 'localhost', port: 55432, database: 'skeldir_validation', user: 'app_user', password: 'l0cal-pw' };

function resolve(yaml: string, overrides: Partial<SuiteEnvironmentRequest> = {}) {
  return resolveSuiteEnvironment({
    suite: 'backend/tests/test_a.py',
    files: [{ path: '.github/workflows/ci.yml', text: yaml }],
    repoDir: '/repo',
    guideDatabaseUrl: GUIDE_URL,
    platform: 'linux',
    ...overrides,
  });
}

const sourceOf = (r: ReturnType<typeof resolve>, name: string) => r.shown.variables.find((v) => v.name === name)?.source;

describe('finding the step that runs the suite', () => {
  it('layers workflow, job and step env (step wins), resolves ${{ env.X }} and runs from the cd directory', () => {
    const r = resolve(`
env:
  LEVEL: workflow
  ONLY_WORKFLOW: w
jobs:
  test:
    runs-on: ubuntu-latest
    env:
      LEVEL: job
      BASE: from-job
    steps:
      - uses: actions/checkout@v4
      - name: Run
        env:
          LEVEL: step
          COPY: \${{ env.BASE }}-copied
        run: |
          cd backend
          pytest tests/test_a.py -q
`);
    expect(r.shown.source).toBe('workflow');
    expect(r.shown.step).toBe('.github/workflows/ci.yml, job "test", step "Run"');
    expect(r.values.LEVEL).toBe('step');
    expect(r.values.ONLY_WORKFLOW).toBe('w');
    expect(r.values.COPY).toBe('from-job-copied');
    expect(sourceOf(r, 'ONLY_WORKFLOW')).toBe('ci.yml, workflow env');
    expect(sourceOf(r, 'LEVEL')).toBe('ci.yml, job "test", step "Run" env');
    expect(r.shown.workingDirectory).toBe('backend');
    expect(r.cwd).toBe('/repo/backend');
    expect(r.shown.pytestArgument).toBe('tests/test_a.py');
  });

  it('ignores a bare pytest that only collects the file, and falls back to the guide', () => {
    const r = resolve(`
jobs:
  test:
    env: { DATABASE_URL: "postgresql://u:p@localhost/ci" }
    steps:
      - run: |
          cd backend
          pytest
`);
    expect(r.shown.source).toBe('guide');
    expect(r.shown.step).toBeNull();
    expect(r.values.DATABASE_URL).toBe(GUIDE_URL);
    expect(r.values.PYTHONPATH).toBe('/repo/backend');
    expect(r.pythonPathFromCi).toBe(false);
    expect(r.shown.notes.join(' ')).toMatch(/No workflow step names backend\/tests\/test_a\.py/);
  });

  it('honours working-directory (step, then job defaults) and a path::test selector', () => {
    const r = resolve(`
jobs:
  test:
    defaults: { run: { working-directory: backend } }
    steps:
      - name: t
        run: python -m pytest "tests/test_a.py::test_one" -v
`);
    expect(r.shown.source).toBe('workflow');
    expect(r.shown.workingDirectory).toBe('backend');
  });

  it('takes $GITHUB_ENV writes of earlier steps, exports before the command and inline assignments', () => {
    const r = resolve(`
jobs:
  test:
    steps:
      - name: prepare
        run: |
          echo "FROM_GHENV=one" >> $GITHUB_ENV
          echo "LATER=not-yet" >> "$GITHUB_ENV"
      - name: tests
        run: |
          cd backend
          export PYTHONPATH=$(pwd):$PYTHONPATH
          export SHELL_VAR=\${FROM_GHENV}-two
          INLINE=3 pytest tests/test_a.py
          export AFTER=ignored
`);
    expect(r.values.FROM_GHENV).toBe('one');
    expect(sourceOf(r, 'FROM_GHENV')).toContain('$GITHUB_ENV written by step "prepare"');
    expect(r.values.SHELL_VAR).toBe('one-two');
    expect(r.values.INLINE).toBe('3');
    expect(r.values.AFTER).toBeUndefined();
    // $(pwd) is backend; $PYTHONPATH was the guide's <repo>/backend: one entry, deduplicated.
    expect(r.values.PYTHONPATH).toBe('/repo/backend');
    expect(r.pythonPathFromCi).toBe(true);
  });

  it('resolves ${{ github.workspace }} and $GITHUB_WORKSPACE, and converts path lists to the platform', () => {
    const yaml = `
jobs:
  test:
    steps:
      - name: tests
        env:
          PYTHONPATH: \${{ github.workspace }}:backend:\${{ github.workspace }}/lib
          DATA_DIR: \${{ github.workspace }}/data
        run: cd $GITHUB_WORKSPACE/backend && pytest tests/test_a.py
`;
    const posix = resolve(yaml);
    expect(posix.values.PYTHONPATH).toBe('/repo:/repo/backend/backend:/repo/lib');
    expect(posix.values.DATA_DIR).toBe('/repo/data');
    expect(posix.shown.workingDirectory).toBe('backend');

    const win = resolve(yaml, { repoDir: 'C:\\Users\\x\\II SKELDIR II', platform: 'win32' });
    expect(win.values.PYTHONPATH).toBe(
      ['C:\\Users\\x\\II SKELDIR II', 'C:\\Users\\x\\II SKELDIR II\\backend\\backend', 'C:\\Users\\x\\II SKELDIR II\\lib'].join(path.win32.delimiter),
    );
    expect(win.values.DATA_DIR).toBe(path.win32.join('C:\\Users\\x\\II SKELDIR II', 'data'));
    expect(win.cwd).toBe('C:\\Users\\x\\II SKELDIR II\\backend');
    expect(win.shown.pytestArgument).toBe('tests\\test_a.py');
  });

  it('reads expressions inside the script itself: an export and the test file\u2019s path', () => {
    const r = resolve(`
jobs:
  test:
    env: { SUB: backend }
    steps:
      - name: tests
        run: |
          export PYTHONPATH=\${{ github.workspace }}/\${{ env.SUB }}:\${{ github.workspace }}
          pytest \${{ github.workspace }}/backend/tests/test_a.py
`);
    expect(r.shown.source).toBe('workflow');
    expect(r.values.PYTHONPATH).toBe('/repo/backend:/repo');
    expect(sourceOf(r, 'PYTHONPATH')).toBe('ci.yml, job "test", step "tests" (export in its script)');
  });

  it('leaves ${{ secrets.* }} and unknown expressions unset, with a note', () => {
    const r = resolve(`
jobs:
  test:
    env:
      API_KEY: \${{ secrets.API_KEY }}
      SHA: \${{ github.sha }}
      DATABASE_URL: \${{ secrets.DATABASE_URL }}
    steps:
      - run: pytest backend/tests/test_a.py
`);
    expect(r.values.API_KEY).toBeUndefined();
    expect(r.values.SHA).toBeUndefined();
    expect(r.values.DATABASE_URL).toBe(GUIDE_URL);
    expect(r.shown.unsetFromCi).toEqual(['API_KEY', 'SHA', 'DATABASE_URL']);
    expect(r.shown.notes.join(' ')).toMatch(/API_KEY comes from \$\{\{ secrets\.API_KEY \}\}.*: left unset/);
    expect(r.shown.notes.join(' ')).toMatch(/DATABASE_URL comes from .* \(the guide \(the application role on the local database\) stays\)/);
  });

  it('rewrites every URL to CI\u2019s database to the local one, keeping the scheme and query; other hosts never reach the tests', () => {
    const r = resolve(`
jobs:
  test:
    services:
      db: { image: "postgres:15" }
    env:
      DATABASE_URL: postgresql://ci:ci@127.0.0.1:5432/ci_db
      ASYNC_URL: postgresql+asyncpg://ci:ci@localhost/ci_db?ssl=disable
      CELERY_BROKER_URL: sqla+postgresql://ci:ci@db:5432/ci_db
      CELERY_RESULT_BACKEND: db+postgresql://\${{ env.DB_USER }}:x@[::1]:5432/ci_db
      HOSTED: postgresql://u:p@db.example.com/prod
    steps:
      - run: pytest backend/tests/test_a.py
`);
    expect(r.values.DATABASE_URL).toBe('postgresql://app_user:l0cal-pw@localhost:55432/skeldir_validation');
    expect(r.values.ASYNC_URL).toBe('postgresql+asyncpg://app_user:l0cal-pw@localhost:55432/skeldir_validation?ssl=disable');
    expect(r.values.CELERY_BROKER_URL).toBe('sqla+postgresql://app_user:l0cal-pw@localhost:55432/skeldir_validation');
    expect(r.values.CELERY_RESULT_BACKEND).toBe('db+postgresql://app_user:l0cal-pw@localhost:55432/skeldir_validation');
    expect(r.values.HOSTED).toBeUndefined();
    expect(r.shown.notes.join(' ')).toMatch(/HOSTED .* points at db\.example\.com/);
    expect(sourceOf(r, 'CELERY_BROKER_URL')).toBe('ci.yml, job "test" env (rewritten to the local database)');
    // Shown values never carry the password.
    expect(JSON.stringify(r.shown)).not.toContain('l0cal-pw');
    expect(r.shown.variables.find((v) => v.name === 'DATABASE_URL')?.value).toBe('postgresql://app_user:***@localhost:55432/skeldir_validation');
  });

  it('points libpq’s PG* variables at the local server and role, and shows secrets as ***', () => {
    const r = resolve(`
jobs:
  test:
    services: { postgres: { image: "postgres:15" } }
    env: { PGHOST: localhost, PGPORT: "5432", PGUSER: postgres, PGPASSWORD: postgres, PGDATABASE: ci, API_TOKEN: abc }
    steps:
      - working-directory: backend
        run: pytest tests/test_a.py
`);
    expect([r.values.PGHOST, r.values.PGPORT, r.values.PGUSER, r.values.PGPASSWORD, r.values.PGDATABASE]).toEqual([
      'localhost',
      '55432',
      'app_user',
      'l0cal-pw',
      'skeldir_validation',
    ]);
    expect(sourceOf(r, 'PGHOST')).toBe('ci.yml, job "test" env (set to the local database)');
    expect(r.shown.variables.filter((v) => /PASSWORD|TOKEN/.test(v.name)).map((v) => v.value)).toEqual(['***', '***']);
    const remote = resolve(`
jobs:
  test:
    env: { PGHOST: db.example.com }
    steps:
      - run: pytest backend/tests/test_a.py
`);
    expect(remote.values.PGHOST).toBeUndefined();
    expect(remote.shown.unsetFromCi).toEqual(['PGHOST']);
  });

  it('names a .env in the working directory, and whether the backend loads it', () => {
    const r = resolve(
      `
jobs:
  test:
    steps:
      - run: rm -f .env
      - run: cd backend && pytest tests/test_a.py
`,
      { fileExists: (rel) => rel === 'backend/.env', dotenvLoader: () => 'backend/app/core/config.py' },
    );
    expect(r.shown.notes.join(' ')).toMatch(/backend\/\.env exists and the backend loads it \(backend\/app\/core\/config\.py\): CI deletes its \.env/);
  });
});

describe('connection URLs', () => {
  it('finds every PostgreSQL scheme and no other', () => {
    const found = findPostgresUrls('a=postgresql+asyncpg://u:p@h1/d b=redis://h2 c=sqla+postgresql://h3:5/d');
    expect(found.map((u) => [u.scheme, u.host])).toEqual([
      ['postgresql+asyncpg', 'h1'],
      ['sqla+postgresql', 'h3'],
    ]);
  });

  it('rewrites a loopback URL and refuses a remote one', () => {
    expect(rewriteCiUrls('postgres://x@localhost/db', LOCAL, [])).toEqual({
      kind: 'rewritten',
      value: 'postgres://app_user:l0cal-pw@localhost:55432/skeldir_validation',
    });
    expect(rewriteCiUrls('postgresql://x@remote-db.example.invalid/db', LOCAL, [])).toEqual({ kind: 'remote', host: 'remote-db.example.invalid' });
    expect(rewriteCiUrls('plain', LOCAL, [])).toEqual({ kind: 'none', value: 'plain' });
  });
});

describe.skipIf(realCorpusMissing() !== null && process.env.CI !== 'true')('the real Skeldir CI', () => {
  it('runs both guide suites from backend/ with CI\u2019s DATABASE_URL, broker and result backend, pointed at the local database', () => {
    const dir = path.join(REAL_CORPUS_DIR, '.github', 'workflows');
    const files = fs
      .readdirSync(dir)
      .filter((n) => n.endsWith('.yml'))
      .map((n) => ({ path: `.github/workflows/${n}`, text: fs.readFileSync(path.join(dir, n), 'utf8') }));
    for (const suite of ['backend/tests/test_b0532_window_idempotency.py', 'backend/tests/test_b052_queue_topology_and_dlq.py']) {
      const r = resolveSuiteEnvironment({ suite, files, repoDir: REAL_CORPUS_DIR, guideDatabaseUrl: GUIDE_URL, platform: 'linux' });
      expect(r.shown.source).toBe('workflow');
      expect(r.shown.step).toContain('ci.yml');
      expect(r.shown.workingDirectory).toBe('backend');
      expect(r.values.CELERY_BROKER_URL).toBe('sqla+postgresql://app_user:l0cal-pw@localhost:55432/skeldir_validation');
      expect(r.values.CELERY_RESULT_BACKEND).toBe('db+postgresql://app_user:l0cal-pw@localhost:55432/skeldir_validation');
      expect(r.values.DATABASE_URL).toBe(GUIDE_URL);
      expect(r.values.PYTHONPATH).toBe(REAL_CORPUS_DIR);
      expect(sourceOf(r, 'CELERY_BROKER_URL')).toMatch(/^ci\.yml, /);
    }
  });
});
