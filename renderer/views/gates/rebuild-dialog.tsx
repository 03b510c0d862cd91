import { useState } from 'react';
import { ModalDialog } from '../../components/modal-dialog';
import { useApp } from '../../state/store-context';

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
  const startJob = useApp((s) => s.startJob);
  const setView = useApp((s) => s.setView);
  const [dropExisting, setDropExisting] = useState(false);
  const [typed, setTyped] = useState('');
  const [skipValidation, setSkipValidation] = useState(false);
  const confirmed = !dropExisting || (databaseName !== '' && typed === databaseName);

  const submit = () => {
    if (!confirmed) return;
    onClose();
    setView('gates');
    void startJob({
      kind: 'rebuild',
      dropExisting,
      ...(dropExisting ? { confirmDatabaseName: typed } : {}),
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
        Runs every gate: E1 diagnosis → E2–E3 roles, database, grants and settings → R4 migrations (planned, so a multi-head graph needs no
        hand-made two-step) → VERIFY → R5 validation tests.
      </p>
      <label className="check">
        <input type="checkbox" checked={dropExisting} onChange={(e) => setDropExisting(e.target.checked)} />
        <span>
          Drop the existing database first <span className="muted">(all its data is lost)</span>
        </span>
      </label>
      {dropExisting ? (
        <div className="field confirm-field">
          <label htmlFor="confirm-db">
            Type <code>{databaseName}</code> to confirm
          </label>
          <input id="confirm-db" type="text" autoComplete="off" spellCheck={false} value={typed} onChange={(e) => setTyped(e.target.value)} autoFocus aria-invalid={typed !== '' && !confirmed} />
          {typed !== '' && !confirmed ? <span className="field-error">The name does not match.</span> : null}
        </div>
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
