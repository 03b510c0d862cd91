import type { Finding, RunReport } from '../../../shared/report/report';
import { plural } from '../../components/format';
import type { CompareSide } from '../../state/types';

/**
 * What a Compare side is called. This machine's side is not a saved file but the live state
 * read at one moment, so it is named by that moment ("This machine, read at 11:12:06 PM"), and
 * a file by its name. Pure, so it is unit-tested without a page.
 */
export function compareSideLabel(side: Pick<CompareSide, 'source' | 'label' | 'bundle' | 'status'>, formatTime: (iso: string) => string): string {
  if (side.source !== 'live') return side.label || 'Not chosen';
  if (side.status === 'loading') return 'This machine, being read now';
  const readAt = side.bundle ? formatTime(side.bundle.createdAt) : '';
  return readAt ? `This machine, read at ${readAt}` : 'This machine';
}

/** The term for a side's moment in its facts: a live read was read then; a file was saved then. */
export function compareSideTimeTerm(side: Pick<CompareSide, 'source'>): 'Read' | 'Saved' {
  return side.source === 'live' ? 'Read' : 'Saved';
}

/** What the Findings view lists right now, as the navigation's count counts it. */
export interface FindingsOnScreen {
  findings: Finding[];
  /** The run the list comes from; null before any diagnosis. */
  report: Pick<RunReport, 'command' | 'startedAt'> | null;
  /** The open diagnosis file's name, when Findings shows a file instead of this machine. */
  viewingName: string | null;
}

export interface LiveFindingsNote {
  text: string;
  /** True when Findings lists something else than this read found: the view then offers Diagnose. */
  differs: boolean;
}

/**
 * The read behind "This machine" is a fresh read-only diagnosis, but it does not replace the
 * list in Findings (nor the navigation's count, nor the engine's last run): only Diagnose does.
 * The live side says so, naming the findings Findings does not list, so the two views never
 * silently disagree.
 */
export function liveFindingsNote(
  liveFindings: Finding[],
  onScreen: FindingsOnScreen,
  formatTime: (iso: string) => string,
  commandLabel: (command: string) => string,
): LiveFindingsNote {
  const liveIds = unique(liveFindings.map((f) => f.id));
  const found = liveIds.length === 0 ? 'This read found no findings.' : `This read found ${plural(liveIds.length, 'finding')}: ${liveIds.join(', ')}.`;
  if (onScreen.viewingName) {
    return {
      text: `${found} Findings shows the open file ${onScreen.viewingName}, not this read: close the file and Diagnose to list this machine’s findings there.`,
      differs: true,
    };
  }
  if (!onScreen.report) {
    return {
      text: `${found} Findings has no diagnosis yet: Diagnose to list this machine’s findings there, with their fixes.`,
      differs: liveIds.length > 0,
    };
  }
  const listedIds = unique(onScreen.findings.map((f) => f.id));
  const notListed = liveIds.filter((id) => !listedIds.includes(id));
  const noLongerFound = listedIds.filter((id) => !liveIds.includes(id));
  const from = `the last ${commandLabel(onScreen.report.command)} (${formatTime(onScreen.report.startedAt)})`;
  if (notListed.length === 0 && noLongerFound.length === 0) {
    return { text: `${found} Findings lists the same, from ${from}.`, differs: false };
  }
  const gaps = [
    notListed.length > 0 ? `does not list ${notListed.join(', ')}` : null,
    noLongerFound.length > 0 ? `still lists ${noLongerFound.join(', ')}, which this read no longer finds` : null,
  ].filter((gap): gap is string => gap !== null);
  return {
    text: `${found} Findings is from ${from} and ${gaps.join(', and ')}: Diagnose to bring Findings and its count up to date.`,
    differs: true,
  };
}

function unique(ids: string[]): string[] {
  return [...new Set(ids)];
}
