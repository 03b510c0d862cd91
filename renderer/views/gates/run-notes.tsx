import { cacheNoteOf, snapshotOf } from '../../state/cache-note';
import { shownReport } from '../../state/shown';
import { useApp } from '../../state/store-context';

/**
 * What a finished rebuild did besides its gates: the safety snapshot it took before
 * dropping the database (nothing lost, and where to get it back), and whether the
 * database came from the template cache or was built cold and then cached.
 */
export function RunNotes() {
  const report = useApp(shownReport);
  const running = useApp((s) => s.job !== null && s.viewing === null);
  const viewing = useApp((s) => s.viewing !== null);
  const setView = useApp((s) => s.setView);
  // While a job runs, the last report belongs to the previous run.
  if (!report || running) return null;
  const snapshot = snapshotOf(report);
  const cache = cacheNoteOf(report);
  const notes: React.JSX.Element[] = [];
  if (snapshot) {
    notes.push(
      <div key="snapshot" className="run-note" data-testid="note-snapshot">
        <span className="run-note-icon" aria-hidden="true">
          ⛁
        </span>
        <span>
          The database held data, so a <strong>safety snapshot</strong> <code>{snapshot}</code> was taken before it was dropped.
        </span>
        {viewing ? null : (
          <button type="button" className="small" onClick={() => setView('snapshots')}>
            Open Snapshots
          </button>
        )}
      </div>,
    );
  }
  if (cache?.status === 'warm' && cache.template) {
    notes.push(
      <div key="cache" className="run-note" data-testid="note-cache">
        <span className="run-note-icon" aria-hidden="true">
          ⚡
        </span>
        <span>
          <strong>Restored from template</strong> <code>{cache.template}</code>
          {cache.key ? <span className="muted"> (key {cache.key.slice(0, 12)}…)</span> : null}: bootstrap and migrations were not run again; VERIFY checked the
          copy.
        </span>
      </div>,
    );
  } else if (cache?.status === 'stored' && cache.template) {
    notes.push(
      <div key="cache" className="run-note" data-testid="note-cache">
        <span className="run-note-icon" aria-hidden="true">
          ⛁
        </span>
        <span>
          Cold rebuild; the result is cached as template <code>{cache.template}</code>, so the next “Rebuild with drop” is warm while the migrations stay the
          same.
        </span>
      </div>,
    );
  } else if (cache?.status === 'store-failed') {
    notes.push(
      <div key="cache" className="run-note tone-warn" data-testid="note-cache">
        <span className="run-note-icon" aria-hidden="true">
          ⚠
        </span>
        <span>The rebuild passed, but its template could not be cached: the next rebuild runs cold again.</span>
      </div>,
    );
  }
  return notes.length ? <div className="run-notes">{notes}</div> : null;
}
