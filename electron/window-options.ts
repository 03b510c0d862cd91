/**
 * The one window's options and its Content-Security-Policy, as pure data so a unit
 * test can check every security setting without Electron running. main.ts passes
 * `windowOptions()` straight to `new BrowserWindow` (the shape is a subset of
 * Electron's BrowserWindowConstructorOptions, so the compiler checks it there).
 */
export interface WindowOptions {
  width: number;
  height: number;
  minWidth: number;
  minHeight: number;
  show: boolean;
  title: string;
  backgroundColor: string;
  autoHideMenuBar: boolean;
  webPreferences: {
    preload: string;
    /** The preload's world is separate from the page's: the page only sees window.api. */
    contextIsolation: true;
    /** The renderer runs in Chromium's OS sandbox; the preload gets only the sandboxed electron API. */
    sandbox: true;
    nodeIntegration: false;
    nodeIntegrationInWorker: false;
    nodeIntegrationInSubFrames: false;
    webSecurity: true;
    allowRunningInsecureContent: false;
    webviewTag: false;
    /** No DevTools shortcut in production builds keeps support sessions from poking at the engine by hand. */
    devTools: boolean;
    spellcheck: false;
    navigateOnDragDrop: false;
    /** Middle-click (auxclick) could open links in new windows behind our handlers' back. */
    disableBlinkFeatures: string;
  };
}

export const MIN_WIDTH = 1100;
export const MIN_HEIGHT = 700;

export function windowOptions(preloadPath: string, options: { devTools?: boolean } = {}): WindowOptions {
  return {
    width: 1280,
    height: 800,
    minWidth: MIN_WIDTH,
    minHeight: MIN_HEIGHT,
    // Shown on ready-to-show so the user never sees an unstyled white flash.
    show: false,
    title: 'Skeldir Rebuild',
    backgroundColor: '#1b1d22',
    autoHideMenuBar: true,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      devTools: options.devTools ?? false,
      spellcheck: false,
      navigateOnDragDrop: false,
      disableBlinkFeatures: 'Auxclick',
    },
  };
}

/**
 * The policy, directive by directive. React Flow positions nodes with style
 * attributes, which CSP governs through style-src-attr; style elements stay limited to
 * our own stylesheet ('self'), so no inline <style> and no inline script can run.
 */
export const CSP_DIRECTIVES: ReadonlyArray<readonly [string, string]> = [
  ['default-src', "'none'"],
  ['script-src', "'self'"],
  // The graph layout worker (dist/renderer/graph-layout-worker.js): our own file, never a blob or data URL.
  ['worker-src', "'self'"],
  ['style-src', "'self'"],
  ['style-src-attr', "'unsafe-inline'"],
  ['img-src', "'self' data: blob:"],
  ['connect-src', "'self'"],
  ['font-src', "'self'"],
  ['base-uri', "'none'"],
  ['form-action', "'none'"],
  ['frame-ancestors', "'none'"],
];

/** For the Content-Security-Policy response header (Electron's session and the browser host). */
export function contentSecurityPolicy(): string {
  return CSP_DIRECTIVES.map(([name, value]) => `${name} ${value}`).join('; ');
}

/**
 * For index.html's <meta http-equiv>: the same policy without frame-ancestors, which
 * browsers ignore (and warn about) in a meta element; the header carries it.
 */
export function metaContentSecurityPolicy(): string {
  return CSP_DIRECTIVES.filter(([name]) => name !== 'frame-ancestors')
    .map(([name, value]) => `${name} ${value}`)
    .join('; ');
}
