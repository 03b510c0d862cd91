import type { SnapshotInfo } from '../../../shared/contract/copies';
import { formatBytes, formatDateTime } from '../../components/format';
import { ModalDialog } from '../../components/modal-dialog';
import { ConfirmFields, useServerTarget, useTypedConfirmation } from '../../components/confirm-fields';

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
  const target = useServerTarget();
  const confirmation = useTypedConfirmation(databaseName, target);
  const { confirmed } = confirmation;
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        if (!confirmed) return;
        onClose();
        onRestore(snapshot.name, confirmation.typedName, target.remote ? confirmation.typedHost : undefined);
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
      <ConfirmFields
        databaseName={databaseName}
        target={target}
        confirmation={confirmation}
        ids={{ name: 'confirm-restore', host: 'confirm-restore-host' }}
        hostConsequence="replace the database on it"
        indented={false}
      />
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
