import type { GraphView } from '../../../shared/graph/graph-view';

/** What colour a node gets: the database's state over it, or failed / missing. */
export type NodeState = 'applied' | 'current' | 'pending' | 'failed' | 'ghost' | 'unknown';

export function nodeState(view: GraphView, id: string, failed: string | null, isGhost: boolean): NodeState {
  if (isGhost) return 'ghost';
  if (failed === id) return 'failed';
  const state = view.overlay?.states[id];
  // Beside a row this repository does not know, "not applied" cannot be told: only what a known row implies is.
  if (state === 'pending' && stateUnknowable(view)) return 'unknown';
  return state ?? 'unknown';
}

/** Whether alembic_version holds a revision this repository lacks, so what is not implied applied is unknown. */
export function stateUnknowable(view: GraphView): boolean {
  return (view.overlay?.unknownRows.length ?? 0) > 0;
}

export const STATE_LABEL: Record<NodeState, string> = {
  applied: 'applied',
  current: 'current',
  pending: 'pending',
  failed: 'failed',
  ghost: 'missing file',
  unknown: 'state unknown',
};
