import type { AppStore } from '../../state/store';
import { layoutGraph } from './layout-graph';

/**
 * Lays out a newly loaded graph while the browser is idle, so opening the Migration
 * graph view finds the layout cached instead of computing it on the click.
 */
export function prewarmGraphLayouts(store: AppStore): () => void {
  let last: unknown = null;
  return store.subscribe((state) => {
    const graph = state.graph?.graph;
    if (!graph || graph === last) return;
    last = graph;
    const run = () => layoutGraph(graph);
    if (typeof requestIdleCallback === 'function') requestIdleCallback(run, { timeout: 2000 });
    else setTimeout(run, 50);
  });
}
