import type { GateId } from '../../../shared/report/gates';
import { AppHowTo } from '../../components/app-how-to';
import { ErrorBox } from '../../components/feedback';
import { formatDuration } from '../../components/format';
import { JsonView } from '../../components/json-view';
import { StatusIcon, statusLook } from '../../components/status';
import { laterGatesInRun, shownGate } from '../../state/shown';
import { useApp } from '../../state/store-context';

/** The selected gate's steps: status, title, detail, duration, evidence on demand. */
export function StepList({ gate }: { gate: GateId }) {
  const steps = useApp((s) => shownGate(gate)(s).steps);
  const status = useApp((s) => shownGate(gate)(s).status);
  const error = useApp((s) => shownGate(gate)(s).report?.error ?? null);
  const inRun = useApp((s) => shownGate(gate)(s).inRun);
  const laterRan = useApp(laterGatesInRun(gate));
  const problemsAtStart = status === 'passed' && laterRan && steps.some((step) => step.status === 'failed');

  if (steps.length === 0) {
    return (
      <div className="steps-empty muted">
        {status === 'running' ? 'Running… steps appear as they finish.' : inRun ? 'Waiting for the earlier gates.' : 'This gate is not part of the last run.'}
      </div>
    );
  }
  return (
    <div className="steps">
      {error ? <ErrorBox error={error} /> : null}
      {problemsAtStart ? (
        <p className="steps-note muted" data-testid="problems-at-start">
          {gate} read the database before the later gates of this run changed it: its ✗ steps are what was wrong then. Findings lists what is still wrong after
          the run.
        </p>
      ) : null}
      <ol className="step-list">
        {steps.map((step, index) => (
          <li key={`${step.id}-${index}`} className={`step status-${step.status}`} data-testid={`step-${step.id}`}>
            <div className="step-head">
              <StatusIcon status={step.status} />
              <span className="step-title">{step.title}</span>
              {step.source ? (
                <span className="step-source muted small-text">
                  {step.source === 'profile' ? 'expected by the guide (profile)' : 'expected by the revisions'}
                </span>
              ) : null}
              <span className="sr-only">{statusLook(step.status).label}</span>
              <span className="step-duration muted">{formatDuration(step.durationMs)}</span>
            </div>
            {step.detail ? <div className="step-detail">{step.detail}</div> : null}
            <AppHowTo action={step.action} />
            {step.evidence !== undefined && step.evidence !== null ? <JsonView value={step.evidence} /> : null}
          </li>
        ))}
      </ol>
    </div>
  );
}
