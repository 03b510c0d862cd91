import type { GraphView } from '../../../shared/graph/graph-view';
import { stateUnknowable } from './node-states';

/** How many revisions of a lane or segment are applied (current included), pending, failed. */
export interface StateCounts {
  applied: number;
  pending: number;
  failed: number;
  /** False when the database state was not read, or holds a revision this repository lacks: counts would say "pending" of what is unknown. */
  known: boolean;
}

export function stateCounts(view: GraphView, revisions: readonly string[], failed: string | null): StateCounts {
  const states = view.overlay?.states;
  const counts: StateCounts = { applied: 0, pending: 0, failed: 0, known: states !== undefined && !stateUnknowable(view) };
  for (const id of revisions) {
    if (id === failed) counts.failed++;
    else if (states?.[id] === 'applied' || states?.[id] === 'current') counts.applied++;
    else counts.pending++;
  }
  return counts;
}
