import type { SliceContext, UiSlice } from '../types';

/** Which view, which gate, which dialog: state that survives a view change. */
export function createUiSlice({ set }: SliceContext): UiSlice {
  return {
    view: 'setup',
    selectedGate: 'E1',
    followRunningGate: true,
    rebuildDialogOpen: false,
    setView: (view) => set({ view }),
    selectGate: (gate) => set({ selectedGate: gate, followRunningGate: false }),
    openRebuildDialog: () => set({ rebuildDialogOpen: true }),
    closeRebuildDialog: () => set({ rebuildDialogOpen: false }),
  };
}
