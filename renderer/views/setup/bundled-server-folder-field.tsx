import { useRef } from 'react';
import { cleanTypedPath } from '../../../shared/contract/typed-path';
import { ErrorBox } from '../../components/feedback';
import { useApp } from '../../state/store-context';
import { TextField } from './text-field';

/**
 * Where the bundled PostgreSQL keeps its data: empty for the per-user default (shown as the
 * placeholder), or a folder of the user's, for instance on another disk when this one is full.
 * In the desktop app a "Choose folder…" button opens the native dialog.
 */
export function BundledServerFolderField({
  value,
  defaultDir,
  error,
  onChange,
}: {
  value: string;
  defaultDir: string;
  error?: string;
  onChange: (value: string) => void;
}) {
  const folderDialog = useApp((s) => s.folderDialog);
  const chooseFolder = useApp((s) => s.chooseFolder);
  const dialogError = useApp((s) => (s.folderDialogError?.purpose === 'bundled-server' ? s.folderDialogError.error : null));
  const choosing = useRef(false);

  const choose = async () => {
    if (choosing.current) return;
    choosing.current = true;
    try {
      const chosen = await chooseFolder('bundled-server', cleanTypedPath(value) || defaultDir);
      if (chosen !== null) onChange(chosen);
    } finally {
      choosing.current = false;
    }
  };

  return (
    <>
      <TextField
        id="embedded-dir"
        label="Data folder"
        value={value}
        onChange={onChange}
        placeholder={defaultDir}
        error={error}
        mono
        wide
        hint="Empty: the default folder, shown in grey. Another folder starts a new, empty server there; the old folder's data stays where it is."
        action={
          folderDialog ? (
            <button type="button" onClick={() => void choose()} data-testid="choose-embedded-folder">
              Choose folder…
            </button>
          ) : null
        }
      />
      {dialogError ? <ErrorBox error={dialogError} title="The folder dialog did not open" /> : null}
    </>
  );
}
