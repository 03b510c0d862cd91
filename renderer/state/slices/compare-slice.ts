import { bundleFromText } from '../../../shared/bundle/bundle';
import { IDLE, type CompareSide, type CompareSlice, type SliceContext } from '../types';

/**
 * The Compare view's two sides, each a bundle: a file the user opened, this machine
 * saved as a bundle on the spot, or the diagnosis being viewed. The comparison itself
 * is shared/bundle/compare-bundles.ts, the same function `skeldir-rebuild compare` runs.
 */
const EMPTY_SIDE: CompareSide = { ...IDLE, label: '', bundle: null };

export function createCompareSlice({ set, get, api, serverCall }: SliceContext): CompareSlice {
  const setSide = (side: 'a' | 'b', value: CompareSide) => set((state) => ({ compare: { ...state.compare, [side]: value } }));
  return {
    compare: { a: EMPTY_SIDE, b: EMPTY_SIDE },

    async compareWithFile(side, name, text) {
      setSide(side, { status: 'loading', error: null, label: name, bundle: null });
      const result = await api.openDiagnosis({ name, text });
      setSide(
        side,
        result.ok ? { status: 'ready', error: null, label: name, bundle: result.value } : { status: 'error', error: result.error, label: name, bundle: null },
      );
    },

    async compareWithLive(side) {
      const label = 'This machine (live)';
      setSide(side, { status: 'loading', error: null, label, bundle: null });
      const saved = await serverCall(() => api.saveDiagnosis({ format: 'json' }));
      if (!saved.ok) {
        setSide(side, { status: 'error', error: saved.error, label, bundle: null });
        return;
      }
      // The engine's own JSON, read back with the same parser "Open diagnosis…" uses.
      const parsed = bundleFromText(saved.value.content, saved.value.fileName);
      setSide(side, parsed.ok ? { status: 'ready', error: null, label, bundle: parsed.value } : { status: 'error', error: parsed.error, label, bundle: null });
    },

    compareWithViewing(side) {
      const viewing = get().viewing;
      if (viewing) setSide(side, { status: 'ready', error: null, label: viewing.name, bundle: viewing.bundle });
    },

    clearCompareSide(side) {
      setSide(side, EMPTY_SIDE);
    },
  };
}
