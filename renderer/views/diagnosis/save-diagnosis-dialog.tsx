import { useState } from 'react';
import { downloadText } from '../../components/download';
import { ErrorBox, Spinner } from '../../components/feedback';
import { ModalDialog } from '../../components/modal-dialog';
import { useApp } from '../../state/store-context';

/**
 * "Save diagnosis": one self-contained file for support staff, as JSON (opens in the
 * app and in `skeldir-rebuild compare`) or as a static HTML page (opens in any browser,
 * offline). The engine collects it with every secret redacted.
 */
export function SaveDiagnosisDialog() {
  const open = useApp((s) => s.saveDiagnosisDialogOpen);
  const close = useApp((s) => s.closeSaveDiagnosisDialog);
  return (
    <ModalDialog open={open} title="Save diagnosis" onClose={close}>
      {open ? <SaveForm onClose={close} /> : null}
    </ModalDialog>
  );
}

function SaveForm({ onClose }: { onClose: () => void }) {
  const save = useApp((s) => s.saveDiagnosis);
  const load = useApp((s) => s.diagnosisSave);
  const [format, setFormat] = useState<'json' | 'html'>('json');
  const [saved, setSaved] = useState<string | null>(null);
  const busy = load.status === 'loading';

  const submit = async () => {
    setSaved(null);
    const file = await save(format);
    if (!file) return;
    downloadText(file.fileName, file.mimeType, file.content);
    setSaved(file.fileName);
  };

  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <p className="muted">
        A read-only diagnosis (E1), the findings, the migration graph with the database’s state, the parity matrix, the interpreter check and the last run’s
        gates and log tails, with app and server versions. Passwords and other secrets are redacted.
      </p>
      <fieldset className="choice">
        <legend>Format</legend>
        <label className="check">
          <input type="radio" name="bundle-format" value="json" checked={format === 'json'} onChange={() => setFormat('json')} />
          <span>
            <strong>JSON</strong>{' '}
            <span className="muted">
              — opens in Skeldir Rebuild (“Open diagnosis…”, Compare) and in <code>skeldir-rebuild compare</code>
            </span>
          </span>
        </label>
        <label className="check">
          <input type="radio" name="bundle-format" value="html" checked={format === 'html'} onChange={() => setFormat('html')} />
          <span>
            <strong>HTML page</strong> <span className="muted">— opens in any browser without network access, and in the app too</span>
          </span>
        </label>
      </fieldset>
      {busy ? <Spinner label="Diagnosing and collecting…" /> : null}
      {load.status === 'error' && load.error ? <ErrorBox error={load.error} title="The diagnosis could not be saved" /> : null}
      {saved && !busy ? (
        <div className="success-box" role="status" data-testid="diagnosis-saved">
          ✓ Saved as {saved}
        </div>
      ) : null}
      <div className="dialog-actions">
        <button type="button" onClick={onClose}>
          {saved ? 'Close' : 'Cancel'}
        </button>
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Saving…' : saved ? 'Save again' : 'Save'}
        </button>
      </div>
    </form>
  );
}
