import { useState } from 'react';
import { suiteEnvironmentsOf, type SuiteEnvironment } from '../../../shared/parity/suite-environment';
import type { GateReport } from '../../../shared/report/report';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { InlineCode } from '../../components/inline-code';
import { actionsLocked, isViewing, shownValidation } from '../../state/shown';
import { useApp } from '../../state/store-context';

/**
 * The environment R5 gave each suite in the last run: every variable (passwords as ***)
 * with where it came from, the working directory, and what was left out. Suites R5 held
 * back because their code points at another server can be run from here, after a
 * confirmation that names the server.
 */
export function SuiteEnvironments() {
  const gate = useApp(shownValidation);
  const busy = useApp(actionsLocked);
  const viewing = useApp(isViewing);
  const startJob = useApp((s) => s.startJob);
  const [asking, setAsking] = useState(false);
  const environments = suiteEnvironmentsOf(gate?.details);
  const held = heldBack(gate);

  return (
    <section className="suite-environments" aria-label="R5 environment per suite" data-testid="suite-environments">
      <h2>R5’s environment per suite</h2>
      {environments.length === 0 ? (
        <p className="muted">Shown after the validation tests (R5) have run: which CI step’s environment each suite got, and where every value came from.</p>
      ) : (
        environments.map((environment) => <SuiteEnvironmentCard key={environment.suite} environment={environment} />)
      )}
      {held.length > 0 ? (
        <div className="held-back card" data-testid="held-back-suites">
          <p>R5 held back {held.length === 1 ? 'a suite' : `${held.length} suites`} whose code points the tests at another database server:</p>
          <ul className="plain-list">
            {held.map((suite) => (
              <li key={suite.suite}>
                <InlineCode text={`\`${suite.suite}\`: ${suite.detail}`} />
              </li>
            ))}
          </ul>
          {!viewing ? (
            <button type="button" className="danger" disabled={busy} onClick={() => setAsking(true)}>
              Run the held-back suites…
            </button>
          ) : null}
          <ConfirmDialog
            open={asking}
            title="Run tests against another server?"
            confirmLabel="Run them anyway"
            danger
            onClose={() => setAsking(false)}
            onConfirm={() => void startJob({ kind: 'validate', allowRemoteTests: true })}
          >
            <p>
              These suites set a connection string for a server that is not this machine, whatever R5’s environment says. Their tests will connect there and may
              write to it.
            </p>
            <ul className="plain-list">
              {held.map((suite) => (
                <li key={suite.suite} className="mono">
                  {suite.suite}
                </li>
              ))}
            </ul>
          </ConfirmDialog>
        </div>
      ) : null}
    </section>
  );
}

function SuiteEnvironmentCard({ environment }: { environment: SuiteEnvironment }) {
  const whose = environment.source === 'workflow' ? `CI’s environment: ${environment.step}` : 'The guide’s environment (no workflow step names this file)';
  return (
    <details className="suite-environment card" open data-testid="suite-environment" data-source={environment.source}>
      <summary>
        <span className="mono">{environment.suite}</span>{' '}
        <span className="muted">
          — {whose}; run from {environment.workingDirectory ? `${environment.workingDirectory}/` : 'the repository root'}
        </span>
      </summary>
      <table className="suite-env-table">
        <thead>
          <tr>
            <th scope="col">Variable</th>
            <th scope="col">Value</th>
            <th scope="col">From</th>
          </tr>
        </thead>
        <tbody>
          {environment.variables.map((variable) => (
            <tr key={variable.name} data-testid={`suite-env-${variable.name}`}>
              <th scope="row" className="mono">
                {variable.name}
              </th>
              <td className="mono-soft">{variable.value}</td>
              <td>{variable.source}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {environment.notes.length > 0 ? (
        <ul className="plain-list">
          {environment.notes.map((note, index) => (
            <li key={index}>
              <InlineCode text={note} />
            </li>
          ))}
        </ul>
      ) : null}
    </details>
  );
}

/** Suites R5 did not run because their code points at another server (outcome 'held-back' in the gate's details). */
function heldBack(gate: GateReport | null): Array<{ suite: string; detail: string }> {
  const suites = (gate?.details as { suites?: unknown } | undefined)?.suites;
  if (!Array.isArray(suites)) return [];
  return suites
    .filter(
      (s): s is { suite: string; outcome: string; detail: string } =>
        typeof s === 'object' && s !== null && (s as { outcome?: unknown }).outcome === 'held-back',
    )
    .map((s) => ({ suite: s.suite, detail: String(s.detail) }));
}
