import type { GraphView } from '../../../shared/graph/graph-view';
import { NODE_HEIGHT, NODE_WIDTH, type GraphLayout } from './layout-graph';
import type { NodeState } from './node-states';

/**
 * The graph as a standalone SVG, drawn from the same layout the canvas shows (no
 * screenshot of the DOM, no dependency): what support staff paste into a ticket.
 */
const FILL: Record<NodeState, string> = {
  applied: '#e3f4e8',
  current: '#c9ecd4',
  pending: '#f3f4f6',
  failed: '#fde2e1',
  ghost: '#ffffff',
  unknown: '#f3f4f6',
};
const STROKE: Record<NodeState, string> = {
  applied: '#2f8f4e',
  current: '#13723a',
  pending: '#9aa1ac',
  failed: '#c2362f',
  ghost: '#c2362f',
  unknown: '#9aa1ac',
};

export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] ?? c);
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}\u2026` : text;
}

export function graphSvg(view: GraphView, layout: GraphLayout, stateOf: (id: string) => NodeState): string {
  const { graph } = view;
  const position = new Map(layout.nodes.map((n) => [n.id, n] as const));
  const heads = new Set(graph.heads);
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${Math.ceil(layout.width)}" height="${Math.ceil(layout.height)}" viewBox="0 0 ${Math.ceil(layout.width)} ${Math.ceil(layout.height)}" font-family="Segoe UI, Helvetica, Arial, sans-serif">`,
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#6b7280"/></marker></defs>',
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
  );
  for (const edge of layout.edges) {
    const from = position.get(edge.source);
    const to = position.get(edge.target);
    if (!from || !to) continue;
    const x1 = from.x + NODE_WIDTH / 2;
    const y1 = from.y + NODE_HEIGHT;
    const x2 = to.x + NODE_WIDTH / 2;
    const y2 = to.y;
    const bend = Math.max(24, (y2 - y1) / 2);
    const dash = edge.kind === 'down' ? '' : ' stroke-dasharray="6 4"';
    const color = edge.kind === 'missing' ? '#c2362f' : '#6b7280';
    parts.push(
      `<path d="M${x1},${y1} C${x1},${y1 + bend} ${x2},${y2 - bend} ${x2},${y2}" fill="none" stroke="${color}" stroke-width="1.5"${dash} marker-end="url(#arrow)"/>`,
    );
  }
  for (const node of layout.nodes) {
    const state = stateOf(node.id);
    const revision = graph.revisions[node.id];
    const dash = node.kind === 'ghost' ? ' stroke-dasharray="5 3"' : '';
    const width = state === 'current' || state === 'failed' ? 2.5 : 1.5;
    parts.push(`<g transform="translate(${node.x},${node.y})">`);
    parts.push(`<rect width="${NODE_WIDTH}" height="${NODE_HEIGHT}" rx="8" fill="${FILL[state]}" stroke="${STROKE[state]}" stroke-width="${width}"${dash}/>`);
    parts.push(`<text x="12" y="24" font-size="13" font-weight="600" font-family="Consolas, Menlo, monospace" fill="#111827">${escapeXml(node.id)}</text>`);
    const message = revision ? revision.message || '(no message)' : 'missing: no file defines this revision';
    parts.push(`<text x="12" y="44" font-size="12" fill="#374151">${escapeXml(truncate(message, 32))}</text>`);
    const tags = [
      heads.has(node.id) ? 'HEAD' : '',
      ...(revision?.branchLabels ?? []),
      revision && revision.downRevisions.length > 1 ? 'merge' : '',
      state,
    ].filter(Boolean);
    parts.push(`<text x="12" y="64" font-size="11" fill="#4b5563">${escapeXml(truncate(tags.join(' \u00b7 '), 38))}</text>`);
    parts.push('</g>');
  }
  parts.push('</svg>');
  return parts.join('\n');
}
