import { useState } from 'react';
import { migrationBlocker } from '../../components/action-blockers';
import { ModalDialog } from '../../components/modal-dialog';
import { useApp } from '../../state/store-context';
import { ConfirmFields, useServerTarget, useTypedConfirmation } from '../../components/confirm-fields';

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
  const target = useServerTarget();
  const { host, port, remote } = target;
  const confirmation = useTypedConfirmation(databaseName, target);
  const [dropExisting, setDropExisting] = useState(false);
  const [dropUnmarked, setDropUnmarked] = useState(false);
  const [skipValidation, setSkipValidation] = useState(false);
  const confirmed = !dropExisting || confirmation.confirmed;
  // What the app already knows will stop R4: said before anything is created or dropped.
  const cannotMigrate = useApp(migrationBlocker);

  const submit = () => {
    if (!confirmed) return;
    onClose();
    setView('gates');
    void startJob({
      kind: 'rebuild',
      dropExisting,
      ...(dropExisting
        ? {
            confirmDatabaseName: confirmation.typedName,
            confirmUnmarked: dropUnmarked,
            ...(remote ? { confirmRemoteHost: confirmation.typedHost } : {}),
          }
        : {}),
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
      {cannotMigrate ? (
        <p className="tone-warn" role="status" data-testid="rebuild-cannot-migrate">
          ⚠ The last check of the interpreter found that Python cannot run the migrations ({cannotMigrate}): the rebuild would stop at R4,{' '}
          {dropExisting
            ? 'and would not drop the database unless a cached copy of these migrations can replace it.'
            : 'after creating the roles and the database.'}{' '}
          Setup lists each line with the command that fixes it.
        </p>
      ) : null}
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
        <ConfirmFields
          databaseName={databaseName}
          target={target}
          confirmation={confirmation}
          ids={{ name: 'confirm-db', host: 'confirm-host' }}
          hostConsequence="drop a database on it"
          indented
        />
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
