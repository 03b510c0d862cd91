import type { AppApi } from '../../shared/contract/api';
import { createBrowserClient } from './browser-client';

declare global {
  interface Window {
    /** Provided by electron/preload.ts in the desktop app; absent in a plain browser. */
    api?: AppApi;
  }
}

/** The desktop app's window.api, or the loopback host client built from the page's ?token=. */
export function getApi(): AppApi {
  if (window.api) return window.api;
  const token = new URLSearchParams(window.location.search).get('token') ?? '';
  return createBrowserClient(token);
}

/** Native dialogs come with the preload, which only the desktop app loads; a plain browser has none. */
export function hasFolderDialog(): boolean {
  return window.api !== undefined;
}
