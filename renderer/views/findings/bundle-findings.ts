import type { DiagnosticBundle } from '../../../shared/bundle/bundle';
import type { RunReport } from '../../../shared/report/report';

/**
 * A diagnosis file holds two findings lists from two moments: the read-only diagnosis made
 * when the file was saved, and the last run the app made before that (the list its user
 * saw). Findings shows one at a time, each labelled with its own moment, so a list is never
 * shown under the other's time. Pure, so it is unit-tested with a literal bundle.
 */
export type BundleFindingsSource = 'saved' | 'last-run';

export interface BundleFindingsList {
  source: BundleFindingsSource;
  /** The run the list comes from: its findings, its gates (for failed steps nothing explains) and its provenance. */
  report: RunReport;
}

/** The lists the file holds, the saved diagnosis first (the newest, and the one the navigation's count is of). */
export function bundleFindingsLists(bundle: DiagnosticBundle): BundleFindingsList[] {
  const saved: BundleFindingsList = { source: 'saved', report: bundle.report };
  return bundle.lastRun ? [saved, { source: 'last-run', report: bundle.lastRun }] : [saved];
}

/** The list for `source`, or the saved diagnosis when the file has no such list. */
export function bundleFindingsList(bundle: DiagnosticBundle, source: BundleFindingsSource): BundleFindingsList {
  const lists = bundleFindingsLists(bundle);
  return lists.find((list) => list.source === source) ?? lists[0];
}

/**
 * What a list is and when it was made, for the view's heading and the choice between the two:
 * "Read-only diagnosis made when the file was saved, 12/7/2026, 11:07:47 PM" or
 * "Last run before the file was saved: rebuild at 12/7/2026, 11:06:50 PM".
 */
export function bundleFindingsLabel(
  list: BundleFindingsList,
  bundle: DiagnosticBundle,
  formatTime: (iso: string) => string,
  commandLabel: (command: string) => string,
): string {
  return list.source === 'saved'
    ? `Read-only diagnosis made when the file was saved, ${formatTime(bundle.createdAt)}`
    : `Last run before the file was saved: ${commandLabel(list.report.command)} at ${formatTime(list.report.startedAt)}`;
}
