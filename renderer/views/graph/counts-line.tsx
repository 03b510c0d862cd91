import type { StateCounts } from './state-counts';

/** "3 ✓ · 2 pending · 1 failed", leaving out zeros; nothing when the state was not read. */
export function CountsLine({ counts }: { counts: StateCounts }) {
  if (!counts.known) return null;
  return (
    <span className="counts" aria-label={`${counts.applied} applied, ${counts.pending} pending, ${counts.failed} failed`}>
      {counts.applied > 0 ? <span className="count applied">{counts.applied}✓</span> : null}
      {counts.pending > 0 ? <span className="count pending">{counts.pending} pending</span> : null}
      {counts.failed > 0 ? <span className="count failed">{counts.failed} failed</span> : null}
    </span>
  );
}
