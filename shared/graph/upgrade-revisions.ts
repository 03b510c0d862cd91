/**
 * What `alembic upgrade <target>` will run against a database whose `alembic_version`
 * holds `currentRows`, in Alembic's order, and what the version table holds afterwards.
 *
 * Follows ScriptDirectory._upgrade_revs → RevisionMap.iterate_revisions(target, rows,
 * implicit_base=True) → _collect_upgrade_revisions → _topological_sort, reversed; and
 * HeadMaintainer.update_to_step for the rows.
 */
import { appError, err, ok, type Result } from '../errors/app-error';
import { alembicTopologicalSort } from './alembic-sort';
import type { GraphError, MigrationGraph } from './model';
import { ancestorsOf, normalizedDownRevisions } from './relations';
import { resolveTarget } from './resolve-target';

/** Errors after which Alembic itself cannot load the project, so no plan is trustworthy. */
const BLOCKING: GraphError['kind'][] = ['missing-parent', 'missing-dependency', 'cycle', 'duplicate-label'];

export function blockingErrors(graph: MigrationGraph): GraphError[] {
  return graph.errors.filter((e) => BLOCKING.includes(e.kind));
}

/** Revision ids `alembic upgrade target` runs, first to last. */
export function upgradeRevisions(graph: MigrationGraph, currentRows: string[], target: string): Result<string[]> {
  const blocking = blockingErrors(graph);
  if (blocking.length > 0) {
    return err(
      appError('graph-invalid', `Alembic cannot load this migration graph: ${blocking[0].message}`, {
        detail: blocking.map((e) => e.message).join('\n'),
        remediation: 'Fix the revision files named above, then plan again.',
      }),
    );
  }
  const rows = [...new Set(currentRows)];
  const unknown = rows.filter((r) => !graph.revisions[r]);
  if (unknown.length > 0) {
    return err(
      appError(
        'graph-invalid',
        `The database's alembic_version holds ${unknown.join(', ')}, which this project does not contain ("Can't locate revision identified by '${unknown[0]}'").`,
        {
          remediation: 'Check out the branch of the backend that migrated this database, or rebuild the database from scratch.',
        },
      ),
    );
  }
  const overlap = overlappingRows(graph, rows);
  if (overlap) {
    return err(
      appError(
        'graph-invalid',
        `The database's alembic_version holds both ${overlap[0]} and its ancestor ${overlap[1]}; Alembic refuses ("Requested revision ${overlap[0]} overlaps with other requested revisions ${overlap[1]}").`,
        {
          remediation: `Delete the row ${overlap[1]} from alembic_version (or rebuild the database).`,
        },
      ),
    );
  }
  const resolved = resolveTarget(graph, target, rows);
  if (!resolved.ok) return resolved;
  const targets = resolved.value.revisions;

  const required = ancestorsOf(graph, targets, { includeDependencies: true });
  const current = ancestorsOf(graph, rows, { includeDependencies: true });
  const needs = [...required].filter((id) => !current.has(id));
  const sorted = alembicTopologicalSort(graph, needs, targets);
  if (!sorted.ok) return sorted;
  return ok(sorted.value.reverse());
}

/**
 * The alembic_version rows after running `runOrder` from `currentRows`, following
 * HeadMaintainer.update_to_step: a revision replaces the rows of its parents (down
 * revisions and dependencies), a merge replaces all of them, a new base adds a row.
 * Returned in graph order.
 */
export function simulateVersionRows(graph: MigrationGraph, currentRows: string[], runOrder: string[]): string[] {
  const heads = new Set(currentRows);
  for (const id of runOrder) {
    const downs = normalizedDownRevisions(graph, id);
    const present = downs.filter((d) => heads.has(d));
    if (present.length > 1) {
      const others = [...heads].filter((h) => !downs.includes(h));
      const shadowed = others.length > 0 ? ancestorsOf(graph, others, { includeDependencies: true }) : new Set<string>();
      for (const d of downs) if (!shadowed.has(d)) heads.delete(d);
    } else if (present.length === 1) {
      heads.delete(present[0]);
    }
    heads.add(id);
  }
  const position = new Map(graph.order.map((id, i) => [id, i] as const));
  return [...heads].sort((a, b) => (position.get(a) ?? 0) - (position.get(b) ?? 0));
}

/** A pair [row, ancestor row] when one row of alembic_version is an ancestor of another. */
/** A row of `rows` and an ancestor of it that is also a row ([descendant, ancestor]), which Alembic refuses to plan from; null when none. */
export function overlappingRows(graph: MigrationGraph, rows: string[]): [string, string] | null {
  for (const r of rows) {
    const anc = ancestorsOf(graph, [r], { includeDependencies: true });
    for (const other of rows) if (other !== r && anc.has(other)) return [r, other];
  }
  return null;
}
