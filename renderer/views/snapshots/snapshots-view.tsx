import { useMemo, useState } from 'react';
import type { CopiesView, SnapshotInfo, TemplateInfo } from '../../../shared/contract/copies';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { EmptyState, ErrorBox, Loading, Spinner } from '../../components/feedback';
import { formatBytes, formatDateTime, plural } from '../../components/format';
import { actionsLocked } from '../../state/shown';
import { useApp } from '../../state/store-context';
import { cacheStatus } from './cache-status';
import { newestFirst } from './newest-first';
import { RestoreDialog } from './restore-dialog';

/**
 * Nothing lost, and fast rebuilds (issue 6): the safety snapshots a rebuild took
 * before dropping a database that held data, the template cache that makes the next
 * rebuild warm, and what can be done with them — restore, prune, clear.
 */
export function SnapshotsView() {
  const viewing = useApp((s) => s.viewing !== null);
  const copies = useApp((s) => s.copies);
  const load = useApp((s) => s.copiesLoad);
  const loadCopies = useApp((s) => s.loadCopies);

  let body;
  if (viewing) {
    body = (
      <EmptyState title="Snapshots are not part of a diagnosis">
        They are databases on this machine’s server. Close the diagnosis to see and restore them.
      </EmptyState>
    );
  } else if (!copies && load.status === 'error' && load.error) {
    body = (
      <div className="view-pad">
        <ErrorBox error={load.error} title="The snapshots could not be listed" />
        <button type="button" onClick={() => void loadCopies()}>
          Try again
        </button>
      </div>
    );
  } else if (!copies) {
    body = <Loading label="Listing snapshots and templates…" />;
  } else {
    body = (
      <CopiesBody
        snapshots={copies.snapshots}
        templates={copies.templates}
        templatesKept={copies.templatesKept}
        database={copies.database}
        nextRebuild={copies.nextRebuild}
      />
    );
  }

  return (
    <div className="view snapshots-view">
      <div className="view-head">
        <h1>Snapshots</h1>
        <p className="muted">
          Copies of the database on the server: safety snapshots taken before a drop, and cache templates that make the next rebuild take about a second.
        </p>
        {viewing ? null : (
          <button type="button" className="small" onClick={() => void loadCopies()} disabled={load.status === 'loading'} aria-label="Refresh the list">
            {load.status === 'loading' ? 'Refreshing…' : '↻ Refresh'}
          </button>
        )}
      </div>
      {/* The outcome of an action on this machine's copies says nothing about an opened diagnosis. */}
      {viewing ? null : <ActionResult />}
      {body}
    </div>
  );
}

function ActionResult() {
  const action = useApp((s) => s.copyAction);
  const dismiss = useApp((s) => s.dismissCopyAction);
  if (!action || action.status === 'running') return null;
  if (action.status === 'error' && action.error) return <ErrorBox error={action.error} title={action.message} onDismiss={dismiss} />;
  return (
    <div className="success-box dismissable" role="status" data-testid="copy-action-result">
      <span>
        <span className="tone-ok">✓</span> {action.message}
      </span>
      <button type="button" className="ghost small" onClick={dismiss} aria-label="Dismiss">
        ✕
      </button>
    </div>
  );
}

function CopiesBody({
  snapshots,
  templates,
  templatesKept,
  database,
  nextRebuild,
}: {
  snapshots: SnapshotInfo[];
  templates: TemplateInfo[];
  templatesKept: number;
  database: string;
  nextRebuild: CopiesView['nextRebuild'];
}) {
  return (
    <>
      <CacheSection templates={templates} templatesKept={templatesKept} nextRebuild={nextRebuild} />
      <SnapshotSection snapshots={snapshots} database={database} />
    </>
  );
}

/** The action under way; a restore can be cancelled until it replaces the database (after that it finishes, and says so). */
function RunningAction({ kind }: { kind: 'clear-cache' | 'restore' | 'prune' }) {
  const action = useApp((s) => (s.copyAction?.status === 'running' && s.copyAction.kind === kind ? s.copyAction : null));
  const cancelRestore = useApp((s) => s.cancelRestore);
  if (!action) return null;
  return (
    <>
      <Spinner label={action.message} />
      {kind === 'restore' ? (
        <button type="button" className="small danger-outline" onClick={() => void cancelRestore()} disabled={action.cancelling === true}>
          Cancel restore
        </button>
      ) : null}
    </>
  );
}

function CacheSection({ templates, templatesKept, nextRebuild }: { templates: TemplateInfo[]; templatesKept: number; nextRebuild: CopiesView['nextRebuild'] }) {
  const lastCache = useApp((s) => s.lastCache);
  const locked = useApp((s) => actionsLocked(s) || s.copyAction?.status === 'running');
  const clearCache = useApp((s) => s.clearCache);
  const [confirming, setConfirming] = useState(false);
  const status = cacheStatus(templates, lastCache, nextRebuild);
  const sorted = useMemo(() => newestFirst(templates), [templates]);

  return (
    <section className="card" aria-labelledby="cache-title">
      <div className="card-title-row">
        <h2 id="cache-title">Template cache</h2>
        <span className={`chip ${status.tone === 'warm' ? 'ok' : 'muted'}`} data-testid="cache-tone">
          {status.tone === 'warm' ? 'next rebuild: warm' : status.tone === 'cold' ? 'next rebuild: cold' : 'warm if unchanged'}
        </span>
        <span className="toolbar-spacer" />
        <RunningAction kind="clear-cache" />
        <button type="button" onClick={() => setConfirming(true)} disabled={locked || templates.length === 0}>
          Clear cache…
        </button>
      </div>
      <p data-testid="cache-status">{status.text}</p>
      {sorted.length === 0 ? null : (
        <table className="data-table" data-testid="templates-table">
          <thead>
            <tr>
              <th scope="col">Template</th>
              <th scope="col">Key</th>
              <th scope="col">Size</th>
              <th scope="col">Made</th>
            </tr>
          </thead>
          <tbody>
            {sorted.map((t) => (
              <tr key={t.name} data-testid="template-row" data-current={t.name === status.template ? 'true' : undefined}>
                <td className="mono-soft">
                  {t.name}
                  {t.name === status.template ? <span className="badge current">current</span> : null}
                </td>
                <td className="mono-soft" title={t.key ?? undefined}>
                  {t.key ? `${t.key.slice(0, 12)}…` : '—'}
                </td>
                <td className="num">{formatBytes(t.sizeBytes)}</td>
                <td>{formatDateTime(t.createdAt) || '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p className="muted" data-testid="templates-kept">
        Keeps the newest {plural(templatesKept, 'template')} (the profile’s <code>templatesKept</code>): each is a full copy of the database, and making a new
        one drops the oldest beyond that.
      </p>
      <ConfirmDialog
        open={confirming}
        title="Clear the template cache?"
        confirmLabel={`Drop ${plural(templates.length, 'template')}`}
        danger
        onConfirm={() => void clearCache()}
        onClose={() => setConfirming(false)}
      >
        <p>
          Drops {templates.map((t) => t.name).join(', ')}. The database itself is not touched; the next “Rebuild with drop” runs cold and caches a new template.
        </p>
      </ConfirmDialog>
    </section>
  );
}

function SnapshotSection({ snapshots, database }: { snapshots: SnapshotInfo[]; database: string }) {
  const locked = useApp((s) => actionsLocked(s) || s.copyAction?.status === 'running');
  const restore = useApp((s) => s.restoreSnapshot);
  const prune = useApp((s) => s.pruneSnapshots);
  const [restoring, setRestoring] = useState<SnapshotInfo | null>(null);
  const [keepText, setKeepText] = useState('3');
  const [confirmPrune, setConfirmPrune] = useState(false);
  const sorted = useMemo(() => newestFirst(snapshots), [snapshots]);
  const keep = /^\d{1,4}$/.test(keepText.trim()) ? Number(keepText.trim()) : null;
  const toRemove = keep === null ? [] : sorted.slice(keep);

  return (
    <section className="card" aria-labelledby="snapshots-title">
      <div className="card-title-row">
        <h2 id="snapshots-title">Safety snapshots</h2>
        <span className="muted">of {database}</span>
        <span className="toolbar-spacer" />
        <RunningAction kind="restore" />
        <RunningAction kind="prune" />
      </div>
      {sorted.length === 0 ? (
        <p className="muted" data-testid="no-snapshots">
          No snapshots. A “Rebuild with drop” takes one before it drops a database that holds rows in its tables, so nothing is lost.
        </p>
      ) : (
        <>
          <table className="data-table" data-testid="snapshots-table">
            <thead>
              <tr>
                <th scope="col">Snapshot</th>
                <th scope="col">Size</th>
                <th scope="col">Taken</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {sorted.map((snap) => (
                <tr key={snap.name} data-testid="snapshot-row" data-name={snap.name}>
                  <td className="mono-soft">{snap.name}</td>
                  <td className="num">{formatBytes(snap.sizeBytes)}</td>
                  <td>{formatDateTime(snap.createdAt) || '—'}</td>
                  <td className="row-actions">
                    <button type="button" className="small" onClick={() => setRestoring(snap)} disabled={locked} aria-label={`Restore ${snap.name}`}>
                      Restore…
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <form
            className="prune-form"
            onSubmit={(event) => {
              event.preventDefault();
              if (toRemove.length > 0) setConfirmPrune(true);
            }}
          >
            <label htmlFor="prune-keep">Keep the newest</label>
            <input
              id="prune-keep"
              type="number"
              min={0}
              max={1000}
              value={keepText}
              onChange={(e) => setKeepText(e.target.value)}
              aria-invalid={keep === null}
            />
            <span>snapshots</span>
            <button type="submit" disabled={locked || keep === null || toRemove.length === 0}>
              Prune…
            </button>
            <span className="muted small-text" aria-live="polite">
              {keep === null
                ? 'Enter a whole number, 0 or more.'
                : toRemove.length === 0
                  ? 'Nothing to remove.'
                  : `Removes ${plural(toRemove.length, 'snapshot')}.`}
            </span>
          </form>
        </>
      )}
      <RestoreDialog
        snapshot={restoring}
        databaseName={database}
        onRestore={(name, typed, typedHost) => void restore(name, typed, typedHost)}
        onClose={() => setRestoring(null)}
      />
      <ConfirmDialog
        open={confirmPrune}
        title="Prune safety snapshots?"
        confirmLabel={`Remove ${plural(toRemove.length, 'snapshot')}`}
        danger
        onConfirm={() => {
          // The names shown are the names dropped: a snapshot taken meanwhile is not among them.
          if (toRemove.length > 0) void prune(toRemove.map((s) => s.name));
        }}
        onClose={() => setConfirmPrune(false)}
      >
        <p>Keeps the newest {plural(keep ?? 0, 'snapshot')} and drops these for good:</p>
        <ul className="plain-list mono-soft">
          {toRemove.map((s) => (
            <li key={s.name}>{s.name}</li>
          ))}
        </ul>
      </ConfirmDialog>
    </section>
  );
}
