import { describe, it, expect } from 'vitest';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { loadAlembicProject } from '../../../../electron/engine/alembic/load-project';
import { analyzeHazards } from '../../../../shared/graph/hazards';
import { planSafeUpgrade } from '../../../../shared/graph/plan';
import { makeTempTree } from '../../../support/temp-dir';

const project = (files: Record<string, string>) => makeTempTree('alembic-project-', files);

const revision = (id: string, down: string | null, extra = '') =>
  `"""Revision ${id}\n\nCreate Date: 2025-01-01 00:00:00\n"""\nrevision = '${id}'\ndown_revision = ${down === null ? 'None' : `'${down}'`}\n${extra}\ndef upgrade():\n    pass\n`;

const load = async (dir: string) => {
  const r = await loadAlembicProject(dir, { platform: 'posix' });
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};

describe('loadAlembicProject', () => {
  it("reads revisions in Alembic's file order and builds the graph", async () => {
    const dir = project({
      'alembic.ini': '[alembic]\nscript_location = alembic\nrecursive_version_locations = true\n',
      'alembic/env.py': '',
      'alembic/versions/__init__.py': '',
      'alembic/versions/b_second.py': revision('b', 'a'),
      'alembic/versions/a_first.py': revision('a', null),
      'alembic/versions/sub/c_third.py': revision('c', 'b'),
      'alembic/versions/__pycache__/x.py': revision('zz', null),
      'alembic/versions/.#lock.py': revision('lock', null),
      'alembic/versions/notes.txt': 'not python',
    });
    const p = await load(dir);
    expect(p.files).toEqual(['alembic/versions/a_first.py', 'alembic/versions/b_second.py', 'alembic/versions/sub/c_third.py']);
    expect(p.graph.loadOrder).toEqual(['a', 'b', 'c']);
    expect(p.graph.heads).toEqual(['c']);
    expect(p.graph.errors).toEqual([]);
    expect(p.graph.warnings).toEqual([]);
    expect(p.graph.revisions.c.file).toBe('alembic/versions/sub/c_third.py');
    expect(p.scriptLocation).toBe(path.join(dir, 'alembic'));
    expect(p.versionLocations).toEqual([path.join(dir, 'alembic', 'versions')]);
  });

  it('finds backend/alembic.ini and resolves locations from its folder', async () => {
    const dir = project({
      'backend/alembic.ini': '[alembic]\nscript_location = %(here)s/migrations\nversion_locations = migrations/core;migrations/extra\npath_separator = ;\n',
      'backend/migrations/core/one.py': revision('one', null),
      'backend/migrations/extra/two.py': revision('two', 'one'),
    });
    const p = await load(dir);
    expect(p.ini.path).toBe(path.join(dir, 'backend', 'alembic.ini'));
    expect(p.files).toEqual(['backend/migrations/core/one.py', 'backend/migrations/extra/two.py']);
    expect(p.graph.heads).toEqual(['two']);
  });

  it('turns unreadable revisions into graph errors instead of failing', async () => {
    const dir = project({
      'alembic.ini': '[alembic]\nscript_location = alembic\n',
      'alembic/versions/a.py': revision('a', null),
      'alembic/versions/b.py': `revision = 'b'\ndown_revision = pick('a')\n`,
      'alembic/versions/c.py': revision('c', 'b'),
      'alembic/versions/d.py': `revision = 'd'\ndown_revision = 'c'\nbranch_labels = ('x',\n`,
      'alembic/versions/helpers.py': 'def helper():\n    return 1\n',
    });
    const p = await load(dir);
    expect(p.graph.errors.map((e) => [e.kind, e.file, e.line])).toEqual([
      ['parse', 'alembic/versions/b.py', 2],
      ['parse', 'alembic/versions/d.py', 3],
    ]);
    // Without a Python to ask, b stays in the graph (c is not orphaned) with its unknown attribute named.
    expect(p.graph.errors[0].message).toContain('`down_revision`');
    expect(p.graph.revisions.b.unknownAttributes).toEqual(['down_revision']);
    expect(p.graph.children.b).toEqual(['c']);
    expect(p.graph.warnings.map((w) => [w.kind, w.file])).toContainEqual(['skipped-file', 'alembic/versions/helpers.py']);
  });

  it('names a missing version location', async () => {
    const dir = project({
      'alembic.ini': '[alembic]\nscript_location = alembic\nversion_locations = alembic/versions alembic/missing\n',
      'alembic/versions/a.py': revision('a', null),
    });
    const p = await load(dir);
    expect(p.graph.errors).toHaveLength(1);
    expect(p.graph.errors[0]).toMatchObject({ kind: 'ini', file: 'alembic.ini' });
    expect(p.graph.errors[0].message).toContain('alembic/missing');
  });

  it('warns when sub-folder revisions are invisible to Alembic', async () => {
    const dir = project({
      'alembic.ini': '[alembic]\nscript_location = alembic\n',
      'alembic/versions/a.py': revision('a', null),
      'alembic/versions/nested/b.py': revision('b', 'a'),
    });
    const p = await load(dir);
    expect(p.graph.warnings.map((w) => [w.kind, w.revisionIds])).toEqual([['hidden-from-alembic', ['b']]]);
  });

  it('warns only about folders Alembic does not scan, and leaves their revisions out as Alembic does', async () => {
    const files = {
      'alembic/env.py': '',
      'alembic/versions/001_core/a.py': revision('a', null),
      'alembic/versions/002_more/b.py': revision('b', 'a'),
      'alembic/versions/002_more/imports/c.py': revision('c', 'b'),
      'alembic/versions/003_unlisted/d.py': revision('d', 'b'),
    };
    const listed = await load(
      project({
        ...files,
        'alembic.ini':
          '[alembic]\nscript_location = alembic\npath_separator = ;\nversion_locations = alembic/versions/001_core;alembic/versions/002_more;alembic/versions/002_more/imports\n',
      }),
    );
    expect(listed.files).toEqual(['alembic/versions/001_core/a.py', 'alembic/versions/002_more/b.py', 'alembic/versions/002_more/imports/c.py']);
    expect(listed.graph.warnings.filter((w) => w.kind === 'hidden-from-alembic').map((w) => [w.revisionIds, w.message.includes('003_unlisted')])).toEqual([
      [['d'], true],
    ]);
    expect(listed.graph.revisions.d).toBeUndefined();

    const recursive = await load(project({ ...files, 'alembic.ini': '[alembic]\nscript_location = alembic\nrecursive_version_locations = true\n' }));
    expect(Object.keys(recursive.graph.revisions).sort()).toEqual(['a', 'b', 'c', 'd']);
    expect(recursive.graph.warnings.filter((w) => w.kind === 'hidden-from-alembic')).toEqual([]);
  });

  it('reads a project configured only in pyproject.toml, and a package:path script location', async () => {
    const toml = await load(
      project({
        'pyproject.toml':
          '[project]\nname = "x"\n\n[tool.alembic]\nscript_location = "%(here)s/migrations"\nversion_locations = ["%(here)s/migrations/v1", "%(here)s/migrations/v2"]\n',
        'migrations/v1/a.py': revision('a', null),
        'migrations/v2/b.py': revision('b', 'a'),
      }),
    );
    expect(toml.files).toEqual(['migrations/v1/a.py', 'migrations/v2/b.py']);
    expect(toml.graph.heads).toEqual(['b']);

    const pkg = await load(
      project({
        'alembic.ini': '[alembic]\nscript_location = src_app.db:migrations\nprepend_sys_path = lib\n',
        'lib/src_app/__init__.py': '',
        'lib/src_app/db/__init__.py': "LABEL = 'core'\n",
        'lib/src_app/db/migrations/versions/a.py': revision('a', null, 'from src_app.db import LABEL\nbranch_labels = (LABEL,)\n'),
      }),
    );
    expect(pkg.files).toEqual(['lib/src_app/db/migrations/versions/a.py']);
    expect(pkg.graph.labels).toEqual({ core: 'a' });
  });

  it('fails cleanly without a checkout, an ini or a script folder', async () => {
    const missing = await loadAlembicProject(path.join(tmpdir(), 'does-not-exist-skeldir'));
    expect(!missing.ok && missing.error.code).toBe('repo-not-found');
    // A file given for the folder is said to be one, not "does not exist".
    const file = path.join(project({ 'alembic.ini': '' }), 'alembic.ini');
    const notAFolder = await loadAlembicProject(file);
    expect(!notAFolder.ok && notAFolder.error.message).toBe(`${file} is a file, not a folder.`);
    const empty = await loadAlembicProject(project({ 'README.md': '' }));
    expect(!empty.ok && empty.error.code).toBe('alembic-ini-missing');
    if (!empty.ok) expect(empty.error.message).toContain('backend/alembic.ini');
    const noScripts = await loadAlembicProject(project({ 'alembic.ini': '[alembic]\nscript_location = nowhere\n' }));
    expect(!noScripts.ok && noScripts.error.code).toBe('alembic-ini-invalid');
    const badIni = await loadAlembicProject(project({ 'alembic.ini': 'script_location = x\n' }));
    expect(!badIni.ok && badIni.error.code).toBe('alembic-ini-invalid');
  });
});

const FIXTURE = path.resolve(__dirname, '../../../fixtures/skeldir-foundation');

describe.runIf(existsSync(path.join(FIXTURE, 'alembic.ini')))('the skeldir-foundation sample project', () => {
  it("loads 12 revisions with one head and predicts failure 1 and the guide's two steps", async () => {
    const p = await load(FIXTURE);
    expect(Object.keys(p.graph.revisions)).toHaveLength(12);
    expect(p.graph.heads).toEqual(['202512151400']);
    expect(p.graph.errors).toEqual([]);
    expect(p.graph.revisions['202511131115'].creates).toContain('tenants');
    expect(p.graph.revisions['202512151300'].creates).toContain('attribution_recompute_jobs');

    const plan = planSafeUpgrade(p.graph, [], 'skeldir_foundation@head');
    expect(plan.ok && plan.value.steps.map((s) => s.target)).toEqual(['202511131121', 'skeldir_foundation@head']);

    const hazards = analyzeHazards(p.graph, [], 'skeldir_foundation@head');
    expect(hazards.ok).toBe(true);
    if (!hazards.ok) return;
    const h = hazards.value.find((x) => x.revision === '202512151300' && x.table === 'tenants');
    expect(h).toBeDefined();
    expect(h?.createdBy).toBe('202511131115');
    expect(h?.fix.dependsOnLine).toBe("depends_on = ('202511131121',)");
  });
});
