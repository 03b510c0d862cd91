/**
 * Branch-label inheritance, reproducing Alembic's `RevisionMap._add_branches`
 * (alembic/script/revision.py) so that `label@head` and `label@rev` resolve here as
 * they do in Alembic:
 *
 *   1. the label goes to the declaring revision and every descendant reached through
 *      `down_revision` links (not `depends_on`);
 *   2. Alembic then walks down from the last descendant it visited, labelling each
 *      revision until it meets a "real" branch point (more than one child or dependent)
 *      or a merge point. When the descendants branch or merge, that walk stops above the
 *      declaring revision and adds nothing; when they form a plain chain it continues
 *      below the declaring revision, so the unbranched stretch beneath it shares the label.
 *
 * Because of (2) the result does not depend on the order in which descendants are
 * visited, which in Alembic is a frozenset's order.
 */
import type { MigrationGraph, RevisionInfo } from './model';

type LabelInputs = Pick<MigrationGraph, 'revisions' | 'children' | 'dependents' | 'labels' | 'loadOrder'>;

export function inheritLabels(graph: LabelInputs): Record<string, string[]> {
  const sets = new Map<string, Set<string>>();
  for (const id of graph.loadOrder) sets.set(id, new Set());

  for (const [label, declarer] of Object.entries(graph.labels)) {
    if (!graph.revisions[declarer]) continue;
    const seen = new Set<string>();
    const todo = [declarer];
    let last = declarer;
    while (todo.length > 0) {
      const id = todo.pop() as string;
      if (seen.has(id)) continue;
      seen.add(id);
      for (const child of graph.children[id] ?? []) if (graph.revisions[child]) todo.push(child);
      last = id;
    }
    for (const id of seen) sets.get(id)?.add(label);

    const walked = new Set<string>();
    let current: string | undefined = last;
    while (current !== undefined && !walked.has(current)) {
      walked.add(current);
      const rev: RevisionInfo | undefined = graph.revisions[current];
      if (!rev) break;
      const followers = new Set([...(graph.children[current] ?? []), ...(graph.dependents[current] ?? [])]);
      if (followers.size > 1 || rev.downRevisions.length > 1) break;
      sets.get(current)?.add(label);
      current = rev.downRevisions.length === 1 ? rev.downRevisions[0] : undefined;
    }
  }

  const out: Record<string, string[]> = Object.create(null) as Record<string, string[]>;
  for (const [id, set] of sets) out[id] = [...set].sort();
  return out;
}
