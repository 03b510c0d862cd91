import type { AppStore } from '../../state/store';
import { requestLayout } from './layout-client';
import { graphPins } from './graph-pins';

/**
 * Lays out a newly loaded graph in the worker as soon as it arrives, so opening the
 * Migration graph view finds the layout cached instead of waiting for it.
 */
export function prewarmGraphLayouts(store: AppStore): () => void {
  let last: unknown = null;
  return store.subscribe((state) => {
    const view = state.graph;
    if (!view || view.graph === last) return;
    last = view.graph;
    void requestLayout(view.graph, graphPins(view, null).pinned, []).catch(() => undefined);
  });
}
