import { useState } from 'react';
import { ModalDialog } from '../../components/modal-dialog';
import { useApp } from '../../state/store-context';
import { looksLocal } from '../../components/looks-local';

/**
 * Rebuild's confirmation. Dropping the database destroys data, so it takes the
 * database's name typed exactly (GitHub's "type the repository name" pattern); the
 * engine checks the same name again before it drops anything.
 */
export function RebuildDialog() {
  const open = useApp((s) => s.rebuildDialogOpen);
  const close = useApp((s) => s.closeRebuildDialog);
  return (
    <ModalDialog open={open} title="Rebuild the local database" onClose={close}>
      {open ? <RebuildForm onClose={close} /> : null}
    </ModalDialog>
  );
}

function RebuildForm({ onClose }: { onClose: () => void }) {
  const databaseName = useApp((s) => s.settings?.databaseName ?? '');
  const connection = useApp((s) => s.settings?.connection ?? null);
  const server = useApp((s) => s.serverStatus?.info ?? null);
  const startJob = useApp((s) => s.startJob);
  const setView = useApp((s) => s.setView);
  const [dropExisting, setDropExisting] = useState(false);
  const [typed, setTyped] = useState('');
  const [dropUnmarked, setDropUnmarked] = useState(false);
  const [typedHost, setTypedHost] = useState('');
  const [skipValidation, setSkipValidation] = useState(false);
  const host = server?.host ?? (connection?.mode === 'embedded' ? '127.0.0.1' : (connection?.host ?? ''));
  const port = server?.port ?? connection?.port ?? null;
  const remote = connection?.mode === 'server' && host !== '' && !looksLocal(host);
  const confirmed = !dropExisting || (databaseName !== '' && typed === databaseName && (!remote || typedHost === host));

  const submit = () => {
    if (!confirmed) return;
    onClose();
    setView('gates');
    void startJob({
      kind: 'rebuild',
      dropExisting,
      ...(dropExisting ? { confirmDatabaseName: typed, confirmUnmarked: dropUnmarked, ...(remote ? { confirmRemoteHost: typedHost } : {}) } : {}),
      skipValidation,
    });
  };

  return (
    <form
      className="rebuild-form"
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <p className="muted">
        Runs every gate: E1 diagnosis → E2–E3 roles, database, grants and settings → R4 migrations (planned, so a multi-head graph needs no hand-made two-step)
        → VERIFY → R5 validation tests.
      </p>
      <dl className="rebuild-target">
        <dt>Server</dt>
        <dd>
          <code>
            {host || 'not set'}
            {port ? `:${port}` : ''}
          </code>
          {server?.version ? ` \u00b7 PostgreSQL ${server.version}` : ''}
          {connection?.mode === 'embedded' ? ' \u00b7 bundled' : ''}
        </dd>
        <dt>Database</dt>
        <dd>
          <code>{databaseName}</code>
        </dd>
      </dl>
      <label className="check">
        <input type="checkbox" checked={dropExisting} onChange={(e) => setDropExisting(e.target.checked)} />
        <span>
          Drop the existing database first <span className="muted">(if it holds rows, a safety snapshot is taken first and listed under Snapshots)</span>
        </span>
      </label>
      {dropExisting ? (
        <div className="field confirm-field">
          <label htmlFor="confirm-db">
            Type <code>{databaseName}</code> to confirm
          </label>
          <input
            id="confirm-db"
            type="text"
            autoComplete="off"
            spellCheck={false}
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
            autoFocus
            aria-invalid={typed !== '' && !confirmed}
          />
          {typed !== '' && typed !== databaseName ? <span className="field-error">The name does not match.</span> : null}
        </div>
      ) : null}
      {dropExisting && remote ? (
        <div className="field confirm-field">
          <label htmlFor="confirm-host">
            <strong>{host}</strong> is not this computer. Type the host name <code>{host}</code> to drop a database on it
          </label>
          <input
            id="confirm-host"
            type="text"
            autoComplete="off"
            spellCheck={false}
            value={typedHost}
            onChange={(e) => setTypedHost(e.target.value)}
            aria-invalid={typedHost !== '' && typedHost !== host}
          />
        </div>
      ) : null}
      {dropExisting ? (
        <label className="check">
          <input type="checkbox" checked={dropUnmarked} onChange={(e) => setDropUnmarked(e.target.checked)} />
          <span>
            Also drop it if this app did not create it{' '}
            <span className="muted">(a database made by hand or by the old script has no ownership marker; without this, the drop is refused)</span>
          </span>
        </label>
      ) : null}
      <label className="check">
        <input type="checkbox" checked={skipValidation} onChange={(e) => setSkipValidation(e.target.checked)} />
        <span>
          Skip the validation tests (R5) <span className="muted">— faster; parity cannot confirm test execution</span>
        </span>
      </label>
      <div className="dialog-actions">
        <button type="button" onClick={onClose}>
          Cancel
        </button>
        <button type="submit" className={dropExisting ? 'danger' : 'primary'} disabled={!confirmed}>
          {dropExisting ? 'Drop and rebuild' : 'Rebuild'}
        </button>
      </div>
    </form>
  );
}
