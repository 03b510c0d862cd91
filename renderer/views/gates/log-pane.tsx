import { useCallback } from 'react';
import type { GateId } from '../../../shared/report/gates';
import { VirtualList } from '../../components/virtual-list';
import { shownDropped, shownGate, shownLog } from '../../state/shown';
import { useApp } from '../../state/store-context';

/** The gate's live output, virtualized: only the rows in view exist in the DOM. */
const ROW_HEIGHT = 20;

export function LogPane({ gate }: { gate: GateId }) {
  const lines = useApp(shownLog(gate));
  const dropped = useApp(shownDropped(gate));
  const running = useApp((s) => shownGate(gate)(s).status === 'running');
  const viewing = useApp((s) => s.viewing !== null);
  const renderRow = useCallback(
    (index: number) => {
      const line = lines[index];
      return (
        <span className={`log-line stream-${line.stream}`} title={line.text.length > 160 ? line.text : undefined}>
          <span className="log-number" aria-hidden="true">
            {dropped + index + 1}
          </span>
          {line.text}
        </span>
      );
    },
    [lines, dropped],
  );
  return (
    <section className="log-pane" aria-label={`${gate} log`}>
      <div className="pane-title">
        <span>Log</span>
        <span className="muted">
          {lines.length.toLocaleString()} line{lines.length === 1 ? '' : 's'}
          {dropped > 0 ? ` (first ${dropped.toLocaleString()} dropped)` : ''}
        </span>
      </div>
      {lines.length === 0 ? (
        <div className="log-empty muted">
          {running ? 'No output yet.' : viewing ? 'The bundle keeps no output for this gate.' : 'This gate wrote no output.'}
        </div>
      ) : (
        <VirtualList count={lines.length} rowHeight={ROW_HEIGHT} renderRow={renderRow} followEnd className="log-list" label={`${gate} output`} />
      )}
    </section>
  );
}
