import { ErrorBox, Loading } from '../../components/feedback';
import { InlineCode } from '../../components/inline-code';
import { StatusBadge } from '../../components/status';
import { commandLabel } from '../../components/command-label';
import { formatDateTime } from '../../components/format';
import { notThisTitle, serverLabel } from '../../state/provenance';
import { shownLastChange, shownParity, shownReport, shownValidationRun } from '../../state/shown';
import { useApp } from '../../state/store-context';
import { DatabaseChangedNote } from '../results/kept-results-notes';
import { ProvenanceLine, useBelonging } from '../results/provenance-line';
import { keptTestStanding, withKeptTestStanding, type KeptTestStanding } from './kept-test-result';
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
  const keptRun = useApp(shownValidationRun);
  const lastChange = useApp(shownLastChange);
  const keptBelongs = useBelonging(keptRun);
  // The R5 result the engine put on "Test execution" may be from before the database changed, or from another server.
  const keptStanding = keptTestStanding(shownRun, keptRun, keptBelongs, lastChange);
  const rows = matrix ? withKeptTestStanding(matrix.rows, keptStanding) : [];

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
            {rows.map((row) => (
              <tr key={row.id} data-testid={`parity-${row.id}`} data-status={row.status}>
                <th scope="row">{row.component}</th>
                <td className="mono-soft">{row.ci.replace(/`/g, '')}</td>
                <td className="mono-soft">{row.local.replace(/`/g, '')}</td>
                <td>
                  <StatusBadge status={PARITY_LOOK[row.status].status} label={PARITY_LOOK[row.status].label} />
                  {/* Before the engine's note: the engine does not say which run this line's R5 result is from. */}
                  {row.id === 'tests' && keptStanding ? <KeptTestNote standing={keptStanding} /> : null}
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

  const failing = rows.filter((r) => r.status !== 'ok').length;
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
                : `${failing} of ${rows.length} lines need attention.`}
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

/** Under "Test execution": the R5 result there is kept from an earlier run, in Test results' words. */
function KeptTestNote({ standing }: { standing: KeptTestStanding }) {
  if (standing.kind === 'changed') {
    return (
      <DatabaseChangedNote
        changed={standing.changed}
        testId="parity-tests-stale"
        rerun="“Run the validation tests” on Test results gives results for it as it is now."
      />
    );
  }
  const { provenance, why } = standing;
  return (
    <p className="provenance provenance-other small-text" data-testid="parity-tests-elsewhere" data-why={why} role="status">
      <strong>{notThisTitle(why)}:</strong> this R5 result is from {commandLabel(provenance.command)} at {formatDateTime(provenance.startedAt)}
      {why === 'server' && provenance.server ? `, against ${serverLabel(provenance.server)}, another PostgreSQL cluster` : ', for another repository'}. “Run the
      validation tests” on Test results (or Rebuild) runs them here.
    </p>
  );
}
