/**
 * Walks over a MigrationGraph the way Alembic walks its revision map
 * (`_get_ancestor_nodes` / `_get_descendant_nodes`). Names that are not in the
 * graph are skipped rather than failing: callers report missing revisions.
 */
import type { MigrationGraph } from './model';

export interface WalkOptions {
  /** Follow `depends_on` as well as `down_revision` (Alembic's `include_dependencies`). */
  includeDependencies: boolean;
}

/** The parents Alembic follows from `id`: down revisions, then normalized dependencies (no duplicates). */
export function normalizedDownRevisions(graph: MigrationGraph, id: string): string[] {
  const rev = graph.revisions[id];
  if (!rev) return [];
  const out: string[] = [];
  for (const p of [...rev.downRevisions, ...(graph.normalizedDependencies[id] ?? [])]) {
    if (!out.includes(p)) out.push(p);
  }
  return out;
}

/** Every ancestor of `ids`, the ids themselves included (they must exist in the graph to be included). */
export function ancestorsOf(graph: MigrationGraph, ids: Iterable<string>, opts: WalkOptions): Set<string> {
  const next = opts.includeDependencies ? (id: string) => normalizedDownRevisions(graph, id) : (id: string) => graph.revisions[id]?.downRevisions ?? [];
  return walk(graph, ids, next);
}

/** Every descendant of `ids`, the ids themselves included. */
export function descendantsOf(graph: MigrationGraph, ids: Iterable<string>, opts: WalkOptions): Set<string> {
  const next = opts.includeDependencies
    ? (id: string) => [...(graph.children[id] ?? []), ...(graph.dependents[id] ?? [])]
    : (id: string) => graph.children[id] ?? [];
  return walk(graph, ids, next);
}

/** Alembic's `_shares_lineage` without dependencies: `b` is an ancestor or a descendant of `a` (or `a` itself). */
export function sharesLineage(graph: MigrationGraph, a: string, b: string): boolean {
  if (a === b) return true;
  const opts = { includeDependencies: false };
  return ancestorsOf(graph, [a], opts).has(b) || descendantsOf(graph, [a], opts).has(b);
}

function walk(graph: MigrationGraph, ids: Iterable<string>, next: (id: string) => string[]): Set<string> {
  const seen = new Set<string>();
  const todo: string[] = [];
  for (const id of ids) if (graph.revisions[id]) todo.push(id);
  while (todo.length > 0) {
    const id = todo.pop() as string;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const n of next(id)) if (graph.revisions[n] && !seen.has(n)) todo.push(n);
  }
  return seen;
}
