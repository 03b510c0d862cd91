/**
 * Positions for a folded graph: lanes are columns, parents above children, and every
 * node is placed by its distance to the bottom, so all heads share the last row and a
 * view fitted to the heads is one row high. Lanes whose rows do not overlap share a
 * column, which keeps a graph with dozens of short branches narrow; lanes holding a
 * pinned revision (head, current row, target) take the first columns, side by side.
 *
 * Plain arithmetic over the folded nodes (linear in their number): cheap enough to run
 * on every expand, and free of DOM so the layout worker can run it.
 */
import type { FoldedGraph } from './fold-graph';

export const NODE_WIDTH = 176;
export const NODE_HEIGHT = 60;
export const COLUMN_GAP = 26;
export const ROW_GAP = 34;
/** Space above a lane's first node for its name. */
export const LANE_HEADER = 18;
const MARGIN = 24;

export interface PlacedNode {
  key: string;
  /** Top-left corner. */
  x: number;
  y: number;
  row: number;
  column: number;
}

export interface PlacedLane {
  index: number;
  name: string;
  column: number;
  /** Where the lane's name is drawn: above its first node. */
  x: number;
  y: number;
}

export interface LaneLayout {
  nodes: PlacedNode[];
  lanes: PlacedLane[];
  width: number;
  height: number;
}

export function layoutLanes(folded: FoldedGraph): LaneLayout {
  const { nodes, edges, lanes } = folded;
  const index = new Map(nodes.map((n, i) => [n.key, i] as const));
  const children: number[][] = nodes.map(() => []);
  for (const edge of edges) {
    if (edge.kind === 'depends') continue;
    const s = index.get(edge.source);
    const t = index.get(edge.target);
    if (s !== undefined && t !== undefined) children[s].push(t);
  }
  // Distance to the farthest sink along parent→child edges, computed children first.
  const order = topologicalOrder(children);
  const depth = new Array<number>(nodes.length).fill(0);
  for (let i = order.length - 1; i >= 0; i--) {
    const n = order[i];
    for (const c of children[n]) depth[n] = Math.max(depth[n], depth[c] + 1);
  }
  const maxDepth = depth.reduce((a, b) => Math.max(a, b), 0);
  const row = depth.map((d) => maxDepth - d);

  // Each lane's row span; a lane takes the first column free over its span (plus a row of air).
  const span = lanes.map(() => ({ min: Infinity, max: -Infinity }));
  nodes.forEach((n, i) => {
    const s = span[n.lane];
    if (!s) return;
    s.min = Math.min(s.min, row[i]);
    s.max = Math.max(s.max, row[i]);
  });
  const pinnedLane = new Set(nodes.filter((n) => n.pinned).map((n) => n.lane));
  const laneOrder = [...lanes].sort((a, b) => Number(pinnedLane.has(b.index)) - Number(pinnedLane.has(a.index)) || a.index - b.index);
  const columns: { min: number; max: number }[][] = [];
  const columnOf = new Array<number>(lanes.length).fill(0);
  for (const lane of laneOrder) {
    const s = span[lane.index];
    if (!Number.isFinite(s.min)) continue;
    let c = columns.findIndex((taken) => taken.every((t) => s.max < t.min - 1 || s.min > t.max + 1));
    if (c < 0) {
      c = columns.length;
      columns.push([]);
    }
    columns[c].push(s);
    columnOf[lane.index] = c;
  }

  const rowHeight = NODE_HEIGHT + ROW_GAP;
  const columnWidth = NODE_WIDTH + COLUMN_GAP;
  const placed: PlacedNode[] = nodes.map((n, i) => {
    const column = columnOf[n.lane] ?? 0;
    return { key: n.key, x: MARGIN + column * columnWidth, y: MARGIN + LANE_HEADER + row[i] * rowHeight, row: row[i], column };
  });
  const placedLanes: PlacedLane[] = lanes
    .filter((lane) => Number.isFinite(span[lane.index].min))
    .map((lane) => ({
      index: lane.index,
      name: lane.name,
      column: columnOf[lane.index],
      x: MARGIN + columnOf[lane.index] * columnWidth,
      y: MARGIN + span[lane.index].min * rowHeight,
    }));
  return {
    nodes: placed,
    lanes: placedLanes,
    width: MARGIN * 2 + Math.max(1, columns.length) * columnWidth - COLUMN_GAP,
    height: MARGIN * 2 + LANE_HEADER + (maxDepth + 1) * rowHeight - ROW_GAP,
  };
}

/** Kahn's order; nodes left in a cycle (a broken graph) are appended so every node gets a row. */
function topologicalOrder(children: number[][]): number[] {
  const indegree = new Array<number>(children.length).fill(0);
  for (const list of children) for (const c of list) indegree[c]++;
  const queue: number[] = [];
  indegree.forEach((d, i) => {
    if (d === 0) queue.push(i);
  });
  const order: number[] = [];
  const done = new Array<boolean>(children.length).fill(false);
  for (let head = 0; head < queue.length; head++) {
    const n = queue[head];
    order.push(n);
    done[n] = true;
    for (const c of children[n]) if (--indegree[c] === 0) queue.push(c);
  }
  for (let i = 0; i < children.length; i++) if (!done[i]) order.push(i);
  return order;
}
