import { IDLE, type GraphSlice, type SliceContext } from '../types';

/** The migration graph with the database's state over it. */
export function createGraphSlice({ set, get, api, serverCall }: SliceContext): GraphSlice {
  return {
    graph: null,
    graphLoad: IDLE,
    selectedRevision: null,
    graphExpanded: [],
    graphShowDepends: true,
    graphMinimap: true,
    graphUpgradeTarget: null,

    async loadGraph() {
      if (!get().settings?.repoDir) {
        set({ graph: null, graphLoad: IDLE, selectedRevision: null });
        return;
      }
      // The previous graph stays on screen while the new one loads.
      set({ graphLoad: { status: 'loading', error: null } });
      const result = await serverCall(() => api.loadGraph({ withState: true }));
      if (result.ok) {
        const selected = get().selectedRevision;
        set({
          graph: result.value,
          graphLoad: { status: 'ready', error: null },
          // A new graph starts folded: the runs expanded before may not exist in it.
          graphExpanded: [],
          selectedRevision: selected && result.value.graph.revisions[selected] ? selected : null,
        });
      } else {
        set({ graph: null, graphLoad: { status: 'error', error: result.error } });
      }
    },

    selectRevision(id) {
      // A preview belongs to the revision it was asked for; another selection closes it.
      set((state) => ({ selectedRevision: id, sqlPreview: state.sqlPreview && state.sqlPreview.target === id ? state.sqlPreview : null }));
    },

    upgradeTo(id) {
      set({ graphUpgradeTarget: id });
      return get().startJob({ kind: 'upgrade-to', target: id });
    },

    setRunExpanded(key, expanded) {
      set((state) => {
        const others = state.graphExpanded.filter((k) => k !== key);
        return { graphExpanded: expanded ? [...others, key] : others };
      });
    },

    setGraphOption(option, on) {
      set({ [option]: on } as Pick<GraphSlice, typeof option>);
    },
  };
}
