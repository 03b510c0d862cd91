/**
 * A faithful port of Alembic's `RevisionMap._topological_sort`
 * (alembic/script/revision.py, unchanged from 1.8 to 1.16), which decides the order
 * `alembic upgrade` runs revisions in. Reproducing it, rather than any valid topological
 * order, is the point: the "relation does not exist" trap comes from the order Alembic
 * picks among branches.
 *
 * How it works: it starts from the upgrade targets (sorted by file order) and walks
 * downwards, emitting each revision before its parents. It keeps following the first
 * parent of the current line (a merge's first `down_revision` first), and only switches
 * to another open line when the revision it is about to emit is an ancestor of that
 * line's head. The caller reverses the result, so the line walked first runs LAST: for a
 * merge `down_revision = ('core_tip', 'celery_tip')` the celery branch runs before core.
 *
 * One deliberate choice: Alembic keeps normalized dependencies in a Python set, whose
 * order varies between runs when a revision has several; we use their declared order.
 */
import { appError, err, ok, type Result } from '../errors/app-error';
import type { MigrationGraph } from './model';
import { ancestorsOf, normalizedDownRevisions } from './relations';

/**
 * Orders `todo` (the revisions an upgrade needs) from the targets downward, exactly as
 * Alembic's `_topological_sort` does. Reverse the result to get the run order.
 */
export function alembicTopologicalSort(graph: MigrationGraph, todoIds: Iterable<string>, targets: string[]): Result<string[]> {
  const todo = new Set(todoIds);
  const position = new Map(graph.loadOrder.map((id, i) => [id, i] as const));
  const ancestors = (id: string) => ancestorsOf(graph, [id], { includeDependencies: true });

  const heads = [...new Set(targets.filter((t) => todo.has(t)))].sort(
    (a, b) => (position.get(a) ?? Number.MAX_SAFE_INTEGER) - (position.get(b) ?? Number.MAX_SAFE_INTEGER),
  );
  const ancestorsByIdx = heads.map(ancestors);
  const output: string[] = [];
  let idx = 0;
  // Each pass either emits, moves a line down, drops a line or switches line; on a
  // valid graph that ends well within this budget, so hitting it means a cycle.
  let budget = (todo.size + heads.length + 2) * (todo.size + heads.length + 2) * 4 + 16;

  while (heads.length > 0) {
    budget -= 1;
    if (budget < 0) {
      return err(appError('graph-invalid', 'The upgrade order could not be computed: the revisions involved form a cycle.'));
    }
    const candidate = heads[idx];
    const blocker = ancestorsByIdx.findIndex((anc, i) => i !== idx && anc.has(candidate));
    if (blocker >= 0) {
      // Another open line still needs this revision: walk that line first.
      idx = blocker;
      continue;
    }
    if (todo.has(candidate)) {
      output.push(candidate);
      todo.delete(candidate);
    }
    const rev = graph.revisions[candidate];
    const toAdd = normalizedDownRevisions(graph, candidate).filter((r) => todo.has(r) && !heads.includes(r));
    if (toAdd.length === 0) {
      heads.splice(idx, 1);
      ancestorsByIdx.splice(idx, 1);
      idx = Math.max(idx - 1, 0);
    } else if ((graph.normalizedDependencies[candidate] ?? []).length === 0 && rev !== undefined && rev.downRevisions.length === 1) {
      heads[idx] = toAdd[0];
      ancestorsByIdx[idx].delete(candidate);
    } else {
      heads[idx] = toAdd[0];
      heads.push(...toAdd.slice(1));
      ancestorsByIdx[idx] = ancestors(toAdd[0]);
      ancestorsByIdx.push(...toAdd.slice(1).map(ancestors));
    }
  }
  if (todo.size > 0) {
    // Alembic asserts here; it cannot happen on a valid graph because every needed
    // revision lies below a target.
    return err(appError('graph-invalid', `The upgrade order could not be computed: ${[...todo].join(', ')} are not below the target.`));
  }
  return ok(output);
}
