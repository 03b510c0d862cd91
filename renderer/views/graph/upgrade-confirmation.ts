import type { GraphView } from '../../../shared/graph/graph-view';
import { upgradeRevisions } from '../../../shared/graph/upgrade-revisions';

/**
 * What "Upgrade to here" would do, said before it runs: the revisions Alembic would run
 * from the database's rows (or why it cannot), and those outside the profile's target,
 * whose branch CI does not build and which may clash with it. Pure, for unit tests.
 */
export interface UpgradeConfirmation {
  /** In run order; null when the database's state was not read. */
  revisions: string[] | null;
  /** Why Alembic would refuse (an unknown row, an overlap), in its words. */
  refusal: string | null;
  /** The revisions that the profile's target does not include. */
  outsideTarget: string[];
}

export function upgradeConfirmation(view: GraphView, target: string): UpgradeConfirmation {
  if (!view.overlay) return { revisions: null, refusal: null, outsideTarget: [] };
  const rows = [...view.overlay.currentRows, ...view.overlay.unknownRows];
  const run = upgradeRevisions(view.graph, rows, target);
  if (!run.ok) return { revisions: null, refusal: run.error.message, outsideTarget: [] };
  // Everything the profile's target stands on, from an empty database.
  const withinTarget = upgradeRevisions(view.graph, [], view.plan.target);
  const outsideTarget = withinTarget.ok ? run.value.filter((id) => !withinTarget.value.includes(id)) : [];
  return { revisions: run.value, refusal: null, outsideTarget };
}
