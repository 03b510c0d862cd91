import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildGraph } from '../../../shared/graph/build-graph';
import { foldGraph, runKey, type FoldedGraph } from '../../../shared/graph/fold-graph';
import { layoutLanes, NODE_HEIGHT } from '../../../shared/graph/lane-layout';
import type { MigrationGraph } from '../../../shared/graph/model';
import { CELERY, CORE, guideRevisions, MERGE, rev } from './graph-fixtures';

/** The graph's own edges, as "kind:source->target" over revision ids (ghost parents included). */
function graphEdges(graph: MigrationGraph): string[] {
  const edges = new Set<string>();
  for (const id of graph.order) {
    if (!graph.revisions[id]) continue;
    for (const parent of graph.revisions[id].downRevisions) edges.add(`${graph.revisions[parent] ? 'down' : 'missing'}:${parent}->${id}`);
    for (const dependency of graph.dependencies[id] ?? []) if (graph.revisions[dependency] && dependency !== id) edges.add(`depends:${dependency}->${id}`);
  }
  return [...edges].sort();
}

function foldedEdges(folded: FoldedGraph): string[] {
  return folded.edges.map((e) => `${e.kind}:${e.source}->${e.target}`).sort();
}

/** Every revision in exactly one node, and nodeOf agreeing with the nodes. */
function expectPartition(graph: MigrationGraph, folded: FoldedGraph): void {
  const seen = new Map<string, number>();
  for (const node of folded.nodes) {
    if (node.kind === 'ghost') continue;
    for (const id of node.revisions) {
      seen.set(id, (seen.get(id) ?? 0) + 1);
      expect(folded.nodeOf[id]).toBe(node.key);
    }
  }
  const ids = graph.order.filter((id) => graph.revisions[id]);
  expect([...seen.keys()].sort()).toEqual([...ids].sort());
  for (const [id, count] of seen) expect(count, id).toBe(1);
}

describe('foldGraph on the guide graph', () => {
  const graph = buildGraph(guideRevisions());

  it('folds each linear run into one segment, with pinned revisions on their own', () => {
    const folded = foldGraph(graph, { pinned: [MERGE, '202511131121'] });
    expectPartition(graph, folded);
    const core = folded.nodes.find((n) => n.kind === 'segment' && n.revisions.includes('baseline'));
    // The core run up to the pinned 202511131121: "baseline … 202511131120 · 4 revisions".
    expect(core?.revisions).toEqual(CORE.slice(0, 4));
    expect(folded.nodeOf['202511131121']).toBe('202511131121');
    expect(folded.nodes.find((n) => n.key === '202511131121')?.pinned).toBe(true);
    expect(folded.nodeOf[MERGE]).toBe(MERGE);
    const celery = folded.nodes.find((n) => n.kind === 'segment' && n.revisions.includes(CELERY[0]));
    expect(celery?.revisions).toEqual(CELERY);
    // One lane per branch, named by the version folder.
    expect(folded.lanes.map((l) => l.name)).toEqual(expect.arrayContaining(['core_schema', 'celery_foundation']));
    // Joins: both branches lead into the merge.
    expect(foldedEdges(folded)).toEqual(expect.arrayContaining([`down:202511131121->${MERGE}`, `down:${runKey(CELERY[0])}->${MERGE}`]));
  });

  it('expanding a run draws its revisions one by one, and they remember their run', () => {
    const folded = foldGraph(graph, { pinned: [MERGE], expanded: [runKey(CELERY[0])] });
    expectPartition(graph, folded);
    for (const id of CELERY) expect(folded.nodes.find((n) => n.key === id)?.run).toBe(runKey(CELERY[0]));
  });

  it('expanding everything gives back the full graph', () => {
    const folded = foldGraph(graph, { expandAll: true });
    expect(folded.nodes.map((n) => n.key).sort()).toEqual(graph.order.filter((id) => graph.revisions[id]).sort());
    expect(foldedEdges(folded)).toEqual(graphEdges(graph));
  });

  it('lays out lanes as columns with all heads on the last row', () => {
    const folded = foldGraph(graph, { pinned: graph.heads });
    const layout = layoutLanes(folded);
    const rows = new Map(layout.nodes.map((n) => [n.key, n.row] as const));
    const last = Math.max(...rows.values());
    for (const head of graph.heads) expect(rows.get(folded.nodeOf[head])).toBe(last);
    for (const edge of folded.edges.filter((e) => e.kind === 'down')) expect(rows.get(edge.source) as number).toBeLessThan(rows.get(edge.target) as number);
    expect(layout.height).toBeGreaterThanOrEqual((last + 1) * NODE_HEIGHT);
  });
});

describe('foldGraph on random graphs', () => {
  const ids = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'];
  // Parents are always earlier ids, so the graphs are acyclic, as a working project is; some name a missing parent.
  const graphs = fc.array(fc.tuple(fc.array(fc.nat(9), { maxLength: 2 }), fc.boolean(), fc.boolean()), { minLength: 1, maxLength: 10 }).map((specs) =>
    buildGraph(
      specs.map(([parents, label, missing], index) =>
        rev(ids[index], [...new Set(parents.filter((p) => p < index).map((p) => ids[p])), ...(missing && index === 3 ? ['zz'] : [])], {
          branchLabels: label && index % 4 === 0 ? [`l${index}`] : [],
          dependsOn: index > 2 && label ? [ids[index - 2]] : [],
        }),
      ),
    ),
  );

  it('every revision is in exactly one node; expanding all gives back the full graph; runs stay acyclic', () => {
    fc.assert(
      fc.property(graphs, fc.array(fc.constantFrom(...ids), { maxLength: 3 }), (graph, pinned) => {
        const folded = foldGraph(graph, { pinned });
        expectPartition(graph, folded);
        for (const id of pinned) if (graph.revisions[id]) expect(folded.nodeOf[id]).toBe(id);
        // Expanding each run one by one ends where expandAll does.
        const runs = folded.nodes.filter((n) => n.kind === 'segment').map((n) => n.key);
        const expanded = foldGraph(graph, { pinned, expanded: runs });
        const all = foldGraph(graph, { expandAll: true });
        expect(foldedEdges(all)).toEqual(graphEdges(graph));
        expect(expanded.nodes.map((n) => n.key).sort()).toEqual(all.nodes.map((n) => n.key).sort());
        // The layout gives every node a place, parents above children.
        const layout = layoutLanes(folded);
        const rows = new Map(layout.nodes.map((n) => [n.key, n.row] as const));
        expect(rows.size).toBe(folded.nodes.length);
        for (const edge of folded.edges.filter((e) => e.kind !== 'depends'))
          expect(rows.get(edge.source) as number).toBeLessThan(rows.get(edge.target) as number);
      }),
      { numRuns: 300 },
    );
  });
});
