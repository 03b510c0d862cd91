import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ciExpectationsFromWorkflows, majorOfImage, readWorkflows } from '../../../../electron/engine/ci/read-workflows';
import { pytestPaths } from '../../../../shared/parity/ci-expectations';
import { SKELDIR_PROFILE } from '../../../../shared/profile/skeldir-profile';
import { SKELDIR_FOUNDATION } from '../../../support/sample-project';
import { makeTempTree } from '../../../support/temp-dir';

/** Workflow files of several shapes, written into temp repositories, read as the app reads them. */
const repo = (files: Record<string, string>) => makeTempTree('skeldir-ci-', files);

const wf = (name: string) => `.github/workflows/${name}`;

describe('the sample project\u2019s own CI', () => {
  it('yields the guide\u2019s CI column: postgres 15, three roles, the database, the GUC and the two-step upgrade', async () => {
    const ci = await readWorkflows(SKELDIR_FOUNDATION, SKELDIR_PROFILE);
    expect(ci.source).toBe('workflow');
    expect(ci.files).toEqual(['.github/workflows/ci.yml']);
    expect(ci.postgresImage).toBe('postgres:15-alpine');
    expect(ci.postgresMajor).toBe(15);
    expect(ci.roles).toEqual(['app_user', 'app_rw', 'app_ro']);
    expect(ci.database).toBe('skeldir_validation');
    expect(ci.migrationSteps).toEqual(['202511131121', 'skeldir_foundation@head']);
    expect(ci.gucs).toEqual({ 'app.current_tenant_id': '00000000-0000-0000-0000-000000000000' });
    expect(ci.platform).toBe('ubuntu-latest');
    expect(ci.pythonVersion).toBe('3.11');
    expect(ci.pytestCommands.flatMap(pytestPaths)).toEqual([
      'backend/tests/test_b052_queue_topology_and_dlq.py',
      'backend/tests/test_b0532_window_idempotency.py',
    ]);
    expect(ci.notes).toEqual([]);
  });
});

describe('service containers', () => {
  it('reads the image, its major, POSTGRES_USER/POSTGRES_DB and the DATABASE_URL user and database', async () => {
    const dir = repo({
      [wf('tests.yaml')]: `
name: tests
on: [push]
env:
  DATABASE_URL: postgresql+psycopg2://svc_app:\${{ secrets.DB_PASSWORD }}@localhost:5432/appdb
jobs:
  test:
    runs-on: ubuntu-22.04
    services:
      db:
        image: postgres:16.4-bookworm
        env:
          POSTGRES_USER: svc_owner
          POSTGRES_PASSWORD: hunter2
          POSTGRES_DB: appdb
        ports: ["5432:5432"]
    steps:
      - uses: actions/checkout@v4
      - run: python -m alembic -c backend/alembic.ini upgrade heads
      - run: python -m pytest -q backend/tests
`,
    });
    const ci = await readWorkflows(dir, SKELDIR_PROFILE);
    expect(ci.source).toBe('workflow');
    expect(ci.files).toEqual(['.github/workflows/tests.yaml']);
    expect(ci.postgresImage).toBe('postgres:16.4-bookworm');
    expect(ci.postgresMajor).toBe(16);
    expect(ci.roles).toEqual(['svc_owner', 'svc_app']);
    expect(ci.database).toBe('appdb');
    expect(ci.migrationSteps).toEqual(['heads']);
    expect(ci.pytestCommands).toEqual(['python -m pytest -q backend/tests']);
    expect(ci.platform).toBe('ubuntu-22.04');
    expect(ci.gucs).toEqual({});
  });

  it('reads a job that runs inside a container and a PostGIS service', () => {
    const ci = ciExpectationsFromWorkflows(
      [
        {
          path: wf('gis.yml'),
          text: `
on: push
jobs:
  gis:
    runs-on: ubuntu-latest
    container: python:3.12-slim
    services:
      postgres:
        image: postgis/postgis:15-3.4
    steps:
      - run: alembic upgrade head
`,
        },
      ],
      SKELDIR_PROFILE,
    );
    expect(ci.postgresImage).toBe('postgis/postgis:15-3.4');
    expect(ci.postgresMajor).toBe(15);
    expect(ci.platform).toBe('ubuntu-latest (in container python:3.12-slim)');
    expect(ci.migrationSteps).toEqual(['head']);
  });

  it('reads a job whose container is PostgreSQL itself', () => {
    const ci = ciExpectationsFromWorkflows(
      [
        {
          path: wf('c.yml'),
          text: `on: push\njobs:\n  db:\n    runs-on: ubuntu-latest\n    container:\n      image: postgres:14\n    steps:\n      - run: createdb -O app_user skeldir_validation\n`,
        },
      ],
      SKELDIR_PROFILE,
    );
    expect(ci.postgresMajor).toBe(14);
    expect(ci.database).toBe('skeldir_validation');
  });

  it('notes an image that names no version', () => {
    const ci = ciExpectationsFromWorkflows(
      [
        {
          path: wf('l.yml'),
          text: `on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    services:\n      pg:\n        image: postgres:latest\n    steps:\n      - run: pytest\n`,
        },
      ],
      SKELDIR_PROFILE,
    );
    expect(ci.postgresImage).toBe('postgres:latest');
    expect(ci.postgresMajor).toBeNull();
    expect(ci.notes.join('\n')).toMatch(/postgres:latest names no PostgreSQL version/);
  });
});

describe('psql steps', () => {
  it('reads -c "…", quoted identifiers, heredocs (<<-EOF), createuser/createdb, ALTER DATABASE … TO and shell variables', () => {
    const ci = ciExpectationsFromWorkflows(
      [
        {
          path: wf('bootstrap.yml'),
          text: `
on: pull_request
jobs:
  migrate:
    runs-on: windows-latest
    env:
      DB: skeldir_validation
    steps:
      - name: roles
        shell: bash
        run: |
          psql -U postgres -c "CREATE USER App_User WITH LOGIN PASSWORD 'x'"
          psql -U postgres -c 'CREATE ROLE "Report-Reader" NOLOGIN'
          createuser --no-login -h localhost app_rw
          psql -v ON_ERROR_STOP=1 <<-EOF
            CREATE ROLE app_ro LOGIN;
            CREATE USER MAPPING FOR app_ro SERVER other;
          EOF
      - name: database
        run: |
          createdb -h localhost -O app_user "$DB"
          psql -d postgres \\
            -c "ALTER DATABASE \${DB} SET app.current_tenant_id TO '00000000-0000-0000-0000-000000000000'"
          psql -c "ALTER DATABASE \\"$DB\\" SET \\"app.mode\\" = 'it''s'"
      - name: migrate
        run: |
          export TARGET=skeldir_foundation@head
          alembic upgrade 202511131121 && alembic upgrade $TARGET
          alembic upgrade head --sql > out.sql
`,
        },
      ],
      SKELDIR_PROFILE,
    );
    expect(ci.roles).toEqual(['app_user', 'Report-Reader', 'app_ro', 'app_rw']);
    expect(ci.database).toBe('skeldir_validation');
    expect(ci.gucs).toEqual({ 'app.current_tenant_id': '00000000-0000-0000-0000-000000000000', 'app.mode': "it's" });
    expect(ci.migrationSteps).toEqual(['202511131121', 'skeldir_foundation@head']);
    expect(ci.platform).toBe('windows-latest');
    expect(ci.notes.join('\n')).toMatch(/--sql.*offline/);
    expect(ci.notes.join('\n')).toMatch(/No PostgreSQL service container/);
  });

  it('reads SQL from a `psql -f` file and commands from a script in the repository', async () => {
    const dir = repo({
      [wf('ci.yml')]: `
on: push
jobs:
  t:
    runs-on: ubuntu-latest
    services:
      postgres: { image: "postgres:15-alpine" }
    steps:
      - run: psql -f scripts/bootstrap.sql
      - working-directory: backend
        run: ./migrate.sh
`,
      'scripts/bootstrap.sql':
        "CREATE ROLE app_user LOGIN;\nCREATE DATABASE skeldir_validation OWNER app_user;\nALTER DATABASE skeldir_validation SET app.current_tenant_id = 'zero';\n",
      'backend/migrate.sh': '#!/bin/sh\nset -e\nalembic upgrade 202511131121\nalembic upgrade skeldir_foundation@head\ncd tests && pytest test_x.py\n',
    });
    const ci = await readWorkflows(dir, SKELDIR_PROFILE);
    expect(ci.roles).toEqual(['app_user']);
    expect(ci.database).toBe('skeldir_validation');
    expect(ci.gucs).toEqual({ 'app.current_tenant_id': 'zero' });
    expect(ci.migrationSteps).toEqual(['202511131121', 'skeldir_foundation@head']);
    expect(ci.pytestCommands.flatMap(pytestPaths)).toEqual(['backend/tests/test_x.py']);
  });

  it('does not take installing or echoing a tool for running it', () => {
    const ci = ciExpectationsFromWorkflows(
      [
        {
          path: wf('i.yml'),
          text: `on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    services:\n      pg:\n        image: postgres:15\n    steps:\n      - run: |\n          pip install alembic pytest pytest-asyncio\n          echo alembic upgrade head\n          pytest --version\n          poetry run alembic upgrade head\n          FOO=1 pytest -x tests\n`,
        },
      ],
      SKELDIR_PROFILE,
    );
    expect(ci.migrationSteps).toEqual(['head']);
    expect(ci.pytestCommands).toEqual(['pytest -x tests']);
  });

  it('notes a script it cannot read', () => {
    const ci = ciExpectationsFromWorkflows(
      [
        {
          path: wf('s.yml'),
          text: `on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    services:\n      pg:\n        image: postgres:15\n    steps:\n      - run: bash scripts/bootstrap_local_db.sh\n`,
        },
      ],
      SKELDIR_PROFILE,
    );
    expect(ci.notes.join('\n')).toMatch(/scripts\/bootstrap_local_db\.sh, which could not be read/);
  });
});

describe('several workflows that migrate', () => {
  it('the migration path is the one of the job that builds the compared database, not of the first file read', () => {
    const ci = ciExpectationsFromWorkflows(
      [
        {
          path: wf('a-lint.yml'),
          text: `on: push\njobs:\n  scratch:\n    runs-on: ubuntu-latest\n    services:\n      pg:\n        image: postgres:15\n        env: { POSTGRES_DB: scratch_test }\n    steps:\n      - env: { DATABASE_URL: "postgresql://postgres:postgres@localhost:5432/scratch_test" }\n        run: alembic upgrade head\n`,
        },
        {
          path: wf('ci.yml'),
          text: `on: push\njobs:\n  foundation:\n    runs-on: ubuntu-latest\n    services:\n      pg:\n        image: postgres:15\n    steps:\n      - run: psql -c "CREATE DATABASE skeldir_validation"\n      - run: |\n          alembic upgrade 202511131121\n          alembic upgrade skeldir_foundation@head\n`,
        },
      ],
      SKELDIR_PROFILE,
    );
    expect(ci.database).toBe('skeldir_validation');
    expect(ci.migrationSteps).toEqual(['202511131121', 'skeldir_foundation@head']);
    expect(ci.notes).toContain(
      'job "scratch" in .github/workflows/a-lint.yml runs alembic upgrade head; the matrix shows job "foundation" in .github/workflows/ci.yml.',
    );
  });
});

describe('matrix builds', () => {
  it('expands ${{ matrix.postgres }} into every major and notes both', () => {
    const ci = ciExpectationsFromWorkflows(
      [
        {
          path: wf('matrix.yml'),
          text: `
on: push
jobs:
  test:
    strategy:
      matrix:
        postgres: [16, 15]
        os: [ubuntu-latest]
        include:
          - postgres: 17
            os: ubuntu-24.04
    runs-on: \${{ matrix.os }}
    services:
      postgres:
        image: postgres:\${{ matrix.postgres }}-alpine
    steps:
      - run: alembic upgrade head
      - run: pytest tests/
`,
        },
      ],
      SKELDIR_PROFILE,
    );
    expect(ci.postgresMajors).toEqual([15, 16, 17]);
    expect(ci.postgresMajor).toBe(15);
    expect(ci.postgresImage).toBe('postgres:16-alpine');
    expect(ci.notes.join('\n')).toMatch(/CI runs PostgreSQL 15 and 16 and 17/);
    expect(ci.platform).toBe('ubuntu-latest, ubuntu-24.04');
    expect(ci.migrationSteps).toEqual(['head']);
  });

  it('honours exclude and notes a matrix it cannot resolve', () => {
    const [excluded, dynamic] = [
      ciExpectationsFromWorkflows(
        [
          {
            path: wf('a.yml'),
            text: `on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    strategy:\n      matrix:\n        pg: [14, 15]\n        py: ['3.11', '3.12']\n        exclude:\n          - pg: 14\n    services:\n      db:\n        image: "postgres:\${{ matrix.pg }}"\n    steps:\n      - run: pytest\n`,
          },
        ],
        SKELDIR_PROFILE,
      ),
      ciExpectationsFromWorkflows(
        [
          {
            path: wf('b.yml'),
            text: `on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    strategy:\n      matrix: \${{ fromJSON(needs.setup.outputs.matrix) }}\n    services:\n      db:\n        image: "postgres:\${{ matrix.pg }}"\n    steps:\n      - run: pytest\n`,
          },
        ],
        SKELDIR_PROFILE,
      ),
    ];
    expect(excluded.postgresMajors).toEqual([15]);
    expect(dynamic.postgresMajor).toBeNull();
    expect(dynamic.notes.join('\n')).toMatch(/matrix from an expression/);
    expect(dynamic.notes.join('\n')).toMatch(/cannot resolve/);
  });
});

describe('missing and broken files', () => {
  it('falls back to the profile, with a note, when there is no workflows folder', async () => {
    const ci = await readWorkflows(repo({ 'README.md': 'no CI' }), SKELDIR_PROFILE);
    expect(ci.source).toBe('profile');
    expect(ci.files).toEqual([]);
    expect(ci.postgresMajor).toBe(15);
    expect(ci.roles).toEqual(['app_user', 'app_rw', 'app_ro']);
    expect(ci.migrationSteps).toEqual(['202511131121', 'skeldir_foundation@head']);
    expect(ci.notes.join('\n')).toMatch(/no \.github\/workflows folder/);
  });

  it('falls back to the profile when the repository folder itself is missing', async () => {
    const ci = await readWorkflows(path.join(os.tmpdir(), 'skeldir-no-such-repo-4711'), SKELDIR_PROFILE);
    expect(ci.source).toBe('profile');
  });

  it('turns malformed YAML into a note naming the file and still reads the others', async () => {
    const dir = repo({
      [wf('broken.yml')]: 'on: push\njobs:\n  t:\n    steps: [\n      - run: alembic upgrade head\n',
      [wf('dupes.yml')]: 'on: push\njobs:\n  t: {runs-on: a}\n  t: {runs-on: b}\n',
      [wf('good.yml')]:
        'on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    services:\n      pg:\n        image: postgres:15\n    steps:\n      - run: alembic upgrade head\n',
    });
    const ci = await readWorkflows(dir, SKELDIR_PROFILE);
    expect(ci.source).toBe('workflow');
    expect(ci.files).toEqual(['.github/workflows/good.yml']);
    const notes = ci.notes.join('\n');
    expect(notes).toMatch(/\.github\/workflows\/broken\.yml is not valid YAML \(line \d+\)/);
    expect(notes).toMatch(/\.github\/workflows\/dupes\.yml is not valid YAML.*unique/);
    expect(ci.migrationSteps).toEqual(['head']);
  });

  it('falls back to the profile when no workflow touches PostgreSQL, Alembic or pytest', async () => {
    const dir = repo({
      [wf('lint.yml')]: 'on: push\njobs:\n  lint:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npm run lint\n',
      [wf('empty.yml')]: '',
    });
    const ci = await readWorkflows(dir, SKELDIR_PROFILE);
    expect(ci.source).toBe('profile');
    expect(ci.notes.join('\n')).toMatch(/lint\.yml sets up no PostgreSQL.*falling back to the profile/);
    expect(ci.notes.join('\n')).toMatch(/empty\.yml has no jobs/);
  });

  it('never throws, whatever the text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        const ci = ciExpectationsFromWorkflows([{ path: wf('x.yml'), text }], SKELDIR_PROFILE);
        expect(['workflow', 'profile']).toContain(ci.source);
      }),
      { numRuns: 300 },
    );
    const runLine = fc.constantFrom(
      'psql -c "CREATE ROLE a"',
      'alembic upgrade head',
      "cat <<'SQL'",
      'SQL',
      'pytest -k x',
      'createdb',
      'cd ..',
      '"unterminated',
      '\\',
      '${{ matrix.x }}',
    );
    fc.assert(
      fc.property(fc.array(runLine, { maxLength: 12 }), (lines) => {
        const text = `on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: ${JSON.stringify(lines.join('\n'))}\n`;
        expect(() => ciExpectationsFromWorkflows([{ path: wf('y.yml'), text }], SKELDIR_PROFILE)).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });
});

describe('image tags', () => {
  it.each([
    ['postgres:15-alpine', 15],
    ['postgres:15.4', 15],
    ['docker.io/library/postgres:16@sha256:abc', 16],
    ['postgis/postgis:16-3.4', 16],
    ['timescale/timescaledb:2.13.0-pg15', 15],
    ['timescale/timescaledb-ha:pg17', 17],
    ['bitnami/postgresql:9.6.24', 9],
    ['postgres', null],
    ['postgres:latest', null],
  ] as const)('%s \u2192 %s', (image, major) => {
    expect(majorOfImage(image)).toBe(major);
  });
});
