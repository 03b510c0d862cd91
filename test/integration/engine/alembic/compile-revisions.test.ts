import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkRevisionsCompile, describeCompileErrors } from '../../../../electron/engine/alembic/compile-revisions';
import { openProject } from '../../../../electron/engine/project/open-project';
import { ensureTestPython } from '../../../support/python-env';
import { addRevision, copyFixture, LARGE_300, SAMPLE_HEAD, SKELDIR_FOUNDATION } from '../../../support/sample-project';

/**
 * The check before a drop compiles every revision file with the project's interpreter, in
 * one process: a syntax error outside `revision`/`down_revision` (which the static reader
 * never looks at) is named with its file and line.
 */
let python: string;
const made: string[] = [];
beforeAll(async () => {
  python = await ensureTestPython();
});
afterAll(() => {
  for (const repo of made) fs.rmSync(path.dirname(repo), { recursive: true, force: true });
});

async function graphOf(repo: string) {
  const project = await openProject(repo);
  if (!project.ok) throw new Error(project.error.message);
  return project.value.graph;
}

describe('checkRevisionsCompile', () => {
  it('passes the 300-revision fixture in one process (time printed, not asserted)', async () => {
    const graph = await graphOf(LARGE_300);
    const check = await checkRevisionsCompile({ python: { command: python }, repoDir: LARGE_300, graph });
    expect(check).toMatchObject({ status: 'passed', files: Object.keys(graph.revisions).length });
    if (check.status === 'passed') console.log(`[compile-revisions] ${check.files} revision files compiled in ${check.durationMs} ms`);
    expect(fs.existsSync(path.join(LARGE_300, 'alembic', 'versions', '__pycache__'))).toBe(false);
  });

  it('names the file and line of a syntax error in upgrade(), in a folder with spaces', async () => {
    const repo = copyFixture(SKELDIR_FOUNDATION, 'II SKELDIR II');
    made.push(repo);
    const file = addRevision(repo, '202612010000', SAMPLE_HEAD, ['op.execute("SELECT 1"', 'x = 1']);
    const check = await checkRevisionsCompile({ python: { command: python }, repoDir: repo, graph: await graphOf(repo) });
    expect(check.status).toBe('failed');
    if (check.status !== 'failed') return;
    expect(check.errors).toHaveLength(1);
    const [error] = check.errors;
    expect(error.file).toBe(path.relative(repo, file).split(path.sep).join('/'));
    expect(error.line).toBeGreaterThan(0);
    expect(fs.readFileSync(file, 'utf8').split('\n')[(error.line ?? 1) - 1]).toContain('op.execute');
    const message = describeCompileErrors(check.errors);
    expect(message).toContain(`${error.file}:${error.line}`);
    expect(message).toContain('Fix the file');
  });

  it('says why it was skipped when no interpreter is known', async () => {
    const check = await checkRevisionsCompile({ python: null, repoDir: SKELDIR_FOUNDATION, graph: await graphOf(SKELDIR_FOUNDATION) });
    expect(check).toEqual({ status: 'skipped', reason: expect.stringContaining('no Python interpreter') });
  });

  it('says why it was skipped when the interpreter cannot be started', async () => {
    const check = await checkRevisionsCompile({
      python: { command: path.join(SKELDIR_FOUNDATION, 'no such python') },
      repoDir: SKELDIR_FOUNDATION,
      graph: await graphOf(SKELDIR_FOUNDATION),
    });
    expect(check.status).toBe('skipped');
    if (check.status === 'skipped') expect(check.reason.length).toBeGreaterThan(0);
  });
});
