import type { FolderPurpose } from '../../../shared/contract/folders';
import type { FolderSlice, SliceContext } from '../types';

/**
 * Setup's folder help: the live check of the typed repository folder and the folder
 * dialog. An answer for a path the user has typed past is dropped, so a slow check of
 * "C:\Users" never overwrites the one for the folder now in the field.
 */
export function createFolderSlice({ set, get, api }: SliceContext, folderDialog: boolean): FolderSlice {
  return {
    folderDialog,
    repoFolderCheck: { typed: '', status: 'idle', check: null, error: null },
    async checkRepoFolder(typed: string) {
      if (typed.trim() === '') {
        set({ repoFolderCheck: { typed, status: 'idle', check: null, error: null } });
        return;
      }
      set({ repoFolderCheck: { typed, status: 'checking', check: null, error: null } });
      const result = await api.checkRepoFolder({ path: typed });
      if (get().repoFolderCheck.typed !== typed) return;
      set({
        repoFolderCheck: result.ok ? { typed, status: 'done', check: result.value, error: null } : { typed, status: 'error', check: null, error: result.error },
      });
    },
    async chooseFolder(purpose: FolderPurpose, startIn: string) {
      const result = await api.chooseFolder({ purpose, ...(startIn.trim() !== '' ? { startIn: startIn.trim() } : {}) });
      if (!result.ok) {
        set({ folderDialogError: { purpose, error: result.error } });
        return null;
      }
      set({ folderDialogError: null });
      return result.value.kind === 'chosen' ? result.value.path : null;
    },
    folderDialogError: null,
  };
}
