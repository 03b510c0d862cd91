import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { checkRevisionsCompile } from '../../../../electron/engine/alembic/compile-revisions';
import { readWithAlembic } from '../../../../electron/engine/alembic/read-by-alembic';
import { openProject } from '../../../../electron/engine/project/open-project';
import { ensureTestPython } from '../../../support/python-env';
import { makeTempDir, makeTempTree } from '../../../support/temp-dir';

/**
 * The compile check and Alembic's read of undecidable attributes run Python on the user's
 * project (the read imports the revision modules): neither child may see the superuser's
 * password or any other secret we were given (child-env.ts).
 */
const MARKER = 'skeldir-secret-marker-7f3a';
const SECRETS = ['SKELDIR_SUPERUSER_PASSWORD', 'PGPASSWORD', 'DATABASE_URL', 'PGPASSFILE', 'PGSERVICEFILE'];

let python: string;
let saved: Record<string, string | undefined>;
beforeAll(async () => {
  python = await ensureTestPython();
});
beforeEach(() => {
  saved = {};
  for (const name of [...SECRETS, 'PYTHONPATH', 'SKELDIR_TEST_ENV_DUMP']) saved[name] = process.env[name];
  for (const name of SECRETS) process.env[name] = name === 'DATABASE_URL' ? `postgresql://postgres:${MARKER}@localhost/db` : MARKER;
});
afterEach(() => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

/** Python code that writes the child's environment as JSON to the file named in SKELDIR_TEST_ENV_DUMP. */
const DUMP = 'import json, os\nwith open(os.environ["SKELDIR_TEST_ENV_DUMP"], "w") as f:\n    json.dump(dict(os.environ), f)\n';

function dumped(file: string): Record<string, string> {
  expect(fs.existsSync(file)).toBe(true);
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string>;
}

function expectNoSecrets(env: Record<string, string>): void {
  for (const name of SECRETS) expect(env[name], name).toBeUndefined();
  expect(JSON.stringify(env)).not.toContain(MARKER);
}

describe('Python children on the user\u2019s project get no secrets', () => {
  it('the compile check', async () => {
    const repo = makeTempTree('child-secrets-compile-', {
      'alembic.ini': '[alembic]\nscript_location = migrations\n',
      'migrations/env.py': '',
      'migrations/versions/a.py': '"""only"""\nrevision = "a"\ndown_revision = None\n',
    });
    // The check only compiles the files, so the environment is seen by a sitecustomize on PYTHONPATH.
    const site = makeTempTree('child-secrets-site-', { 'sitecustomize.py': DUMP });
    const dump = path.join(makeTempDir('child-secrets-dump-'), 'env.json');
    process.env.PYTHONPATH = site;
    process.env.SKELDIR_TEST_ENV_DUMP = dump;
    const project = await openProject(repo);
    if (!project.ok) throw new Error(project.error.message);
    const check = await checkRevisionsCompile({ python: { command: python }, repoDir: repo, graph: project.value.graph });
    expect(check).toMatchObject({ status: 'passed', files: 1 });
    expectNoSecrets(dumped(dump));
  });

  it('Alembic\u2019s read, which imports the revision modules', async () => {
    const dump = path.join(makeTempDir('child-secrets-dump-'), 'env.json');
    process.env.SKELDIR_TEST_ENV_DUMP = dump;
    const repo = makeTempTree('child-secrets-read-', {
      'alembic.ini': '[alembic]\nscript_location = migrations\n',
      'migrations/env.py': '',
      'migrations/versions/a.py': `"""dumps its environment"""\n${DUMP}revision = "a"\ndown_revision = None\n`,
    });
    const file = path.join(repo, 'migrations', 'versions', 'a.py');
    const read = await readWithAlembic({
      python: { command: python },
      iniPath: path.join(repo, 'alembic.ini'),
      tomlPath: null,
      section: 'alembic',
      files: [file],
      cwd: repo,
    });
    if (!read.ok) throw new Error(read.error);
    expect(read.files.get(file)).toMatchObject({ ok: true, revision: 'a' });
    expectNoSecrets(dumped(dump));
  });
});
