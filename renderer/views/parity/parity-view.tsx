import { ErrorBox, Loading } from '../../components/feedback';
import { InlineCode } from '../../components/inline-code';
import { StatusBadge } from '../../components/status';
import { shownParity, shownReport } from '../../state/shown';
import { useApp } from '../../state/store-context';
import { ProvenanceLine } from '../results/provenance-line';
import { ciSourceLabel, PARITY_LOOK } from './parity-labels';
import { SuiteEnvironments } from './suite-environments';

/**
 * The guide's CI/local parity matrix, CI and this machine side by side. The engine
 * computes it (getParity): CI from the repository's .github/workflows, or the profile
 * when there are none, against the last run; a bundle carries the rows it saved.
 */
export function ParityView() {
  const matrix = useApp(shownParity);
  const load = useApp((s) => s.parityLoad);
  const reload = useApp((s) => s.loadParity);
  const report = useApp((s) => s.lastReport);
  const viewing = useApp((s) => s.viewing);
  const running = useApp((s) => s.job !== null && s.viewing === null);
  const shownRun = useApp(shownReport);

  let body;
  if (!matrix && load.status === 'error' && load.error) {
    body = (
      <div className="view-pad">
        <ErrorBox error={load.error} title="The parity matrix could not be made" />
        <button type="button" onClick={() => void reload()}>
          Try again
        </button>
      </div>
    );
  } else if (!matrix) {
    body = <Loading label="Reading CI’s workflow files…" />;
  } else {
    const workflowFiles = matrix.ci.source === 'workflow' ? matrix.ci.files : [];
    body = (
      <>
        <table className="parity-table">
          {/* Fixed column shares: a long value wraps in its cell instead of widening the table past the window. */}
          <colgroup>
            <col className="parity-col-component" />
            <col className="parity-col-ci" />
            <col />
            <col className="parity-col-status" />
          </colgroup>
          <thead>
            <tr>
              <th scope="col">Component</th>
              <th scope="col">
                CI{' '}
                <span className="th-source" data-testid="parity-ci-source" title={workflowFiles.join('\n') || undefined}>
                  {ciSourceLabel(matrix.ci)}
                </span>
              </th>
              <th scope="col">{viewing ? 'The bundle’s machine' : 'This machine'}</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {matrix.rows.map((row) => (
              <tr key={row.id} data-testid={`parity-${row.id}`} data-status={row.status}>
                <th scope="row">{row.component}</th>
                <td className="mono-soft">{row.ci.replace(/`/g, '')}</td>
                <td className="mono-soft">{row.local.replace(/`/g, '')}</td>
                <td>
                  <StatusBadge status={PARITY_LOOK[row.status].status} label={PARITY_LOOK[row.status].label} />
                  {row.note ? (
                    <div className="parity-note">
                      <InlineCode text={row.note} />
                    </div>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {matrix.ci.notes.length > 0 || workflowFiles.length > 1 ? (
          <details className="ci-notes" data-testid="ci-notes">
            <summary>How CI was read{matrix.ci.notes.length > 0 ? ` (${matrix.ci.notes.length})` : ''}</summary>
            {workflowFiles.length > 1 ? (
              <p className="small-text">
                Read from {workflowFiles.length} workflow files: <span className="mono-soft">{workflowFiles.join(', ')}</span>
              </p>
            ) : null}
            <ul className="plain-list">
              {matrix.ci.notes.map((note, index) => (
                <li key={index}>
                  <InlineCode text={note} />
                </li>
              ))}
            </ul>
          </details>
        ) : null}
      </>
    );
  }

  const failing = matrix ? matrix.rows.filter((r) => r.status !== 'ok').length : 0;
  const hasState = viewing !== null || report !== null;
  return (
    <div className="view parity-view">
      <div className="view-head">
        <h1>CI / local parity</h1>
        <p className="muted">
          {!matrix
            ? ''
            : !hasState
              ? 'Run Diagnose (or Rebuild) to compare this machine with CI.'
              : failing === 0
                ? `✓ ${viewing ? 'The bundle’s machine' : 'This machine'} matches CI on every line of the guide’s matrix.`
                : `${failing} of ${matrix.rows.length} lines need attention.`}
          {running ? ' A job is running; the table updates when it ends.' : ''}
          {!viewing && load.status === 'loading' && matrix ? ' Updating…' : ''}
        </p>
      </div>
      <ProvenanceLine what="Local results" provenance={shownRun?.provenance} />
      {body}
      <SuiteEnvironments />
    </div>
  );
}
