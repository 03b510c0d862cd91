import { useApp } from '../../state/store-context';
import { BUNDLE_ACCEPT, FilePickButton } from '../file-pick-button';

/** The "Open diagnosis…" button's id: closing the opened file gives focus back to it, as a dialog gives it back to its opener. */
export const OPEN_DIAGNOSIS_BUTTON_ID = 'open-diagnosis-button';

/**
 * Save and open diagnosis files, at the foot of the navigation: always in reach, and
 * the header keeps its room for the run's own actions at 1280 px.
 */
export function DiagnosisFiles() {
  const ready = useApp((s) => s.settings !== null);
  const viewing = useApp((s) => s.viewing !== null);
  const openSave = useApp((s) => s.openSaveDiagnosisDialog);
  const openDiagnosis = useApp((s) => s.openDiagnosis);
  const opening = useApp((s) => s.openLoad.status === 'loading');
  return (
    <div className="nav-footer" role="group" aria-labelledby="diagnosis-files-title">
      <div id="diagnosis-files-title" className="nav-section-title">
        Diagnosis file
      </div>
      <button
        type="button"
        className="small"
        onClick={openSave}
        disabled={!ready || viewing}
        title={viewing ? 'Close the open diagnosis first' : 'Save this machine’s diagnosis (JSON or HTML) for support staff'}
      >
        Save diagnosis…
      </button>
      <FilePickButton
        className="small"
        label={opening ? 'Opening…' : 'Open diagnosis…'}
        accept={BUNDLE_ACCEPT}
        onFile={(name, text) => void openDiagnosis(name, text)}
        disabled={opening}
        testId="open-diagnosis-input"
        id={OPEN_DIAGNOSIS_BUTTON_ID}
      />
    </div>
  );
}
