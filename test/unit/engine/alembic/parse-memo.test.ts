import { describe, it, expect } from 'vitest';
import { loadAlembicProject } from '../../../../electron/engine/alembic/load-project';
import { RevisionParseMemo } from '../../../../electron/engine/alembic/parse-memo';
import { LARGE_300 } from '../../../support/sample-project';
import { makeTempDir, writeFiles } from '../../../support/temp-dir';

const revision = (id: string, down: string | null, message = `Revision ${id}`) =>
  `"""${message}\n\nCreate Date: 2025-01-01 00:00:00\n"""\nrevision = '${id}'\ndown_revision = ${down === null ? 'None' : `'${down}'`}\n\ndef upgrade():\n    op.create_table('t_${id}')\n`;

describe('RevisionParseMemo', () => {
  it('a load with the memo builds the same graph as one without, again and again (300 revisions)', async () => {
    const memo = new RevisionParseMemo();
    const plain = await loadAlembicProject(LARGE_300);
    const first = await loadAlembicProject(LARGE_300, { memo });
    const second = await loadAlembicProject(LARGE_300, { memo });
    if (!plain.ok || !first.ok || !second.ok) throw new Error('load failed');
    expect(first.value.graph).toEqual(plain.value.graph);
    expect(second.value.graph).toEqual(plain.value.graph);
    // The second load reused the first one's parse of every file (same objects).
    const id = Object.keys(plain.value.graph.revisions)[0];
    expect(second.value.graph.revisions[id]).toBe(first.value.graph.revisions[id]);
  });

  it('parses a file again when its text changed, and reused results cannot be changed', async () => {
    const dir = makeTempDir('parse-memo-');
    const write = (name: string, text: string) => writeFiles(dir, { [name]: text });
    write('alembic.ini', '[alembic]\nscript_location = alembic\n');
    write('alembic/env.py', '');
    write('alembic/versions/a.py', revision('a', null));
    write('alembic/versions/b.py', revision('b', 'a'));
    const memo = new RevisionParseMemo();
    const load = async () => {
      const loaded = await loadAlembicProject(dir, { memo, platform: 'posix' });
      if (!loaded.ok) throw new Error(loaded.error.message);
      return loaded.value.graph;
    };
    const before = await load();
    // Same size, same date second: only the text tells the difference.
    write('alembic/versions/b.py', revision('b', 'a', 'Revision B'));
    const after = await load();
    expect(before.revisions.b.message).toBe('Revision b');
    expect(after.revisions.b.message).toBe('Revision B');
    expect(after.revisions.a).toBe(before.revisions.a);
    expect(() => {
      (after.revisions.a.downRevisions as string[]).push('x');
    }).toThrow(TypeError);
  });

  it('works constants out again on every load: a changed module changes the label, with the revision file unchanged', async () => {
    const dir = makeTempDir('parse-memo-');
    const write = (name: string, text: string) => writeFiles(dir, { [name]: text });
    write('alembic.ini', '[alembic]\nscript_location = alembic\nprepend_sys_path = .\n');
    write('app/__init__.py', "BRANCH = 'core'\n");
    write('alembic/versions/a.py', `revision = 'a'\ndown_revision = None\nfrom app import BRANCH\nbranch_labels = (BRANCH,)\n`);
    const memo = new RevisionParseMemo();
    const labels = async () => {
      const loaded = await loadAlembicProject(dir, { memo, platform: 'posix' });
      if (!loaded.ok) throw new Error(loaded.error.message);
      return loaded.value.graph.revisions.a.branchLabels;
    };
    expect(await labels()).toEqual(['core']);
    write('app/__init__.py', "BRANCH = 'main'\n");
    expect(await labels()).toEqual(['main']);
  });
});
