import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadAlembicProject } from '../../../../electron/engine/alembic/load-project';
import { runAlembicDriver } from '../../../../electron/engine/alembic/run-alembic-driver';
import { upgradeRevisions } from '../../../../shared/graph/upgrade-revisions';
import type { MigrationGraph } from '../../../../shared/graph/model';
import { ensureTestPython } from '../../../support/python-env';
import { makeTempTree } from '../../../support/temp-dir';
import { backendPython, REAL_CORPUS_DIR, realCorpusUnavailable, requireRealCorpusInCi } from '../../../support/real-corpus';
import { alembicView as alembicOutcome, ourView } from './alembic-view';

/**
 * Our static parser against Alembic itself: the same revisions, parents, dependencies,
 * labels, heads and bases as Alembic's ScriptDirectory, and the same upgrade order as
 * Alembic's offline `upgrade --sql` run.
 */
const FIXTURES = path.resolve(__dirname, '..', '..', '..', 'fixtures');
const DUMP = path.resolve(__dirname, '..', '..', '..', 'support', 'alembic_dump.py');

interface AlembicDump {
  revisions: { id: string; downRevisions: string[]; dependsOn: string[]; branchLabels: string[]; labels: string[]; message: string; path: string }[];
  heads: string[];
  bases: string[];
}

let python: string;
beforeAll(async () => {
  python = await ensureTestPython();
});

function alembicView(project: string): AlembicDump {
  const result = spawnSync(python, [DUMP, path.join(FIXTURES, project, 'alembic.ini')], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`alembic_dump failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as AlembicDump;
}

async function ourGraph(project: string): Promise<MigrationGraph> {
  const loaded = await loadAlembicProject(path.join(FIXTURES, project));
  if (!loaded.ok) throw new Error(loaded.error.message);
  return loaded.value.graph;
}

describe.each(['skeldir-foundation', 'large-300'])('%s: the graph equals Alembic\u2019s own view', (project) => {
  it('revisions, parents, dependencies, labels, messages, files, heads and bases match field by field', async () => {
    const theirs = alembicView(project);
    const graph = await ourGraph(project);
    expect(graph.errors).toEqual([]);
    const ours = Object.values(graph.revisions)
      .map((r) => ({
        id: r.id,
        downRevisions: r.downRevisions,
        dependsOn: r.dependsOn,
        branchLabels: [...r.branchLabels].sort(),
        labels: [...(graph.inheritedLabels[r.id] ?? [])].sort(),
        message: r.message,
        path: r.file,
      }))
      .sort((a, b) => (a.id < b.id ? -1 : 1));
    expect(ours.length).toBe(theirs.revisions.length);
    for (let i = 0; i < ours.length; i++) expect(ours[i], ours[i].id).toEqual(theirs.revisions[i]);
    expect([...graph.heads].sort()).toEqual(theirs.heads);
    expect([...graph.bases].sort()).toEqual(theirs.bases);
  });

  it('the upgrade order from an empty database equals what Alembic runs (offline mode)', async () => {
    const graph = await ourGraph(project);
    const target = project === 'skeldir-foundation' ? 'skeldir_foundation@head' : 'heads';
    const predicted = upgradeRevisions(graph, [], target);
    if (!predicted.ok) throw new Error(predicted.error.message);
    const ran: string[] = [];
    const outcome = await runAlembicDriver({
      python: { command: python, launcherArgs: [], source: 'env', version: null, packages: {} },
      iniPath: path.join(FIXTURES, project, 'alembic.ini'),
      databaseUrl: 'postgresql://app_user:unused@127.0.0.1:1/offline',
      targets: [target],
      mode: 'sql',
      onRevision: (revision) => ran.push(revision.to),
    });
    if (!outcome.ok) throw new Error(outcome.error.message);
    expect(outcome.value.failure).toBeNull();
    expect(predicted.value).toEqual(ran);
    if (project === 'skeldir-foundation') expect(ran).toHaveLength(12);
  });
});

/**
 * Structures real public Alembic projects use (see each fixture's FIXTURE.md): module
 * constants as branch labels, `package:path` script locations, one listed folder per release
 * and branch, the `alembic init` ini with its unread inline comment, pyproject.toml only
 * with recursive dated folders. Read statically, they must equal Alembic's reading.
 */
describe.each(['expand-contract-constants', 'template-ini-options', 'pyproject-dated-folders'])(
  '%s: regression fixture read as Alembic reads it',
  (project) => {
    it('equals ScriptDirectory field by field, with no error and no hidden-folder warning', async () => {
      const theirs = alembicOutcome(python, path.join(FIXTURES, project, 'alembic.ini'));
      if (!theirs.ok) throw new Error(theirs.stderr);
      // No interpreter: every attribute must be read statically.
      const loaded = await loadAlembicProject(path.join(FIXTURES, project), { platform: 'posix' });
      if (!loaded.ok) throw new Error(loaded.error.message);
      expect(loaded.value.graph.errors).toEqual([]);
      expect(loaded.value.graph.warnings.filter((w) => w.kind === 'hidden-from-alembic')).toEqual([]);
      expect(Object.values(loaded.value.graph.revisions).filter((r) => r.readByAlembic || r.unknownAttributes)).toEqual([]);
      expect(ourView(loaded.value.graph, '')).toEqual(theirs.view);
    });
  },
);

/** A throwaway project: alembic.ini plus the given files under alembic/versions. */
function tempProject(files: Record<string, string>): string {
  const versions = Object.fromEntries(Object.entries(files).map(([name, text]) => [`alembic/versions/${name}`, text]));
  return makeTempTree('refusal-', {
    'alembic.ini': '[alembic]\nscript_location = alembic\nprepend_sys_path = .\n',
    'alembic/env.py': '',
    ...versions,
  });
}

const rev = (id: string, down: string | null, extra = '') =>
  `"""${id}"""\nrevision = '${id}'\ndown_revision = ${down === null ? 'None' : `'${down}'`}\n${extra}\n`;

/** What Alembic refuses, we refuse: the same class of error, on our side with the file and line. */
describe.each<{ name: string; files: Record<string, string>; theirs: RegExp; kind: string; line: number }>([
  {
    name: 'duplicate branch label',
    files: { 'a.py': rev('a', null, "branch_labels = ('core',)"), 'b.py': rev('b', 'a', "LABEL = 'co' + 're'\nbranch_labels = (LABEL,)") },
    theirs: /Branch name 'core' in revision [ab] already used/,
    kind: 'duplicate-label',
    line: 2,
  },
  {
    name: 'cycle',
    files: { 'a.py': rev('a', 'c'), 'b.py': rev('b', 'a'), 'c.py': rev('c', 'b'), 'd.py': rev('d', null) },
    theirs: /Cycle is detected in revisions/,
    kind: 'cycle',
    line: 2,
  },
  {
    name: 'missing parent',
    files: { 'a.py': rev('a', null), 'b.py': `"""b"""\nrevision = 'b'\nfrom_const = 'nope'\ndown_revision = from_const\n` },
    theirs: /KeyError: 'nope'/,
    kind: 'missing-parent',
    line: 2,
  },
])('refusal parity: $name', ({ files, theirs, kind, line }) => {
  it('Alembic refuses it and so do we, naming the file and line', async () => {
    const dir = tempProject(files);
    const alembic = alembicOutcome(python, path.join(dir, 'alembic.ini'));
    expect(alembic.ok).toBe(false);
    if (!alembic.ok) expect(alembic.stderr).toMatch(theirs);
    const loaded = await loadAlembicProject(dir, { platform: 'posix' });
    if (!loaded.ok) throw new Error(loaded.error.message);
    const found = loaded.value.graph.errors.filter((e) => e.kind === kind);
    expect(found.length).toBeGreaterThan(0);
    expect(found[0].file).toMatch(/^alembic\/versions\/[a-d]\.py$/);
    expect(found[0].line).toBe(line);
    expect(Object.keys(files).map((f) => `alembic/versions/${f}`)).toContain(found[0].file);
  });
});

requireRealCorpusInCi();
describe.skipIf(realCorpusUnavailable() !== null)('the real Skeldir backend: the graph equals Alembic\u2019s own view', () => {
  it('49 revisions, 3 heads, 2 bases, its two labels, field by field as ScriptDirectory, and 005_webhook_secrets reported hidden', async () => {
    const theirs = alembicOutcome(backendPython() as string, path.join(REAL_CORPUS_DIR, 'alembic.ini'));
    if (!theirs.ok) throw new Error(theirs.stderr);
    const loaded = await loadAlembicProject(REAL_CORPUS_DIR, { python: { command: backendPython() as string } });
    if (!loaded.ok) throw new Error(loaded.error.message);
    const graph = loaded.value.graph;
    expect(graph.errors).toEqual([]);
    expect(ourView(graph, '')).toEqual(theirs.view);
    expect([Object.keys(graph.revisions).length, graph.heads.length, graph.bases.length]).toEqual([49, 3, 2]);
    expect(Object.keys(graph.labels).sort()).toEqual(['celery_foundation', 'skeldir_foundation']);
    const hidden = graph.warnings.filter((w) => w.kind === 'hidden-from-alembic');
    expect(hidden).toHaveLength(1);
    expect(hidden[0].message).toContain('alembic/versions/005_webhook_secrets');
    for (const id of hidden[0].revisionIds ?? []) expect(graph.revisions[id]).toBeUndefined();
  });
});
