import { useRef } from 'react';
import type { FolderPurpose } from '../../../shared/contract/folders';
import type { AppError } from '../../../shared/errors/app-error';
import { useApp } from '../../state/store-context';

/**
 * A Setup field's folder dialog: whether this front has one (the desktop app), `choose`
 * opening it where the field points (one dialog at a time, however fast the clicks), and
 * why it could not open, for this field only.
 */
export function useFolderDialog(purpose: FolderPurpose): {
  available: boolean;
  choose: (startIn: string, onChosen: (folder: string) => void) => Promise<void>;
  error: AppError | null;
} {
  const available = useApp((s) => s.folderDialog);
  const chooseFolder = useApp((s) => s.chooseFolder);
  const error = useApp((s) => (s.folderDialogError?.purpose === purpose ? s.folderDialogError.error : null));
  const choosing = useRef(false);
  const choose = async (startIn: string, onChosen: (folder: string) => void) => {
    if (choosing.current) return;
    choosing.current = true;
    try {
      const chosen = await chooseFolder(purpose, startIn);
      if (chosen !== null) onChosen(chosen);
    } finally {
      choosing.current = false;
    }
  };
  return { available, choose, error };
}
