import type { FindingsSlice, SliceContext } from '../types';

/** Findings of the last run and their one-click remediations. */
export function createFindingsSlice({ set, get }: SliceContext): FindingsSlice {
  return {
    findings: [],
    remediating: null,
    lastFix: null,
    async remediate(findingId, confirmDatabaseName) {
      set({ remediating: findingId });
      const started = await get().startJob({ kind: 'remediate', findingId, ...(confirmDatabaseName !== undefined ? { confirmDatabaseName } : {}) });
      if (!started) set({ remediating: null });
      return started;
    },
  };
}
