import { describe, expect, it } from 'vitest';
import { buildGraph } from '../../../../../shared/graph/build-graph';
import { layoutGraph, NODE_HEIGHT } from '../../../../../renderer/views/graph/layout-graph';
import { guideRevisions, rev } from '../../../graph/graph-fixtures';

describe('layoutGraph', () => {
  it('lays the guide\u2019s graph out top-down: parents above children, the merge at the bottom', () => {
    const graph = buildGraph(guideRevisions());
    const layout = layoutGraph(graph);
    expect(layout.nodes).toHaveLength(12);
    const y = new Map(layout.nodes.map((n) => [n.id, n.y]));
    for (const edge of layout.edges) expect(y.get(edge.source)! + NODE_HEIGHT).toBeLessThanOrEqual(y.get(edge.target)!);
    expect(Math.max(...y.values())).toBe(y.get('202512151400'));
    expect(layout.edges.filter((e) => e.target === '202512151400')).toHaveLength(2);
  });

  it('draws a missing parent as a ghost node and caches per graph', () => {
    const graph = buildGraph([rev('a', null), rev('b', 'gone')]);
    const layout = layoutGraph(graph);
    expect(layout.ghosts).toEqual(['gone']);
    expect(layout.nodes.find((n) => n.id === 'gone')?.kind).toBe('ghost');
    expect(layout.edges.find((e) => e.source === 'gone')?.kind).toBe('missing');
    expect(layoutGraph(graph)).toBe(layout);
  });

  it('marks depends_on edges', () => {
    const graph = buildGraph([rev('a', null), rev('b', null), rev('c', 'b', { dependsOn: ['a'] })]);
    expect(layoutGraph(graph).edges.find((e) => e.source === 'a' && e.target === 'c')?.kind).toBe('depends');
  });
});
