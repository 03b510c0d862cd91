import { ErrorBox, Spinner } from '../../components/feedback';
import { useApp } from '../../state/store-context';
import { failedRevision } from './failed-revision';

/**
 * "Upgrade to here", followed where it was started: progress while R4 runs, then the
 * outcome, and on a failure the findings it produced, one click away.
 */
export function UpgradeStatus({ id }: { id: string }) {
  const asked = useApp((s) => s.graphUpgradeTarget === id);
  const running = useApp((s) => s.job !== null && s.job.kind === 'upgrade-to' && s.job.target === id);
  const progress = useApp((s) => s.progress);
  const r4 = useApp((s) => s.gates.R4);
  const findings = useApp((s) => s.findings);
  const jobError = useApp((s) => s.jobError);
  const setView = useApp((s) => s.setView);
  if (!asked) return null;
  if (running) {
    return (
      <div className="upgrade-status running" role="status" data-testid="upgrade-status" data-status="running">
        <Spinner
          label={
            progress
              ? `Upgrading to ${id}: revision ${progress.current} of ${progress.total}${progress.label ? ` (${progress.label})` : ''}`
              : `Upgrading to ${id}…`
          }
        />
      </div>
    );
  }
  if (jobError && r4.status !== 'failed') return <ErrorBox error={jobError} title={`The upgrade to ${id} did not start`} />;
  if (r4.status === 'passed') {
    return (
      <div className="upgrade-status passed" role="status" data-testid="upgrade-status" data-status="passed">
        ✓ Upgraded to {id}.
      </div>
    );
  }
  if (r4.status !== 'failed') return null;
  const at = failedRevision(r4.report);
  const open = (findingId: string) => {
    setView('findings');
    // The Findings view renders on the next frame; then the card is brought into view.
    requestAnimationFrame(() => document.getElementById(`finding-title-${findingId}`)?.scrollIntoView({ block: 'start' }));
  };
  return (
    <div className="upgrade-status failed" role="alert" data-testid="upgrade-status" data-status="failed">
      <p>
        <strong className="tone-bad">
          ✗ The upgrade to {id} failed{at ? ` at ${at}` : ''}.
        </strong>
      </p>
      {findings.length > 0 ? (
        <ul className="plain-list">
          {findings.slice(0, 3).map((f) => (
            <li key={f.id}>
              <button type="button" className="link" onClick={() => open(f.id)} data-testid={`open-finding-${f.id}`}>
                {f.title} →
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <button type="button" className="link" onClick={() => setView('gates')}>
          See the migration log →
        </button>
      )}
    </div>
  );
}
