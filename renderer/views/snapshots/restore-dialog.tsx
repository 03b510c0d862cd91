import { useState } from 'react';
import type { SnapshotInfo } from '../../../shared/contract/copies';
import { formatBytes, formatDateTime } from '../../components/format';
import { ModalDialog } from '../../components/modal-dialog';

/**
 * Restoring replaces the database, so it takes the database's name typed exactly, as
 * Rebuild's drop does; the engine checks the same name again before it touches anything.
 */
export function RestoreDialog({
  snapshot,
  databaseName,
  onRestore,
  onClose,
}: {
  snapshot: SnapshotInfo | null;
  databaseName: string;
  onRestore: (name: string, typed: string) => void;
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
  onRestore: (name: string, typed: string) => void;
  onClose: () => void;
}) {
  const [typed, setTyped] = useState('');
  const confirmed = databaseName !== '' && typed === databaseName;
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        if (!confirmed) return;
        onClose();
        onRestore(snapshot.name, typed);
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
        {typed !== '' && !confirmed ? <span className="field-error">The name does not match.</span> : null}
      </div>
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
