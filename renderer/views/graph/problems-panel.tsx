import type { GraphView } from '../../../shared/graph/graph-view';

/** Graph errors (file:line) and warnings, in Alembic's terms. */
export function ProblemsPanel({ view, onSelect }: { view: GraphView; onSelect: (id: string) => void }) {
  const { errors, warnings } = view.graph;
  if (errors.length === 0 && warnings.length === 0) return <div className="panel-body muted">✓ No errors or warnings in the migration files.</div>;
  return (
    <div className="panel-body">
      {errors.length > 0 ? <h3>Errors</h3> : null}
      <ul className="problem-list">
        {errors.map((e, i) => (
          <li key={`e${i}`} className="problem error" data-testid="graph-error">
            <span className="problem-kind">{e.kind}</span>
            {e.file ? (
              <span className="mono problem-where">
                {e.file}
                {e.line ? `:${e.line}` : ''}
              </span>
            ) : null}
            <p>{e.message}</p>
            {e.revisionIds?.map((id) => (
              <button key={id} type="button" className="link mono" onClick={() => onSelect(id)}>
                {id}
              </button>
            ))}
          </li>
        ))}
      </ul>
      {warnings.length > 0 ? <h3>Warnings</h3> : null}
      <ul className="problem-list">
        {warnings.map((w, i) => (
          <li key={`w${i}`} className="problem warning">
            <span className="problem-kind">{w.kind}</span>
            {w.file ? <span className="mono problem-where">{w.file}</span> : null}
            <p>{w.message}</p>
          </li>
        ))}
      </ul>
    </div>
  );
}
