import { IDLE, type PrerequisitesSlice, type SliceContext } from '../types';

/** The `flutter doctor` lines: interpreter, packages, alembic.ini. */
export function createPrerequisitesSlice({ set, api }: SliceContext): PrerequisitesSlice {
  return {
    prerequisites: null,
    prerequisitesLoad: IDLE,
    async checkPrerequisites() {
      set({ prerequisitesLoad: { status: 'loading', error: null } });
      const result = await api.checkPrerequisites({});
      if (result.ok) set({ prerequisites: result.value, prerequisitesLoad: { status: 'ready', error: null } });
      else set({ prerequisitesLoad: { status: 'error', error: result.error } });
    },
  };
}
