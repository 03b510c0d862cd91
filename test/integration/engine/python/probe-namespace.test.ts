import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { probePython } from '../../../../electron/engine/python/find-python';
import { ensureTestPython } from '../../../support/python-env';
import { makeTempDir } from '../../../support/temp-dir';

/**
 * The probe runs in the repository, whose migrations folder is often named `alembic/`.
 * A bare folder of a module's name is a namespace package to Python, not the library:
 * the probe must not report the library as importable because of it.
 */
describe('the Python probe in a repository with folders named like libraries', () => {
  it('a bare folder named like a library the interpreter lacks is not that library; an installed one still is', async () => {
    const python = await ensureTestPython();
    const repo = makeTempDir('skeldir-probe-namespace-');
    // The test interpreter has alembic and lacks asyncpg and pg8000 (test/support/python-requirements.txt).
    for (const folder of ['alembic', 'asyncpg', 'pg8000']) fs.mkdirSync(path.join(repo, folder, 'versions'), { recursive: true });
    const answer = await probePython({ command: python, launcherArgs: [] }, { cwd: repo, env: process.env, platform: process.platform });
    if (!answer.ok) throw new Error(answer.error.message);
    expect(answer.value.environment.drivers).toMatchObject({ asyncpg: false, pg8000: false });
    expect(answer.value.packages.alembic).toBe(true);
  }, 60_000);
});
