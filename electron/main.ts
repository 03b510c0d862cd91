import { app, BrowserWindow, ipcMain, session, type WebContents } from 'electron';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createEngineService, type EngineService } from './engine/api/engine-service';
import { SettingsStore } from './engine/api/settings-store';
import { registerIpc } from './ipc/register-ipc';
import { electronSecretStore } from './secret-store-electron';
import { contentSecurityPolicy, windowOptions } from './window-options';

/**
 * The desktop app's main process: one window, one engine service, one IPC wrapper.
 * Everything the window may do is decided here: no navigation, no new windows, no
 * permissions, a strict CSP on every response. Quitting stops the bundled PostgreSQL.
 */
const PAGE_FILE = path.join(__dirname, '..', 'renderer', 'index.html');
const PAGE_URL = pathToFileURL(PAGE_FILE).href;
const PRELOAD_FILE = path.join(__dirname, 'preload.js');

let mainWindow: BrowserWindow | null = null;
let service: EngineService | null = null;
let disposed = false;

// Tests and support sessions may point the app at another profile folder; the single
// instance lock is per user-data folder, so this must come first.
if (process.env.SKELDIR_USER_DATA_DIR) app.setPath('userData', path.resolve(process.env.SKELDIR_USER_DATA_DIR));

// Two instances would fight over the bundled server's data folder: focus the first one instead.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.whenReady().then(start, (error: unknown) => {
    process.stderr.write(`Skeldir Rebuild could not start: ${error instanceof Error ? error.stack : String(error)}\n`);
    app.exit(1);
  });
}

function start(): void {
  const userData = app.getPath('userData');
  const store = new SettingsStore(path.join(userData, 'settings.json'), electronSecretStore(userData));
  service = createEngineService({ store, embeddedDir: process.env.SKELDIR_EMBEDDED_DIR || undefined });

  hardenSession();
  mainWindow = createWindow();
  registerIpc({ ipcMain, service, webContents: () => (mainWindow && !mainWindow.isDestroyed() ? mainWindow.webContents : null), pageUrl: PAGE_URL });
  void mainWindow.loadFile(PAGE_FILE);
}

function hardenSession(): void {
  const csp = contentSecurityPolicy();
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] } });
  });
  // Camera, notifications, clipboard-read…: the app needs none of them. Writing to the
  // clipboard (the Copy buttons next to fix commands) is the one exception.
  const allowed = (permission: string) => permission === 'clipboard-sanitized-write';
  session.defaultSession.setPermissionRequestHandler((_webContents, permission, callback) => callback(allowed(permission)));
  session.defaultSession.setPermissionCheckHandler((_webContents, permission) => allowed(permission));
}

function createWindow(): BrowserWindow {
  const window = new BrowserWindow(windowOptions(PRELOAD_FILE, { devTools: !app.isPackaged }));
  window.once('ready-to-show', () => window.show());
  window.on('closed', () => {
    mainWindow = null;
  });
  return window;
}

// Every webContents (ours and any a bug might create) is kept on our page.
app.on('web-contents-created', (_event, contents: WebContents) => {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
});

app.on('window-all-closed', () => app.quit());

// The bundled PostgreSQL must stop with the app; dispose is async, so hold the quit until it is done.
app.on('before-quit', (event) => {
  if (disposed || !service) return;
  event.preventDefault();
  const running = service;
  service = null;
  running
    .dispose()
    .catch((error: unknown) => process.stderr.write(`Stopping the engine failed: ${error instanceof Error ? error.message : String(error)}\n`))
    .finally(() => {
      disposed = true;
      app.quit();
    });
});
