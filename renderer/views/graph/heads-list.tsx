import type { GraphView } from '../../../shared/graph/graph-view';
import type { GraphPins } from './graph-pins';
import { nodeState } from './node-states';

/**
 * Every head, stacked beside the canvas when there are too many to fit at a readable
 * zoom: one click selects the head and centres the canvas on it.
 */
export function HeadsList({ view, pins, selected, onPick }: { view: GraphView; pins: GraphPins; selected: string | null; onPick: (id: string) => void }) {
  const labels = view.graph.inheritedLabels;
  return (
    <nav className="heads-list" aria-label={`Heads (${view.graph.heads.length})`} data-testid="heads-list">
      <h3>Heads ({view.graph.heads.length})</h3>
      <ul>
        {view.graph.heads.map((id) => {
          const state = nodeState(view, id, null, false);
          return (
            <li key={id}>
              <button
                type="button"
                className={`head-item state-${state}${selected === id ? ' selected' : ''}`}
                onClick={() => onPick(id)}
                aria-current={selected === id ? 'true' : undefined}
                data-head-item={id}
                title={view.graph.revisions[id]?.message ?? id}
              >
                <span className="mono">{id}</span>
                {pins.target.has(id) ? <span className="badge target">target</span> : null}
                {pins.current.has(id) ? <span className="badge current">current</span> : null}
                {(labels[id] ?? []).length > 0 ? <span className="muted small-text">{(labels[id] ?? []).join(', ')}</span> : null}
              </button>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
