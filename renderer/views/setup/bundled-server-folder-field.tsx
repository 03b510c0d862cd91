import { cleanTypedPath } from '../../../shared/contract/typed-path';
import { ErrorBox } from '../../components/feedback';
import { TextField } from './text-field';
import { useFolderDialog } from './use-folder-dialog';

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
  const dialog = useFolderDialog('bundled-server');

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
          dialog.available ? (
            <button type="button" onClick={() => void dialog.choose(cleanTypedPath(value) || defaultDir, onChange)} data-testid="choose-embedded-folder">
              Choose folder…
            </button>
          ) : null
        }
      />
      {dialog.error ? <ErrorBox error={dialog.error} title="The folder dialog did not open" /> : null}
    </>
  );
}
