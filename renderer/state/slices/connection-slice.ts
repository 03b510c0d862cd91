import type { SettingsInput } from '../../../shared/contract/settings';
import { errorCause } from '../../../shared/errors/app-error';
import { IDLE, type ConnectionSlice, type SliceContext } from '../types';

/** Settings and the connection test. Saving refreshes what depends on the settings. */
export function createConnectionSlice({ set, get, api, serverCall }: SliceContext): ConnectionSlice {
  return {
    settings: null,
    settingsLoad: IDLE,
    saveLoad: IDLE,
    connectionTest: { ...IDLE, server: null },
    serverStatus: null,

    async loadSettings() {
      set({ settingsLoad: { status: 'loading', error: null } });
      const result = await api.getSettings({});
      if (result.ok) set({ settings: result.value, settingsLoad: { status: 'ready', error: null } });
      else set({ settingsLoad: { status: 'error', error: result.error } });
    },

    async saveSettings(input: SettingsInput) {
      // The old test result described the old settings; a save that moves the bundled server takes seconds to stop it.
      set({ saveLoad: { status: 'loading', error: null }, connectionTest: { ...IDLE, server: null } });
      const result = await api.saveSettings(input);
      if (!result.ok) {
        set({ saveLoad: { status: 'error', error: result.error } });
        return false;
      }
      set({
        settings: result.value,
        saveLoad: { status: 'ready', error: null },
        connectionTest: { ...IDLE, server: null },
        serverStatus: null,
        parity: null,
        copies: null,
        // A job refused for the old settings (an invalid profile, a missing folder) speaks of them no more.
        jobError: null,
      });
      void get().checkPrerequisites();
      // The header should speak about the server just chosen; the graph overlay needs it too.
      void get()
        .testConnection()
        .then(() => get().loadGraph());
      return true;
    },

    async testConnection() {
      set({ connectionTest: { status: 'loading', error: null, server: get().connectionTest.server } });
      const result = await serverCall(() => api.testConnection({}));
      const at = Date.now();
      if (result.ok) {
        set({ connectionTest: { status: 'ready', error: null, server: result.value }, serverStatus: { info: result.value, error: null, at } });
      } else if (errorCause(result.error.code) === 'input') {
        // Refused before any connection (an invalid profile): nothing was learnt of the server.
        set({ connectionTest: { status: 'error', error: result.error, server: null } });
      } else {
        set({ connectionTest: { status: 'error', error: result.error, server: null }, serverStatus: { info: null, error: result.error, at } });
      }
    },
  };
}
