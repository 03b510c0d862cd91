import '@xyflow/react/dist/style.css';
import './styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { getApi, hasFolderDialog } from './api/get-api';
import { App } from './app';
import { startBridge } from './state/bridge';
import { createAppStore } from './state/store';
import { StoreProvider } from './state/store-context';
import { prewarmGraphLayouts } from './views/graph/prewarm-layout';

/**
 * Start-up: one api (preload or browser host), one store, one event bridge, then the
 * first reads. Everything else happens through the store's actions.
 */
const api = getApi();
const store = createAppStore(api, { folderDialog: hasFolderDialog() });
startBridge(api, store);
prewarmGraphLayouts(store);

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element.');
createRoot(container).render(
  <StrictMode>
    <StoreProvider store={store}>
      <App />
    </StoreProvider>
  </StrictMode>,
);

void store.getState().init();
