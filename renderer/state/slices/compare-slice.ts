import { bundleFromText } from '../../../shared/bundle/bundle';
import { IDLE, type CompareSide, type CompareSlice, type SliceContext } from '../types';

/**
 * The Compare view's two sides, each a bundle: a file the user opened, this machine
 * saved as a bundle on the spot, or the diagnosis being viewed. The comparison itself
 * is shared/bundle/compare-bundles.ts, the same function `skeldir-rebuild compare` runs.
 */
const EMPTY_SIDE: CompareSide = { ...IDLE, source: null, label: '', bundle: null };

export function createCompareSlice({ set, get, api, serverCall }: SliceContext): CompareSlice {
  const setSide = (side: 'a' | 'b', value: CompareSide) => set((state) => ({ compare: { ...state.compare, [side]: value } }));
  return {
    compare: { a: EMPTY_SIDE, b: EMPTY_SIDE },

    async compareWithFile(side, name, text) {
      const source = 'file';
      setSide(side, { status: 'loading', error: null, source, label: name, bundle: null });
      const result = await api.openDiagnosis({ name, text });
      setSide(
        side,
        result.ok
          ? { status: 'ready', error: null, source, label: name, bundle: result.value }
          : { status: 'error', error: result.error, source, label: name, bundle: null },
      );
    },

    async compareWithLive(side) {
      // The view adds when it was read (compare-side-label.ts): the bundle's own time, known once it is read.
      const source = 'live';
      const label = 'This machine';
      setSide(side, { status: 'loading', error: null, source, label, bundle: null });
      const saved = await serverCall(() => api.saveDiagnosis({ format: 'json' }));
      if (!saved.ok) {
        setSide(side, { status: 'error', error: saved.error, source, label, bundle: null });
        return;
      }
      // The engine's own JSON, read back with the same parser "Open diagnosis…" uses.
      const parsed = bundleFromText(saved.value.content, saved.value.fileName);
      setSide(
        side,
        parsed.ok
          ? { status: 'ready', error: null, source, label, bundle: parsed.value }
          : { status: 'error', error: parsed.error, source, label, bundle: null },
      );
    },

    compareWithViewing(side) {
      const viewing = get().viewing;
      if (viewing) setSide(side, { status: 'ready', error: null, source: 'viewing', label: viewing.name, bundle: viewing.bundle });
    },

    clearCompareSide(side) {
      setSide(side, EMPTY_SIDE);
    },
  };
}
