import { createStore, type StoreApi } from 'zustand/vanilla';
import type { AppApi } from '../../shared/contract/api';
import { createSerial } from './serial';
import { createBundleSlice } from './slices/bundle-slice';
import { createCompareSlice } from './slices/compare-slice';
import { createConnectionSlice } from './slices/connection-slice';
import { createCopiesSlice } from './slices/copies-slice';
import { createFindingsSlice } from './slices/findings-slice';
import { createFolderSlice } from './slices/folder-slice';
import { createGraphSlice } from './slices/graph-slice';
import { createLifecycleSlice } from './slices/lifecycle-slice';
import { createParitySlice } from './slices/parity-slice';
import { createPreviewSlice } from './slices/preview-slice';
import { createPrerequisitesSlice } from './slices/prerequisites-slice';
import { createRunSlice } from './slices/run-slice';
import { createUiSlice } from './slices/ui-slice';
import type { AppState, SliceContext } from './types';

/** The one store. The api is injected, so the same store runs over IPC, HTTP or a test double. */
export type AppStore = StoreApi<AppState>;

export interface AppStoreOptions {
  /** The desktop app has a native folder dialog; the browser host does not (get-api.ts). */
  folderDialog?: boolean;
}

export function createAppStore(api: AppApi, options: AppStoreOptions = {}): AppStore {
  const serverCall = createSerial();
  return createStore<AppState>()((set, get) => {
    const context: SliceContext = { set, get, api, serverCall };
    return {
      ...createConnectionSlice(context),
      ...createPrerequisitesSlice(context),
      ...createRunSlice(context),
      ...createGraphSlice(context),
      ...createFindingsSlice(context),
      ...createUiSlice(context),
      ...createLifecycleSlice(context),
      ...createParitySlice(context),
      ...createCopiesSlice(context),
      ...createBundleSlice(context),
      ...createCompareSlice(context),
      ...createPreviewSlice(context),
      ...createFolderSlice(context, options.folderDialog ?? false),
    };
  });
}
