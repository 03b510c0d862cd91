import type { GraphView } from '../../../shared/graph/graph-view';

/** What colour a node gets: the database's state over it, or failed / missing. */
export type NodeState = 'applied' | 'current' | 'pending' | 'failed' | 'ghost' | 'unknown';

export function nodeState(view: GraphView, id: string, failed: string | null, isGhost: boolean): NodeState {
  if (isGhost) return 'ghost';
  if (failed === id) return 'failed';
  return view.overlay?.states[id] ?? 'unknown';
}

export const STATE_LABEL: Record<NodeState, string> = {
  applied: 'applied',
  current: 'current',
  pending: 'pending',
  failed: 'failed',
  ghost: 'missing file',
  unknown: 'state not read',
};
