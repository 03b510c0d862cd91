import { bundleViewing } from '../bundle-view';
import { IDLE, type BundleSlice, type SliceContext } from '../types';

/**
 * Diagnostic bundles: saving this machine's state, and opening someone else's
 * read-only. While a bundle is open every view reads it instead of the live state (see
 * shown.ts), and every action that would change a database is disabled; the live state
 * keeps updating underneath and is back on Close.
 */
export function createBundleSlice({ set, api, serverCall }: SliceContext): BundleSlice {
  return {
    viewing: null,
    openLoad: IDLE,
    diagnosisSave: IDLE,

    async openDiagnosis(name, text) {
      set({ openLoad: { status: 'loading', error: null } });
      const result = await api.openDiagnosis({ name, text });
      if (!result.ok) {
        set({ openLoad: { status: 'error', error: result.error } });
        return false;
      }
      set({ viewing: bundleViewing(result.value, name), openLoad: { status: 'ready', error: null }, selectedRevision: null });
      return true;
    },

    closeDiagnosis() {
      set({ viewing: null, openLoad: IDLE, selectedRevision: null });
    },

    async saveDiagnosis(format) {
      set({ diagnosisSave: { status: 'loading', error: null } });
      // Collecting reads the server (it may start the bundled one).
      const result = await serverCall(() => api.saveDiagnosis({ format }));
      if (!result.ok) {
        set({ diagnosisSave: { status: 'error', error: result.error } });
        return null;
      }
      set({ diagnosisSave: { status: 'ready', error: null } });
      return result.value;
    },

    dismissOpenError() {
      set({ openLoad: IDLE });
    },
  };
}
