import * as path from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadAlembicProject } from '../../../../electron/engine/alembic/load-project';
import { ensureTestPython } from '../../../support/python-env';
import { makeTempDir, writeFiles } from '../../../support/temp-dir';
import { alembicView, ourView } from './alembic-view';

/**
 * Generated Alembic projects, read by our loader and by Alembic's own ScriptDirectory,
 * must agree field by field: revisions, parents, depends_on, own and inherited labels,
 * messages, files, heads and bases. The projects use what real ones do: attributes
 * written as constants of the same file or of a package module (from-import, module
 * alias, dotted import, class attribute), concatenations and f-strings of them,
 * expressions only Python can evaluate (read by Alembic), several ini layouts
 * (separators, legacy splitting, unread options with inline comments, explicit
 * sub-folders, recursive folders, `package:path`, pyproject.toml only).
 */

/** How one string attribute is written. */
const STYLES = ['literal', 'local', 'from', 'alias', 'dotted', 'class', 'concat', 'fstring', 'python'] as const;
type Style = (typeof STYLES)[number];

interface RevSpec {
  parents: number[];
  depends: number[];
  label: boolean;
  styles: Style[];
  idStyle: Style;
  folder: number;
  labelAsString: boolean;
  parentsAsConstant: boolean;
}

const LAYOUTS = ['default', 'explicit-subfolders', 'recursive', 'per-release', 'package', 'toml'] as const;
const SEPARATORS = ['path_separator = os', 'path_separator = ;', 'version_path_separator = space', 'legacy', 'path_separator = newline'] as const;

interface ProjectSpec {
  revisions: RevSpec[];
  layout: (typeof LAYOUTS)[number];
  separator: (typeof SEPARATORS)[number];
  unreadComment: boolean;
  hereInScript: boolean;
  /** A revision in a folder Alembic does not scan (none in the recursive layout): reported hidden, left out. */
  hiddenExtra: boolean;
}

const revisionArb = (i: number): fc.Arbitrary<RevSpec> =>
  fc.record({
    parents: i === 0 ? fc.constant([]) : fc.uniqueArray(fc.nat({ max: i - 1 }), { minLength: 0, maxLength: 2 }),
    depends: i === 0 ? fc.constant([]) : fc.uniqueArray(fc.nat({ max: i - 1 }), { maxLength: 1 }),
    label: fc.boolean(),
    styles: fc.array(fc.constantFrom(...STYLES), { minLength: 6, maxLength: 6 }),
    idStyle: fc.constantFrom<Style>('literal', 'literal', 'local', 'from', 'fstring', 'python'),
    folder: fc.nat({ max: 2 }),
    labelAsString: fc.boolean(),
    parentsAsConstant: fc.boolean(),
  });

const projectArb: fc.Arbitrary<ProjectSpec> = fc.integer({ min: 1, max: 9 }).chain((n) =>
  fc.record({
    revisions: fc.tuple(...Array.from({ length: n }, (_, i) => revisionArb(i))),
    layout: fc.constantFrom(...LAYOUTS),
    separator: fc.constantFrom(...SEPARATORS),
    unreadComment: fc.boolean(),
    hereInScript: fc.boolean(),
    hiddenExtra: fc.boolean(),
  }),
);

const revId = (i: number) => `r${i}a${(i * 7919).toString(16)}`;
const label = (i: number) => `lbl_${i}`;

/** Writes the project; returns its folder, which revisions only Python can read, and which sit where Alembic does not look. */
function writeProject(spec: ProjectSpec): { root: string; needsPython: Set<string>; hidden: string[] } {
  const root = makeTempDir('gen-alembic-');
  const files: Record<string, string> = {};
  const constants: string[] = ['"""Constants the migrations import."""', ''];
  const classBody: string[] = [];
  const needsPython = new Set<string>();
  const pkgScript = spec.layout === 'package';
  const scriptRel = pkgScript ? 'myapp/migrations' : 'migrations';
  const folders = ['versions', 'versions/sub_a', 'versions/sub_b'];
  const folderOf = (r: RevSpec): string => {
    switch (spec.layout) {
      case 'explicit-subfolders':
      case 'recursive':
        return folders[r.folder];
      case 'per-release':
        return `versions/release_${r.folder}`;
      default:
        return 'versions';
    }
  };

  for (const [i, r] of spec.revisions.entries()) {
    const header: string[] = [];
    const preamble: string[] = [];
    let counter = 0;
    /** The Python expression for string `value`, written in `style`. */
    const expr = (value: string, style: Style): string => {
      const name = `V${i}_${counter++}`;
      const cut = Math.max(1, Math.floor(value.length / 2));
      switch (style) {
        case 'literal':
          return JSON.stringify(value);
        case 'local':
          preamble.push(`${name} = ${JSON.stringify(value)}`);
          return name;
        case 'from':
          constants.push(`${name} = ${JSON.stringify(value)}`);
          header.push(`from myapp.db.constants import ${name}`);
          return name;
        case 'alias':
          constants.push(`${name} = ${JSON.stringify(value)}`);
          header.push('import myapp.db.constants as consts');
          return `consts.${name}`;
        case 'dotted':
          constants.push(`${name} = ${JSON.stringify(value)}`);
          header.push('import myapp.db.constants');
          return `myapp.db.constants.${name}`;
        case 'class':
          classBody.push(`    ${name} = ${JSON.stringify(value)}`);
          header.push('from myapp.db.constants import Names');
          return `Names.${name}`;
        case 'concat':
          constants.push(`${name} = ${JSON.stringify(value.slice(0, cut))}`);
          header.push(`from myapp.db import constants as c${i}`);
          return `c${i}.${name} + ${JSON.stringify(value.slice(cut))}`;
        case 'fstring':
          preamble.push(`${name} = ${JSON.stringify(value.slice(0, cut))}`);
          return `f"{${name}}${value.slice(cut)}"`;
        case 'python':
          needsPython.add(revId(i));
          return `"".join([${JSON.stringify(value.slice(0, cut))}, ${JSON.stringify(value.slice(cut))}])`;
      }
    };
    const id = revId(i);
    const idExpr = expr(id, r.idStyle);
    let down: string;
    if (r.parents.length === 0) down = 'None';
    else if (r.parents.length === 2 && r.parentsAsConstant) {
      constants.push(`PARENTS_${i} = (${r.parents.map((p) => JSON.stringify(revId(p))).join(', ')})`);
      header.push(`from myapp.db.constants import PARENTS_${i}`);
      down = `PARENTS_${i}`;
    } else down = r.parents.length === 1 ? expr(revId(r.parents[0]), r.styles[0]) : `(${r.parents.map((p, k) => expr(revId(p), r.styles[k])).join(', ')})`;
    const labels = r.label ? (r.labelAsString ? expr(label(i), r.styles[2]) : `(${expr(label(i), r.styles[2])},)`) : 'None';
    // depends_on a label when the revision named has one, else the id.
    const depends = r.depends.length === 0 ? 'None' : `[${r.depends.map((d) => expr(spec.revisions[d].label ? label(d) : revId(d), r.styles[3])).join(', ')}]`;
    const unique = [...new Set(header)];
    const text = [
      `"""Revision ${i} ${r.styles.join(' ')}`,
      '',
      `Revision ID: ${id}`,
      '"""',
      ...unique,
      ...preamble,
      '',
      `revision = ${idExpr}`,
      `down_revision = ${down}`,
      `branch_labels = ${labels}`,
      `depends_on = ${depends}`,
      '',
      '',
      'def upgrade():',
      '    pass',
      '',
    ].join('\n');
    files[`${scriptRel}/${folderOf(r)}/${String(i).padStart(3, '0')}_${id}.py`] = text;
  }
  const hidden: string[] = [];
  if (spec.hiddenExtra && spec.layout !== 'recursive') {
    hidden.push('hidden0001');
    files[`${scriptRel}/versions/zz_unlisted/hidden.py`] =
      `"""Never seen by Alembic"""\nrevision = 'hidden0001'\ndown_revision = ${JSON.stringify(revId(0))}\n`;
  }
  files['myapp/__init__.py'] = '';
  files['myapp/db/__init__.py'] = '';
  files['myapp/db/constants.py'] = [
    ...constants,
    '',
    '',
    'class Names:',
    '    """Label and id names."""',
    '',
    ...(classBody.length > 0 ? classBody : ['    pass']),
    '',
  ].join('\n');
  files[`${scriptRel}/env.py`] = '';
  if (pkgScript) files['myapp/migrations/__init__.py'] = '';

  const used = new Set(spec.revisions.map((r) => folderOf(r)));
  const locations = [...used].sort().map((f) => `${scriptRel}/${f}`);
  const sepLine = spec.separator === 'legacy' ? '' : spec.separator;
  const char = {
    'path_separator = os': ':',
    'path_separator = ;': ';',
    'version_path_separator = space': ' ',
    legacy: ' ',
    'path_separator = newline': '\n    ',
  }[spec.separator];
  const lines = ['[alembic]'];
  const scriptValue = pkgScript ? 'myapp:migrations' : spec.hereInScript ? '%(here)s/migrations' : 'migrations';
  lines.push(`script_location = ${scriptValue}`);
  lines.push('prepend_sys_path = .');
  if (spec.layout === 'explicit-subfolders' || spec.layout === 'per-release') {
    lines.push(`version_locations = ${spec.separator === 'path_separator = newline' ? '\n    ' : ''}${locations.join(char)}`);
    if (sepLine) lines.push(sepLine);
  } else if (sepLine && !sepLine.startsWith('version_path_separator')) lines.push(sepLine);
  // Alembic's own template line: never read without version_locations (or when path_separator is set).
  if (spec.unreadComment && !(lines.some((l) => l.startsWith('version_locations')) && !lines.some((l) => l.startsWith('path_separator')))) {
    lines.push('version_path_separator = os  # Use os.pathsep. Default configuration used for new projects.');
  }
  if (spec.layout === 'recursive') lines.push('recursive_version_locations = true');
  lines.push('sqlalchemy.url = driver://user:pass@localhost/dbname', '');

  if (spec.layout === 'toml') {
    files['pyproject.toml'] = [
      '[project]',
      'name = "generated"',
      '',
      '[tool.alembic]',
      `script_location = "%(here)s/migrations"`,
      'prepend_sys_path = [".", ]',
      ...(spec.hereInScript ? ['version_locations = ["%(here)s/migrations/versions"]'] : []),
      '# a comment',
      '',
      '[tool.other]',
      'x = 1',
      '',
    ].join('\n');
  } else {
    files['alembic.ini'] = lines.join('\n');
  }
  writeFiles(root, files);
  return { root, needsPython, hidden };
}

let python: string;
beforeAll(async () => {
  python = await ensureTestPython();
});

describe('generated projects: our graph equals Alembic\u2019s ScriptDirectory', () => {
  it('revisions, parents, depends_on, own and inherited labels, messages, files, heads and bases', async () => {
    await fc.assert(
      fc.asyncProperty(projectArb, async (spec) => {
        const { root, needsPython, hidden } = writeProject(spec);
        const theirs = alembicView(python, path.join(root, 'alembic.ini'));
        if (!theirs.ok) throw new Error(`Alembic refused a generated project: ${theirs.stderr}\n${JSON.stringify(spec)}`);
        const loaded = await loadAlembicProject(root, { platform: 'posix', python: { command: python } });
        if (!loaded.ok) throw new Error(loaded.error.message);
        const graph = loaded.value.graph;
        expect(graph.errors).toEqual([]);
        expect(graph.warnings.filter((w) => w.kind === 'hidden-from-alembic').flatMap((w) => w.revisionIds ?? [])).toEqual(hidden);
        expect(ourView(graph, '')).toEqual(theirs.view);
        // Exactly the revisions with an expression only Python can evaluate were read by Alembic, and say why.
        const read = Object.values(graph.revisions).filter((r) => r.readByAlembic);
        expect(read.map((r) => r.id).sort()).toEqual([...needsPython].sort());
        for (const r of read) expect(r.readByAlembic).toMatch(/join/);
      }),
      { numRuns: Number(process.env.SKELDIR_PROPERTY_RUNS ?? 12), seed: Number(process.env.SKELDIR_PROPERTY_SEED ?? 2112) },
    );
  }, 600_000);
});
