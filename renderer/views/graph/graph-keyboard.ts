/**
 * Arrow-key moves on the laid-out graph: up to a parent, down to a child (the one
 * nearest in x), left and right to the nearest node in the same row, else the nearest
 * one on that side. Pure: positions and edges in, a node key out.
 */
export interface KeyNode {
  key: string;
  x: number;
  y: number;
  row: number;
}

export interface KeyEdge {
  source: string;
  target: string;
}

export type Direction = 'up' | 'down' | 'left' | 'right';

export function neighbour(nodes: readonly KeyNode[], edges: readonly KeyEdge[], from: string, direction: Direction): string | null {
  const at = nodes.find((n) => n.key === from);
  if (!at) return nodes[0]?.key ?? null;
  const byKey = new Map(nodes.map((n) => [n.key, n] as const));
  const nearestInX = (candidates: KeyNode[]) => candidates.sort((a, b) => Math.abs(a.x - at.x) - Math.abs(b.x - at.x) || a.y - b.y)[0]?.key ?? null;
  if (direction === 'up' || direction === 'down') {
    const linked = edges
      .filter((e) => (direction === 'up' ? e.target === from : e.source === from))
      .map((e) => byKey.get(direction === 'up' ? e.source : e.target))
      .filter((n): n is KeyNode => n !== undefined);
    if (linked.length > 0) return nearestInX(linked);
    const side = nodes.filter((n) => (direction === 'up' ? n.row < at.row : n.row > at.row));
    const rows = side.map((n) => n.row);
    const nextRow = direction === 'up' ? Math.max(...rows) : Math.min(...rows);
    return nearestInX(side.filter((n) => n.row === nextRow));
  }
  const sign = direction === 'left' ? -1 : 1;
  const sameRow = nodes.filter((n) => n.row === at.row && (n.x - at.x) * sign > 0).sort((a, b) => (a.x - b.x) * sign);
  if (sameRow.length > 0) return sameRow[0].key;
  const side = nodes.filter((n) => (n.x - at.x) * sign > 0);
  side.sort((a, b) => Math.hypot(a.x - at.x, a.y - at.y) - Math.hypot(b.x - at.x, b.y - at.y));
  return side[0]?.key ?? null;
}
