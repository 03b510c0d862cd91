import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadAlembicProject } from '../../../../electron/engine/alembic/load-project';
import { openProject } from '../../../../electron/engine/project/open-project';
import { ensureTestPython } from '../../../support/python-env';
import { makeTempTree, writeFiles } from '../../../support/temp-dir';
import { alembicView, ourView } from './alembic-view';

/**
 * Attributes only Python can evaluate are read by Alembic itself, in one process for all
 * such files; without a usable interpreter the revision stays in the graph with the
 * unknown attribute named in an error.
 */
let python: string;
beforeAll(async () => {
  python = await ensureTestPython();
});

function project(): string {
  return makeTempTree('read-by-alembic-', {
    'alembic.ini': '[alembic]\nscript_location = migrations\nprepend_sys_path = .\n',
    'migrations/env.py': '',
    'helpers/__init__.py': 'def branch(name):\n    return name.upper()\n',
    'migrations/versions/a.py': '"""first"""\nrevision = "a"\ndown_revision = None\n',
    'migrations/versions/b.py': '"""second"""\nfrom helpers import branch\nrevision = "b"\ndown_revision = "a"\nbranch_labels = (branch("core"),)\n',
    'migrations/versions/c.py': '"""third"""\nimport os\nrevision = "c"\ndown_revision = os.environ.get("SKELDIR_TEST_UNSET_PARENT", "b")\n',
    'migrations/versions/d.py': '"""fourth"""\nrevision = "_".join(["d", "1"])\ndown_revision = "c"\n',
  });
}

describe('reading undecidable attributes with Alembic', () => {
  it('asks Alembic once, marks those revisions with why, and equals Alembic\u2019s own view', async () => {
    const dir = project();
    const loaded = await loadAlembicProject(dir, { platform: 'posix', python: { command: python } });
    if (!loaded.ok) throw new Error(loaded.error.message);
    const g = loaded.value.graph;
    expect(g.errors).toEqual([]);
    expect(g.revisions.b.branchLabels).toEqual(['CORE']);
    expect(g.revisions.c.downRevisions).toEqual(['b']);
    expect(g.revisions.d_1.downRevisions).toEqual(['c']);
    expect(
      Object.values(g.revisions)
        .filter((r) => r.readByAlembic)
        .map((r) => r.id)
        .sort(),
    ).toEqual(['b', 'c', 'd_1']);
    expect(g.revisions.b.readByAlembic).toContain('`branch_labels` (line 5');
    expect(g.revisions.a.readByAlembic).toBeUndefined();
    const theirs = alembicView(python, path.join(dir, 'alembic.ini'));
    if (!theirs.ok) throw new Error(theirs.stderr);
    expect(ourView(g, '')).toEqual(theirs.view);
  });

  it('without an interpreter keeps every revision whose id it knows, naming the unknown attribute', async () => {
    const dir = project();
    for (const python of [undefined, { command: path.join(dir, 'no-such-python') }]) {
      const loaded = await loadAlembicProject(dir, { platform: 'posix', python });
      if (!loaded.ok) throw new Error(loaded.error.message);
      const g = loaded.value.graph;
      expect(Object.keys(g.revisions).sort()).toEqual(['a', 'b', 'c']);
      expect(g.revisions.b.unknownAttributes).toEqual(['branch_labels']);
      expect(g.revisions.c.unknownAttributes).toEqual(['down_revision']);
      const parse = g.errors.filter((e) => e.kind === 'parse');
      expect(parse.map((e) => [e.file, e.line])).toEqual([
        ['migrations/versions/b.py', 5],
        ['migrations/versions/c.py', 4],
        ['migrations/versions/d.py', 2],
      ]);
      expect(parse[0].message).toMatch(python ? /asking Alembic failed/ : /no Python interpreter/);
      expect(parse[2].message).toContain('Without its id');
    }
  });

  it('names Alembic\u2019s own failure for a file Python cannot load', async () => {
    const dir = project();
    writeFiles(dir, { 'migrations/versions/e.py': '"""broken"""\nrevision = "e"\ndown_revision = missing_name\n' });
    const loaded = await loadAlembicProject(dir, { platform: 'posix', python: { command: python } });
    if (!loaded.ok) throw new Error(loaded.error.message);
    const e = loaded.value.graph.errors.find((x) => x.file === 'migrations/versions/e.py');
    expect(e?.message).toContain("NameError: name 'missing_name' is not defined");
    expect(loaded.value.graph.revisions.e.unknownAttributes).toEqual(['down_revision']);
    expect(loaded.value.graph.revisions.b.readByAlembic).toBeTruthy();
  });

  it('the app and the pipeline hand openProject the interpreter lazily: asked for only when a revision needs Alembic', async () => {
    const dir = project();
    let asked = 0;
    const lazy = async () => {
      asked += 1;
      return { command: python };
    };
    const opened = await openProject(dir, lazy);
    if (!opened.ok) throw new Error(opened.error.message);
    expect(asked).toBe(1);
    expect(opened.value.graph.revisions.b.branchLabels).toEqual(['CORE']);
    expect(opened.value.graph.errors).toEqual([]);

    const plain = makeTempTree('read-by-alembic-plain-', {
      'alembic.ini': '[alembic]\nscript_location = migrations\n',
      'migrations/env.py': '',
      'migrations/versions/a.py': '"""only"""\nrevision = "a"\ndown_revision = None\n',
    });
    const literal = await openProject(plain, lazy);
    if (!literal.ok) throw new Error(literal.error.message);
    expect(Object.keys(literal.value.graph.revisions)).toEqual(['a']);
    expect(asked).toBe(1);
  });
});
