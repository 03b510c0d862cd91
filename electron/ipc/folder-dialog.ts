import type { BrowserWindow, Dialog, OpenDialogOptions } from 'electron';
import type { FrontHandlers } from '../../shared/contract/api';
import type { FolderPurpose } from '../../shared/contract/folders';
import { appError, err, ok } from '../../shared/errors/app-error';

/**
 * The desktop app's answer to the chooseFolder channel: Electron's native folder dialog,
 * attached to our window so it is modal to it. The page names a purpose, never the
 * dialog's words, so a page cannot make the dialog say anything else.
 */
const TITLES: Record<FolderPurpose, string> = {
  repository: 'Choose the backend repository (the folder that holds alembic.ini)',
  'bundled-server': 'Choose where the bundled PostgreSQL keeps its data',
};

export function folderDialog(dialog: Pick<Dialog, 'showOpenDialog'>, window: () => BrowserWindow | null): FrontHandlers['chooseFolder'] {
  return async ({ purpose, startIn }) => {
    const options: OpenDialogOptions = {
      title: TITLES[purpose],
      buttonLabel: 'Choose folder',
      properties: ['openDirectory', 'dontAddToRecent'],
      ...(startIn && startIn.trim() !== '' ? { defaultPath: startIn } : {}),
    };
    try {
      const owner = window();
      const answer = owner && !owner.isDestroyed() ? await dialog.showOpenDialog(owner, options) : await dialog.showOpenDialog(options);
      const chosen = answer.canceled ? undefined : answer.filePaths[0];
      return ok(chosen ? { kind: 'chosen', path: chosen } : { kind: 'cancelled' });
    } catch (error) {
      return err(
        appError('internal', 'The folder dialog could not be opened.', {
          detail: error instanceof Error ? error.message : String(error),
          remediation: 'Type or paste the folder’s path into the field instead.',
        }),
      );
    }
  };
}
