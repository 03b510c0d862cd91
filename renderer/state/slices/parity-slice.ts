import { IDLE, type ParitySlice, type SliceContext } from '../types';

/**
 * The CI/local parity matrix as the engine computes it (one implementation, shared
 * with the CLI's bundle). Read when the Parity view opens and after every run.
 */
export function createParitySlice({ set, api }: SliceContext): ParitySlice {
  let generation = 0;
  return {
    parity: null,
    parityLoad: IDLE,
    async loadParity() {
      // Only the newest answer counts: a slow read must not overwrite a later one.
      const mine = ++generation;
      set({ parityLoad: { status: 'loading', error: null } });
      const result = await api.getParity({});
      if (mine !== generation) return;
      if (result.ok) set({ parity: result.value, parityLoad: { status: 'ready', error: null } });
      else set({ parityLoad: { status: 'error', error: result.error } });
    },
  };
}
