import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import type { MigrationGraph } from '../../../../shared/graph/model';

/** Alembic's own reading of a project (test/support/alembic_dump.py) and ours, in the same shape. */
export const DUMP = path.resolve(__dirname, '..', '..', '..', 'support', 'alembic_dump.py');

export interface RevisionView {
  id: string;
  downRevisions: string[];
  dependsOn: string[];
  branchLabels: string[];
  labels: string[];
  message: string;
  path: string;
}

export interface ProjectView {
  revisions: RevisionView[];
  heads: string[];
  bases: string[];
}

export type AlembicOutcome = { ok: true; view: ProjectView } | { ok: false; stderr: string };

/** Runs Alembic's ScriptDirectory on the project of `iniPath` (the ini need not exist when pyproject.toml configures it). */
export function alembicView(python: string, iniPath: string): AlembicOutcome {
  const result = spawnSync(python, [DUMP, iniPath], { encoding: 'utf8', env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
  if (result.status !== 0) return { ok: false, stderr: result.stderr };
  return { ok: true, view: JSON.parse(result.stdout) as ProjectView };
}

/** Our graph in alembic_dump's shape: revisions sorted by id, labels sorted. */
export function ourView(graph: MigrationGraph, repoToIni: string): ProjectView {
  const revisions = Object.values(graph.revisions)
    .map((r) => ({
      id: r.id,
      downRevisions: r.downRevisions,
      dependsOn: r.dependsOn,
      branchLabels: [...r.branchLabels].sort(),
      labels: [...(graph.inheritedLabels[r.id] ?? [])].sort(),
      message: r.message,
      path: path.posix.relative(repoToIni, r.file),
    }))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { revisions, heads: [...graph.heads].sort(), bases: [...graph.bases].sort() };
}
