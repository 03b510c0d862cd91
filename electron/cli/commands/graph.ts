import type { MigrationGraph } from '../../../shared/graph/model';
import { existsSync } from 'node:fs';
import { loadAlembicProject } from '../../engine/alembic/load-project';
import { openProject, type OpenProject } from '../../engine/project/open-project';
import { DiskParseMemo } from '../disk-parse-memo';
import { CliFailure } from '../cli-outcome';
import type { CliOptions } from '../parse-args';
import type { CommandOutput } from './command-io';

/**
 * `graph`: the repository's migration graph, from the files alone. Kept free of the
 * connection and Python machinery so that its bundle (and its start-up) stays small.
 */
export async function requireProject(options: CliOptions): Promise<OpenProject> {
  const project = await openProject(options.repo ?? '');
  if (!project.ok) throw new CliFailure(project.error, 2);
  return project.value;
}

export function graphJson(graph: MigrationGraph): unknown {
  return {
    revisions: graph.order.map((id) => {
      const r = graph.revisions[id];
      return {
        id: r.id,
        downRevisions: r.downRevisions,
        dependsOn: r.dependsOn,
        branchLabels: r.branchLabels,
        message: r.message,
        createDate: r.createDate,
        file: r.file,
      };
    }),
    heads: graph.heads,
    bases: graph.bases,
    branchPoints: graph.branchPoints,
    mergePoints: graph.mergePoints,
    labels: graph.labels,
    errors: graph.errors,
    warnings: graph.warnings,
  };
}

function graphText(graph: MigrationGraph): string {
  const lines: string[] = [];
  for (const id of graph.order) {
    const r = graph.revisions[id];
    const parents = r.downRevisions.length ? r.downRevisions.join(', ') : '(base)';
    const marks = [
      graph.heads.includes(id) ? 'head' : '',
      graph.mergePoints.includes(id) ? 'merge' : '',
      graph.branchPoints.includes(id) ? 'branch point' : '',
      ...r.branchLabels.map((l) => `label ${l}`),
      ...r.dependsOn.map((d) => `depends on ${d}`),
    ].filter(Boolean);
    lines.push(`${parents} -> ${id}${marks.length ? ` (${marks.join(', ')})` : ''}, ${r.message}`);
  }
  lines.push('', `heads: ${graph.heads.join(', ')}`, `bases: ${graph.bases.join(', ')}`);
  for (const e of graph.errors) lines.push(`error: ${e.file ? `${e.file}${e.line ? `:${e.line}` : ''}: ` : ''}${e.message}`);
  for (const w of graph.warnings) lines.push(`warning: ${w.message}`);
  return lines.join('\n');
}

/**
 * The graph alone: no second read of every file for the RLS tables (plan and the gates
 * need those, graph does not), and the parse memo kept on disk unless --no-cache.
 */
export async function runGraphCommand(options: CliOptions): Promise<CommandOutput> {
  const repo = options.repo ?? '';
  // No or a missing folder: the same error as every other command that reads the project.
  if (!repo || !existsSync(repo)) await requireProject(options);
  const loaded = await loadAlembicProject(repo, { memo: options.noCache ? undefined : DiskParseMemo.forProject(repo) });
  if (!loaded.ok) throw new CliFailure(loaded.error, 2);
  const graph = loaded.value.graph;
  return { json: graphJson(graph), text: graphText(graph), exitCode: graph.errors.length ? 1 : 0 };
}
