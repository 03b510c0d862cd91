import type { GraphView } from '../../../shared/graph/graph-view';
import type { PlanStepView } from '../../../shared/graph/plan-view';
import { ErrorBox } from '../../components/feedback';
import { plural } from '../../components/format';
import { SqlPreviewButton, SqlPreviewPanel } from './sql-preview';

/** Where the database stands and the upgrades R4 will run (both plans when they differ). */
export function PlanPanel({ view }: { view: GraphView }) {
  const { plan } = view;
  return (
    <div className="panel-body">
      <h3>Where the database stands</h3>
      {view.overlay ? (
        <p className="summary" data-testid="state-summary">
          {view.overlay.summary}
        </p>
      ) : view.stateError ? (
        <ErrorBox error={view.stateError} title="The database state could not be read" />
      ) : (
        <p className="muted">Not read.</p>
      )}
      <h3>
        Plan to <code>{plan.target}</code>
      </h3>
      <p className="muted">{plan.source === 'profile' ? 'From the profile’s explicit plan.' : 'Derived from the graph.'}</p>
      {plan.error ? <ErrorBox error={plan.error} /> : null}
      {plan.error ? null : <PlanSteps steps={plan.steps} />}
      {plan.error || plan.steps.length === 0 || !view.repoDir ? null : (
        <>
          <div className="panel-actions">
            <SqlPreviewButton target={plan.target} label="Preview the plan’s SQL" />
          </div>
          <SqlPreviewPanel target={plan.target} />
        </>
      )}
      {plan.differs ? (
        <>
          <h3>Plan derived from the graph</h3>
          <p className="muted">Differs from the profile’s plan; R4 follows the profile’s.</p>
          <PlanSteps steps={plan.graphSteps} />
        </>
      ) : null}
      {view.hazards.length > 0 ? (
        <>
          <h3>Why not one step</h3>
          <ul className="plain-list">
            {view.hazards.map((h) => (
              <li key={`${h.revision}-${h.table}-${h.line}`} className="tone-warn">
                ⚠ {h.message}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </div>
  );
}

function PlanSteps({ steps }: { steps: PlanStepView[] }) {
  if (steps.length === 0) return <p className="tone-ok">✓ Nothing to run: the database is at the target.</p>;
  return (
    <ol className="plan-steps">
      {steps.map((step, index) => (
        <li key={`${step.target}-${index}`}>
          <code>alembic upgrade {step.target}</code>
          <div className="muted">
            {plural(step.revisions.length, 'revision')}
            {step.reason ? ` — ${step.reason}` : ''}
          </div>
          <div className="plan-revisions mono">{step.revisions.join(' → ')}</div>
        </li>
      ))}
    </ol>
  );
}
