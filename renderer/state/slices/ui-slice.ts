import type { SliceContext, UiSlice } from '../types';

/** Which view, which gate, which dialog: state that survives a view change. */
export function createUiSlice({ set, get }: SliceContext): UiSlice {
  return {
    view: 'setup',
    selectedGate: 'E1',
    followRunningGate: true,
    rebuildDialogOpen: false,
    saveDiagnosisDialogOpen: false,
    setView: (view) => {
      set({ view });
      // Views whose content lives on the server read it when they open (a bundle carries its own parity).
      if (view === 'parity' && !get().viewing) void get().loadParity();
      if (view === 'snapshots' && !get().viewing) void get().loadCopies();
    },
    selectGate: (gate) => set({ selectedGate: gate, followRunningGate: false }),
    openRebuildDialog: () => set({ rebuildDialogOpen: true }),
    closeRebuildDialog: () => set({ rebuildDialogOpen: false }),
    openSaveDiagnosisDialog: () => set({ saveDiagnosisDialogOpen: true }),
    closeSaveDiagnosisDialog: () => set({ saveDiagnosisDialogOpen: false }),
  };
}
