import type { GraphView } from '../../../shared/graph/graph-view';
import { NODE_HEIGHT, NODE_WIDTH } from '../../../shared/graph/lane-layout';
import type { GraphPins } from './graph-pins';
import type { GraphLayout } from './layout-protocol';
import { nodeState, type NodeState } from './node-states';
import { stateCounts, type StateCounts } from './state-counts';

/**
 * The graph as a standalone SVG, drawn from the lane layout the canvas shows (the same
 * lanes, folded runs and positions, computed once by the layout worker): what support
 * staff paste into a ticket. No screenshot of the DOM, no dependency.
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
const MONO = 'Consolas, Menlo, monospace';

export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] ?? c);
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}\u2026` : text;
}

/** "3 applied · 2 pending", leaving out zeros; empty when the database state was not read. */
function countsText(counts: StateCounts): string {
  if (!counts.known) return '';
  const parts = [
    counts.applied ? `${counts.applied} applied` : '',
    counts.pending ? `${counts.pending} pending` : '',
    counts.failed ? `${counts.failed} failed` : '',
  ];
  return parts.filter(Boolean).join(' \u00b7 ');
}

export interface GraphSvgOptions {
  pins: GraphPins;
  failed: string | null;
  /** depends_on edges, as toggled on the canvas. */
  showDepends: boolean;
}

export function graphSvg(view: GraphView, { folded, layout }: GraphLayout, { pins, failed, showDepends }: GraphSvgOptions): string {
  const { graph } = view;
  const position = new Map(layout.nodes.map((n) => [n.key, n] as const));
  const width = Math.ceil(layout.width);
  const height = Math.ceil(layout.height);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Segoe UI, Helvetica, Arial, sans-serif">`,
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#6b7280"/></marker></defs>',
    '<rect width="100%" height="100%" fill="#ffffff"/>',
  ];
  for (const lane of layout.lanes) {
    const size = folded.lanes[lane.index]?.revisions.length ?? 0;
    parts.push(
      `<text x="${lane.x}" y="${lane.y + 12}" font-size="11" font-weight="600" fill="#4b5563">${escapeXml(truncate(`${lane.name} \u00b7 ${size}`, 30))}</text>`,
    );
  }
  for (const edge of folded.edges) {
    if (edge.kind === 'depends' && !showDepends) continue;
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
  for (const node of folded.nodes) {
    const at = position.get(node.key);
    if (!at) continue;
    parts.push(`<g transform="translate(${at.x},${at.y})">`);
    if (node.kind === 'segment') {
      const first = node.revisions[0] ?? '';
      const last = node.revisions[node.revisions.length - 1] ?? '';
      const counts = stateCounts(view, node.revisions, failed);
      const tone: NodeState = counts.failed > 0 ? 'failed' : counts.known && counts.pending === 0 ? 'applied' : 'pending';
      parts.push(
        `<rect width="${NODE_WIDTH}" height="${NODE_HEIGHT}" rx="8" fill="${FILL[tone]}" stroke="${STROKE[tone]}" stroke-width="1.5" stroke-dasharray="4 2"/>`,
      );
      parts.push(`<text x="10" y="18" font-size="12" font-family="${MONO}" fill="#111827">${escapeXml(truncate(`${first} \u2026`, 24))}</text>`);
      parts.push(`<text x="10" y="34" font-size="12" font-family="${MONO}" fill="#111827">${escapeXml(truncate(`\u2026 ${last}`, 24))}</text>`);
      const meta = [`${node.revisions.length} revisions`, countsText(counts)].filter(Boolean).join(' \u00b7 ');
      parts.push(`<text x="10" y="51" font-size="10" fill="#4b5563">${escapeXml(truncate(meta, 34))}</text>`);
    } else {
      const id = node.key;
      const revision = graph.revisions[id];
      const state = nodeState(view, id, failed, node.kind === 'ghost');
      const dash = node.kind === 'ghost' ? ' stroke-dasharray="5 3"' : '';
      const strokeWidth = state === 'current' || state === 'failed' ? 2.5 : 1.5;
      parts.push(
        `<rect width="${NODE_WIDTH}" height="${NODE_HEIGHT}" rx="8" fill="${FILL[state]}" stroke="${STROKE[state]}" stroke-width="${strokeWidth}"${dash}/>`,
      );
      const steps = pins.steps.get(id) ?? [];
      const title = steps.length > 0 ? `${id}  (${steps.join(', ')})` : id;
      parts.push(`<text x="10" y="18" font-size="13" font-weight="600" font-family="${MONO}" fill="#111827">${escapeXml(truncate(title, 22))}</text>`);
      const message = revision ? revision.message || '(no message)' : 'missing: no file defines this revision';
      parts.push(`<text x="10" y="35" font-size="11" fill="#374151">${escapeXml(truncate(message, 28))}</text>`);
      const tags = [
        pins.heads.has(id) ? 'HEAD' : '',
        pins.current.has(id) ? 'current' : '',
        pins.target.has(id) ? 'target' : '',
        ...(revision?.branchLabels ?? []),
        revision && revision.downRevisions.length > 1 ? 'merge' : '',
        state === 'current' ? '' : state,
      ].filter(Boolean);
      parts.push(`<text x="10" y="51" font-size="10" fill="#4b5563">${escapeXml(truncate(tags.join(' \u00b7 '), 34))}</text>`);
    }
    parts.push('</g>');
  }
  parts.push('</svg>');
  return parts.join('\n');
}
