import { useState } from 'react';
import type { SnapshotInfo } from '../../../shared/contract/copies';
import { formatBytes, formatDateTime } from '../../components/format';
import { ModalDialog } from '../../components/modal-dialog';
import { looksLocal } from '../../components/looks-local';
import { useApp } from '../../state/store-context';

/**
 * Restoring replaces the database, so it takes the database's name typed exactly, as
 * Rebuild's drop does, and on a server that is not this machine its host name as well
 * (the CLI's --allow-remote); the engine checks both again before it touches anything.
 */
export function RestoreDialog({
  snapshot,
  databaseName,
  onRestore,
  onClose,
}: {
  snapshot: SnapshotInfo | null;
  databaseName: string;
  onRestore: (name: string, typed: string, typedHost?: string) => void;
  onClose: () => void;
}) {
  return (
    <ModalDialog open={snapshot !== null} title="Restore a safety snapshot" onClose={onClose}>
      {snapshot ? <RestoreForm snapshot={snapshot} databaseName={databaseName} onRestore={onRestore} onClose={onClose} /> : null}
    </ModalDialog>
  );
}

function RestoreForm({
  snapshot,
  databaseName,
  onRestore,
  onClose,
}: {
  snapshot: SnapshotInfo;
  databaseName: string;
  onRestore: (name: string, typed: string, typedHost?: string) => void;
  onClose: () => void;
}) {
  const connection = useApp((s) => s.settings?.connection ?? null);
  const server = useApp((s) => s.serverStatus?.info ?? null);
  const [typed, setTyped] = useState('');
  const [typedHost, setTypedHost] = useState('');
  const host = server?.host ?? (connection?.mode === 'embedded' ? '127.0.0.1' : (connection?.host ?? ''));
  const remote = connection?.mode === 'server' && host !== '' && !looksLocal(host);
  const confirmed = databaseName !== '' && typed === databaseName && (!remote || typedHost === host);
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        if (!confirmed) return;
        onClose();
        onRestore(snapshot.name, typed, remote ? typedHost : undefined);
      }}
    >
      <dl className="facts">
        <dt>Snapshot</dt>
        <dd className="mono break">{snapshot.name}</dd>
        <dt>Taken</dt>
        <dd>{formatDateTime(snapshot.createdAt) || 'unknown'}</dd>
        <dt>Size</dt>
        <dd>{formatBytes(snapshot.sizeBytes)}</dd>
      </dl>
      <p>
        The database <code>{databaseName}</code> is replaced by this snapshot. Its current contents are not lost: they are kept as a new snapshot first. Other
        sessions on the database are ended; roles, grants and settings are re-applied afterwards (E1–E3).
      </p>
      <div className="field">
        <label htmlFor="confirm-restore">
          Type <code>{databaseName}</code> to confirm
        </label>
        <input
          id="confirm-restore"
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
      {remote ? (
        <div className="field confirm-field">
          <label htmlFor="confirm-restore-host">
            <strong>{host}</strong> is not this computer. Type the host name <code>{host}</code> to replace the database on it
          </label>
          <input
            id="confirm-restore-host"
            type="text"
            autoComplete="off"
            spellCheck={false}
            value={typedHost}
            onChange={(e) => setTypedHost(e.target.value)}
            aria-invalid={typedHost !== '' && typedHost !== host}
          />
        </div>
      ) : null}
      <div className="dialog-actions">
        <button type="button" onClick={onClose}>
          Cancel
        </button>
        <button type="submit" className="danger" disabled={!confirmed}>
          Restore
        </button>
      </div>
    </form>
  );
}
