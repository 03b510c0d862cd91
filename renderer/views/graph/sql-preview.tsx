import { useState } from 'react';
import { ErrorBox, Spinner } from '../../components/feedback';
import { useApp } from '../../state/store-context';

/**
 * "Preview SQL" for one target: a button, then the SQL Alembic's offline mode would
 * run for the planned upgrade, in a scrollable block with Copy. Nothing touches the
 * database; the preview only reads alembic_version to know where to start.
 */
export function SqlPreviewButton({ target, label = 'Preview SQL' }: { target: string; label?: string }) {
  const preview = useApp((s) => s.previewSql);
  const loading = useApp((s) => s.sqlPreview?.target === target && s.sqlPreview.status === 'loading');
  const viewing = useApp((s) => s.viewing !== null);
  return (
    <button
      type="button"
      onClick={() => void preview(target)}
      disabled={loading || viewing}
      title={viewing ? 'Not live: the preview runs this machine’s Alembic.' : `The SQL of alembic upgrade ${target}, in offline mode: nothing is run`}
      data-testid="preview-sql"
    >
      {loading ? 'Previewing…' : label}
    </button>
  );
}

export function SqlPreviewPanel({ target }: { target: string }) {
  const preview = useApp((s) => (s.sqlPreview?.target === target ? s.sqlPreview : null));
  const close = useApp((s) => s.closeSqlPreview);
  const [copied, setCopied] = useState<'idle' | 'done' | 'failed'>('idle');
  if (!preview) return null;
  const copy = () => {
    navigator.clipboard.writeText(preview.sql).then(
      () => setCopied('done'),
      () => setCopied('failed'),
    );
    setTimeout(() => setCopied('idle'), 2000);
  };
  const lines = preview.sql ? preview.sql.split('\n').length : 0;
  return (
    <section className="sql-preview" aria-label={`SQL preview for ${target}`} data-testid="sql-preview" data-status={preview.status}>
      <div className="sql-preview-head">
        <h4>
          SQL for <code>alembic upgrade {target}</code>
        </h4>
        <button type="button" className="ghost small" onClick={close} aria-label="Close the SQL preview">
          ✕
        </button>
      </div>
      {preview.status === 'loading' ? <Spinner label="Running Alembic in offline mode…" /> : null}
      {preview.status === 'error' && preview.error ? <ErrorBox error={preview.error} title="The SQL could not be previewed" /> : null}
      {preview.status === 'ready' ? (
        <>
          <div className="sql-preview-tools">
            <span className="muted small-text">
              {lines.toLocaleString()} line{lines === 1 ? '' : 's'} · offline mode, nothing was run
            </span>
            <button type="button" className="small" onClick={copy}>
              {copied === 'done' ? 'Copied' : copied === 'failed' ? 'Select and copy' : 'Copy'}
            </button>
          </div>
          {/* Focusable so keyboard users can scroll it; the text is selectable for Ctrl+C. */}
          <pre className="sql-code" tabIndex={0} aria-label="SQL">
            <code>{preview.sql}</code>
          </pre>
        </>
      ) : null}
    </section>
  );
}
