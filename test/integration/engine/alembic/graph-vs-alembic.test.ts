import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadAlembicProject } from '../../../../electron/engine/alembic/load-project';
import { runAlembicDriver } from '../../../../electron/engine/alembic/run-alembic-driver';
import { upgradeRevisions } from '../../../../shared/graph/upgrade-revisions';
import type { MigrationGraph } from '../../../../shared/graph/model';
import { ensureTestPython } from '../../../support/python-env';

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
      .map((r) => ({ id: r.id, downRevisions: r.downRevisions, dependsOn: r.dependsOn, branchLabels: [...r.branchLabels].sort(), labels: [...(graph.inheritedLabels[r.id] ?? [])].sort(), message: r.message, path: r.file }))
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
