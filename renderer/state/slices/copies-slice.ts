import { applyOperationReport } from '../run-state';
import { IDLE, type CopiesSlice, type CopyAction, type CopyActionKind, type SliceContext } from '../types';

const snapshots = (count: number) => `${count} snapshot${count === 1 ? '' : 's'}`;

/**
 * Safety snapshots and cache templates: the list, and the three actions on it. Each
 * action ends by reading the list again, so the view never shows a copy that is gone;
 * its outcome (a sentence or the AppError) stays until the next action.
 */
export function createCopiesSlice({ set, get, api, serverCall }: SliceContext): CopiesSlice {
  const begin = (kind: CopyActionKind, message: string) => set({ copyAction: { kind, status: 'running', message, error: null } });
  const end = (action: CopyAction) => {
    set({ copyAction: action });
    void get().loadCopies();
  };

  return {
    copies: null,
    copiesLoad: IDLE,
    copyAction: null,
    lastCache: null,

    async loadCopies() {
      set({ copiesLoad: { status: 'loading', error: null } });
      // Listing may start the bundled server: one such call at a time.
      const result = await serverCall(() => api.listCopies({}));
      if (result.ok) set({ copies: result.value, copiesLoad: { status: 'ready', error: null } });
      else set({ copiesLoad: { status: 'error', error: result.error } });
    },

    async clearCache() {
      begin('clear-cache', 'Dropping the cache templates…');
      const result = await serverCall(() => api.clearCache({}));
      if (!result.ok) {
        end({ kind: 'clear-cache', status: 'error', message: 'The cache was not cleared.', error: result.error });
        return false;
      }
      const removed = result.value.removed;
      end({
        kind: 'clear-cache',
        status: 'done',
        message: removed.length ? `Cache cleared: dropped ${removed.join(', ')}. The next rebuild with drop runs cold.` : 'There was no template to drop.',
        error: null,
      });
      set({ lastCache: null });
      return true;
    },

    async restoreSnapshot(name, confirmDatabaseName, confirmRemoteHost) {
      begin('restore', `Restoring ${name}…`);
      const result = await serverCall(() =>
        api.restoreSnapshot({ name, confirmDatabaseName, ...(confirmRemoteHost !== undefined ? { confirmRemoteHost } : {}) }),
      );
      if (!result.ok) {
        end({ kind: 'restore', status: 'error', message: `${name} was not restored.`, error: result.error });
        return false;
      }
      const { restored, previous, report } = result.value;
      end({
        kind: 'restore',
        status: 'done',
        message: `Restored ${restored}.${previous ? ` The database as it was before is kept as snapshot ${previous}.` : ''} Roles, grants and settings were re-applied (E1–E3).`,
        error: null,
      });
      // The restore ran E1–E3: its report is now the last run, and the graph's overlay changed.
      set((state) => ({ ...applyOperationReport(state, report), findings: report.findings }));
      void get().loadGraph();
      return true;
    },

    async cancelRestore() {
      // Not through serverCall: that queue holds the restore itself until it ends.
      if (get().copyAction?.kind !== 'restore' || get().copyAction?.status !== 'running') return;
      set({ copyAction: { kind: 'restore', status: 'running', message: 'Cancelling the restore…', error: null, cancelling: true } });
      await api.cancelRestore({});
    },

    async pruneSnapshots(names) {
      begin('prune', `Removing ${snapshots(names.length)}…`);
      const result = await serverCall(() => api.pruneSnapshots({ names }));
      if (!result.ok) {
        end({ kind: 'prune', status: 'error', message: 'The snapshots were not pruned.', error: result.error });
        return false;
      }
      const removed = result.value.removed;
      end({
        kind: 'prune',
        status: 'done',
        message: removed.length ? `Removed ${snapshots(removed.length)}: ${removed.join(', ')}.` : 'Nothing to remove.',
        error: null,
      });
      return true;
    },

    dismissCopyAction() {
      set({ copyAction: null });
    },
  };
}
