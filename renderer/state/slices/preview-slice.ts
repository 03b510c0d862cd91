import type { PreviewSlice, SliceContext } from '../types';

/** "Preview SQL": what an upgrade to a revision would run, from Alembic's offline mode. */
export function createPreviewSlice({ set, get, api, serverCall }: SliceContext): PreviewSlice {
  return {
    sqlPreview: null,
    async previewSql(target) {
      set({ sqlPreview: { target, status: 'loading', sql: '', error: null } });
      // Reads alembic_version first, which may start the bundled server.
      const result = await serverCall(() => api.previewSql({ target }));
      // The user may have asked for another target (or closed the panel) meanwhile.
      if (get().sqlPreview?.target !== target) return;
      set({
        sqlPreview: result.ok ? { target, status: 'ready', sql: result.value.sql, error: null } : { target, status: 'error', sql: '', error: result.error },
      });
    },
    closeSqlPreview() {
      set({ sqlPreview: null });
    },
  };
}
