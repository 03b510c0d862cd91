import { Graph, layout } from '@dagrejs/dagre';
import type { MigrationGraph } from '../../../shared/graph/model';

/**
 * Top-down dagre layout of the revision graph: bases at the top, heads at the
 * bottom, down_revision edges solid, depends_on edges dashed. A parent no file
 * defines becomes a ghost node so the break is visible where it is. Cached per graph
 * object: the layout is the expensive part, colouring and selection are not.
 */
export const NODE_WIDTH = 232;
export const NODE_HEIGHT = 76;

export interface LayoutNode {
  id: string;
  kind: 'revision' | 'ghost';
  /** Top-left corner, as React Flow positions nodes. */
  x: number;
  y: number;
}

export interface LayoutEdge {
  id: string;
  source: string;
  target: string;
  kind: 'down' | 'depends' | 'missing';
}

export interface GraphLayout {
  nodes: LayoutNode[];
  edges: LayoutEdge[];
  width: number;
  height: number;
  /** Parents named by a down_revision that no file defines. */
  ghosts: string[];
}

const cache = new WeakMap<MigrationGraph, GraphLayout>();

export function layoutGraph(graph: MigrationGraph): GraphLayout {
  const cached = cache.get(graph);
  if (cached) return cached;
  const computed = compute(graph);
  cache.set(graph, computed);
  return computed;
}

function compute(graph: MigrationGraph): GraphLayout {
  const ids = graph.order.filter((id) => graph.revisions[id]);
  const edges: LayoutEdge[] = [];
  const ghosts = new Set<string>();
  for (const id of ids) {
    for (const parent of graph.revisions[id].downRevisions) {
      if (graph.revisions[parent]) edges.push({ id: `d:${parent}->${id}`, source: parent, target: id, kind: 'down' });
      else {
        ghosts.add(parent);
        edges.push({ id: `m:${parent}->${id}`, source: parent, target: id, kind: 'missing' });
      }
    }
    for (const dependency of graph.dependencies[id] ?? []) {
      if (graph.revisions[dependency]) edges.push({ id: `p:${dependency}->${id}`, source: dependency, target: id, kind: 'depends' });
    }
  }

  const g = new Graph<Record<string, unknown>, { width: number; height: number; x?: number; y?: number }, { weight?: number; minlen?: number }>();
  g.setGraph({ rankdir: 'TB', nodesep: 28, ranksep: 56, marginx: 24, marginy: 24 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const id of [...ids, ...ghosts]) g.setNode(id, { width: NODE_WIDTH, height: NODE_HEIGHT });
  // depends_on edges bend the layout less than the real parent chain.
  for (const edge of edges) g.setEdge(edge.source, edge.target, { weight: edge.kind === 'depends' ? 0 : 1, minlen: 1 });
  layout(g);

  const nodes: LayoutNode[] = [];
  let width = 0;
  let height = 0;
  for (const id of [...ids, ...ghosts]) {
    const placed = g.node(id);
    const x = (placed.x ?? 0) - NODE_WIDTH / 2;
    const y = (placed.y ?? 0) - NODE_HEIGHT / 2;
    nodes.push({ id, kind: ghosts.has(id) ? 'ghost' : 'revision', x, y });
    width = Math.max(width, x + NODE_WIDTH);
    height = Math.max(height, y + NODE_HEIGHT);
  }
  return { nodes, edges, width: width + 24, height: height + 24, ghosts: [...ghosts] };
}
