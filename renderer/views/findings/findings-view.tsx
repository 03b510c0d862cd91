import type { Finding } from '../../../shared/report/report';
import { EmptyState } from '../../components/feedback';
import { commandLabel } from '../../components/command-label';
import { formatTime, plural } from '../../components/format';
import { useApp } from '../../state/store-context';
import { FindingCard } from './finding-card';

const ORDER: Record<Finding['severity'], number> = { error: 0, warning: 1, info: 2 };

/** What the last run found, worst first, each with its fix. */
export function FindingsView() {
  const findings = useApp((s) => s.findings);
  const report = useApp((s) => s.lastReport);
  const job = useApp((s) => s.job);
  const live = useApp((s) => s.liveFindings);
  const startJob = useApp((s) => s.startJob);
  const ready = useApp((s) => s.settings !== null);
  const sorted = [...findings].sort((a, b) => ORDER[a.severity] - ORDER[b.severity]);

  return (
    <div className="view findings-view">
      <div className="view-head">
        <h1>Findings</h1>
        <p className="muted">
          {report ? `From the last ${commandLabel(report.command)} (${formatTime(report.startedAt)}).` : 'What the diagnosis finds, with the guide’s failure mode and its fix.'}
          {job ? ` A job is running${live.length ? `: ${plural(live.length, 'finding')} so far` : ''}; the list updates when it ends.` : ''}
        </p>
      </div>
      {!report && findings.length === 0 ? (
        <EmptyState
          title="No diagnosis yet"
          action={
            <button type="button" className="primary" onClick={() => void startJob({ kind: 'diagnose' })} disabled={job !== null || !ready}>
              Diagnose
            </button>
          }
        >
          Diagnose reads the database without changing it and lists what is wrong.
        </EmptyState>
      ) : sorted.length === 0 ? (
        <EmptyState title="✓ No findings">The database matches the profile.</EmptyState>
      ) : (
        <div className="finding-list">
          {sorted.map((finding, index) => (
            <FindingCard key={`${finding.id}-${index}`} finding={finding} />
          ))}
        </div>
      )}
    </div>
  );
}
