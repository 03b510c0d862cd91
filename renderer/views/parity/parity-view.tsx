import { useMemo } from 'react';
import { deriveParityExpectations, parityMatrix, type ParityStatus } from '../../../shared/parity/parity-matrix';
import { StatusBadge } from '../../components/status';
import { useApp } from '../../state/store-context';

const LABEL: Record<ParityStatus, string> = { pass: 'parity', warn: 'check', fail: 'differs' };

/** The guide's CI/local parity matrix, computed from the last run, the settings and the graph. */
export function ParityView() {
  const settings = useApp((s) => s.settings);
  const report = useApp((s) => s.lastReport);
  const graph = useApp((s) => s.graph);
  const lastValidation = useApp((s) => s.lastValidation);
  const running = useApp((s) => s.job !== null);
  const rows = useMemo(() => parityMatrix(deriveParityExpectations(settings, report, graph), report, graph, lastValidation), [settings, report, graph, lastValidation]);
  const failing = rows.filter((r) => r.status !== 'pass').length;

  return (
    <div className="view parity-view">
      <div className="view-head">
        <h1>CI / local parity</h1>
        <p className="muted">
          {!report
            ? 'Run Diagnose (or Rebuild) to compare this machine with CI.'
            : failing === 0
              ? '✓ This machine matches CI on every line of the guide’s matrix.'
              : `${failing} of ${rows.length} lines need attention.`}
          {running ? ' A job is running; the table updates when it ends.' : ''}
        </p>
      </div>
      <table className="parity-table">
        <thead>
          <tr>
            <th scope="col">Component</th>
            <th scope="col">CI</th>
            <th scope="col">This machine</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id} data-testid={`parity-${row.id}`} data-status={row.status}>
              <th scope="row">{row.component}</th>
              <td className="mono-soft">{row.expected}</td>
              <td className="mono-soft">{row.local}</td>
              <td>
                <StatusBadge status={row.status} label={LABEL[row.status]} />
                {row.note ? <div className="parity-note">{row.note}</div> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
