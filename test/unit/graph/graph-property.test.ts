import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { buildGraph } from '../../../shared/graph/build-graph';
import { branchSegments } from '../../../shared/graph/branches';
import { analyzeHazards, findCreator } from '../../../shared/graph/hazards';
import { overlayState } from '../../../shared/graph/overlay';
import { planSafeUpgrade } from '../../../shared/graph/plan';
import { resolveTarget } from '../../../shared/graph/resolve-target';
import { rev } from './graph-fixtures';

// Small alphabets so that random graphs often contain duplicates, cycles, missing
// parents, shared labels and prefixes: the cases a hand-edited project produces.
const id = fc.constantFrom('a1', 'b2', 'c3', 'd4', 'abcd', 'abce', 'head', 'constructor', 'x-y');
const table = fc.constantFrom('tenants', 'jobs', 'events');
const revision = fc
  .record({
    id,
    down: fc.array(id, { maxLength: 3 }),
    deps: fc.array(fc.oneof(id, fc.constantFrom('core', 'celery')), { maxLength: 2 }),
    labels: fc.array(fc.constantFrom('core', 'celery', 'a1'), { maxLength: 1 }),
    creates: fc.array(table, { maxLength: 2 }),
    refs: fc.array(table, { maxLength: 2 }),
    date: fc.option(fc.constantFrom('2024-01-01', '2024-02-01'), { nil: null }),
  })
  .map((r) =>
    rev(r.id, r.down, {
      dependsOn: r.deps,
      branchLabels: r.labels,
      creates: r.creates,
      references: r.refs.map((t) => ({ table: t, line: 1, kind: 'sql' as const })),
      createDate: r.date,
    }),
  );
const target = fc.oneof(id, fc.constantFrom('head', 'heads', 'base', '+1', '-1', 'core@head', 'celery@+1', 'a1+1', 'abc', 'b2-1', '@', '', 'a1@b2'));

describe('graph algorithms never throw', () => {
  it('on random, often broken, graphs', () => {
    fc.assert(
      fc.property(fc.array(revision, { maxLength: 8 }), fc.array(id, { maxLength: 2 }), target, (revisions, rows, t) => {
        const graph = buildGraph(revisions);
        expect(graph.order).toHaveLength(graph.loadOrder.length);
        for (const r of [resolveTarget(graph, t, rows), planSafeUpgrade(graph, rows, t), analyzeHazards(graph, rows, t)]) {
          expect(typeof r.ok).toBe('boolean');
        }
        expect(typeof overlayState(graph, rows).summary).toBe('string');
        findCreator(graph, 'relation "tenants" does not exist');
        branchSegments(graph);
      }),
      { numRuns: 400 },
    );
  });
});
