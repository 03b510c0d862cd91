import { useState } from 'react';
import { DESTRUCTIVE_ACTIONS, type RemediationAction } from '../../../shared/findings/catalogue';
import { GATE_TITLES } from '../../../shared/report/gates';
import type { Finding } from '../../../shared/report/report';
import { AppHowTo } from '../../components/app-how-to';
import { Spinner } from '../../components/feedback';
import { StatusBadge } from '../../components/status';
import { actionsLocked } from '../../state/shown';
import { useApp } from '../../state/store-context';
import { noFixNote } from './no-fix-note';

/** One finding: what is wrong, the evidence, why, and the button that fixes it. */
export function FindingCard({ finding, index = 0 }: { finding: Finding; index?: number }) {
  const remediating = useApp((s) => s.remediating === finding.id);
  const busy = useApp(actionsLocked);
  const viewing = useApp((s) => s.viewing !== null);
  const remediate = useApp((s) => s.remediate);
  const stillThere = useApp((s) => (!s.viewing && s.lastFix?.outcome === 'still-there' && s.lastFix.findingId === finding.id ? s.lastFix.message : null));
  const databaseName = useApp((s) => s.settings?.databaseName ?? '');
  const [typed, setTyped] = useState('');
  // A fix that drops or replaces a database takes its name typed out, as Rebuild's drop does (the engine checks it again).
  const destructive = finding.remediation !== null && DESTRUCTIVE_ACTIONS.includes(finding.remediation.action as RemediationAction);
  const confirmed = !destructive || (databaseName !== '' && typed === databaseName);
  const tone = finding.severity === 'error' ? 'error' : finding.severity === 'warning' ? 'warning' : 'info';
  return (
    <article
      className={`finding severity-${finding.severity}`}
      data-testid={`finding-${finding.id}`}
      data-source={finding.source ? `${finding.source.gate}${finding.source.step ? `/${finding.source.step}` : ''}` : undefined}
      aria-labelledby={`finding-title-${index}`}
    >
      <header className="finding-head">
        <StatusBadge status={tone} label={finding.severity} />
        <h2 id={`finding-title-${index}`}>{finding.title}</h2>
        <code className="finding-id">{finding.id}</code>
      </header>
      <pre className="finding-evidence">{finding.evidence}</pre>
      {finding.explanation ? <p className="finding-explanation">{finding.explanation}</p> : null}
      <AppHowTo action={finding.action} />
      <div className="finding-actions">
        {finding.remediation && destructive ? (
          <label className="field inline-confirm">
            Type <code>{databaseName}</code> to confirm{' '}
            <input
              type="text"
              autoComplete="off"
              spellCheck={false}
              value={typed}
              onChange={(e) => setTyped(e.target.value)}
              data-testid={`remediate-confirm-${finding.id}`}
              aria-invalid={typed !== '' && !confirmed}
            />
          </label>
        ) : null}
        {finding.remediation ? (
          <button
            type="button"
            className={destructive ? 'danger' : 'primary'}
            onClick={() => void remediate(finding.id, destructive ? typed : undefined)}
            disabled={busy || !confirmed}
            title={viewing ? 'Not live: fixes run on this machine, not on the bundle’s.' : undefined}
            data-fix-button={finding.id}
            data-testid={`remediate-${finding.id}`}
          >
            {remediating ? 'Fixing…' : finding.remediation.label}
          </button>
        ) : (
          <p className="finding-no-fix muted small-text" data-testid={`no-fix-${finding.id}`}>
            {noFixNote(finding)}
          </p>
        )}
        {remediating ? <RemediationProgress /> : null}
      </div>
      {stillThere ? (
        <p className="fix-outcome fix-still-there" role="status" tabIndex={-1} data-testid={`fix-outcome-${finding.id}`} data-outcome="still-there">
          Still here after the fix. {stillThere}
        </p>
      ) : null}
    </article>
  );
}

function RemediationProgress() {
  const gate = useApp((s) => s.runningGate);
  const step = useApp((s) => (s.runningGate ? s.gates[s.runningGate].stepIndex : 0));
  const total = useApp((s) => (s.runningGate ? s.gates[s.runningGate].totalSteps : null));
  const progress = useApp((s) => s.progress);
  const text = gate
    ? `${gate} ${GATE_TITLES[gate]}${step && total ? ` [${step}/${total}]` : ''}${gate === 'R4' && progress ? ` — revision ${progress.current} of ${progress.total}` : ''}`
    : 'starting…';
  return <Spinner label={text} />;
}
