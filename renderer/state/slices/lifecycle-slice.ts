import type { LifecycleSlice, SliceContext } from '../types';

/**
 * Start-up reads. A report from before a window reload comes first (it restores the
 * gates), then the server check (which starts the bundled PostgreSQL if chosen), then
 * what needs the repository.
 */
export function createLifecycleSlice({ set, get }: SliceContext): LifecycleSlice {
  return {
    async init() {
      await get().loadSettings();
      const settings = get().settings;
      if (!settings) return;
      await get().loadRecentRuns();
      // A configured user lands on the gates; a first start on Setup.
      if (settings.repoDir) set({ view: 'gates' });
      const reads: Array<Promise<void>> = [get().testConnection()];
      if (settings.repoDir) reads.push(get().checkPrerequisites(), get().loadGraph());
      await Promise.all(reads);
    },
  };
}
