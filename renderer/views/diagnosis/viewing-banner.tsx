import { ErrorBox } from '../../components/feedback';
import { OPEN_DIAGNOSIS_BUTTON_ID } from '../../components/shell/diagnosis-files';
import { bundleOrigin } from '../../state/bundle-view';
import { useApp } from '../../state/store-context';

/**
 * While a diagnosis file is open, every view shows it: this banner says so on every
 * screen, and Close brings the live state back.
 */
export function ViewingBanner() {
  const viewing = useApp((s) => s.viewing);
  const close = useApp((s) => s.closeDiagnosis);
  const openError = useApp((s) => s.openLoad.error);
  const dismiss = useApp((s) => s.dismissOpenError);
  // Close removes the banner and its button with it: focus goes back to what opened the file, not to <body>.
  const closeAndReturnFocus = () => {
    close();
    document.getElementById(OPEN_DIAGNOSIS_BUTTON_ID)?.focus();
  };
  return (
    <>
      {openError ? (
        <div className="banner">
          <ErrorBox error={openError} title="The diagnosis could not be opened" onDismiss={dismiss} />
        </div>
      ) : null}
      {viewing ? (
        <div className="viewing-banner" role="region" aria-label="Viewing a diagnosis file" data-testid="viewing-banner">
          {/* Drawn inline: a symbol font may lack a document glyph, and the CSP allows no icon font. */}
          <svg className="viewing-icon" viewBox="0 0 24 24" width="22" height="22" aria-hidden="true" focusable="false">
            <path
              d="M6 3h8l4 4v14H6zM14 3v4h4M9 12h6M9 16h6"
              fill="none"
              stroke="currentColor"
              strokeWidth="1.7"
              strokeLinecap="round"
              strokeLinejoin="round"
            />
          </svg>
          <div className="viewing-text">
            <strong>Viewing diagnosis from {bundleOrigin(viewing.bundle)} — not live</strong>
            <span className="muted">
              {viewing.name} · profile {viewing.bundle.profile.name} · {viewing.bundle.app.name} {viewing.bundle.app.version}. Actions are disabled.
            </span>
          </div>
          <button type="button" onClick={closeAndReturnFocus}>
            Close
          </button>
        </div>
      ) : null}
    </>
  );
}
