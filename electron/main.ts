import { app, BrowserWindow, dialog, ipcMain, Menu, session, shell, type WebContents } from 'electron';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { aboutDetail } from './about-info';
import { openAppLog, type AppLog } from './app-log';
import { menuTemplate, type AppViewId } from './app-menu';
import { scheduleUpdateCheck } from './app-updates';
import { installCrashHandlers, type CrashNotice } from './crash-handlers';
import { createEngineService, type EngineService } from './engine/api/engine-service';
import { SettingsStore } from './engine/api/settings-store';
import { folderDialog } from './ipc/folder-dialog';
import { registerIpc } from './ipc/register-ipc';
import { electronSecretStore } from './secret-store-electron';
import { contentSecurityPolicy, windowOptions } from './window-options';

/**
 * The desktop app's main process: one window, one engine service, one IPC wrapper.
 * Everything the window may do is decided here: no navigation, no new windows, no
 * permissions, a strict CSP on every response. Quitting stops the bundled PostgreSQL.
 * Around it, the habits of a desktop app: a log file per run, a menu of its own,
 * crash handlers that tell the user, About with versions, updates offered in the background.
 */
const PAGE_FILE = path.join(__dirname, '..', 'renderer', 'index.html');
const PAGE_URL = pathToFileURL(PAGE_FILE).href;
const PRELOAD_FILE = path.join(__dirname, 'preload.js');

let mainWindow: BrowserWindow | null = null;
let service: EngineService | null = null;
let log: AppLog | null = null;
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
  app
    .whenReady()
    .then(start)
    .catch((error: unknown) => {
      log?.error('the app could not start', error);
      process.stderr.write(`Skeldir Rebuild could not start: ${error instanceof Error ? error.stack : String(error)}\n`);
      dialog.showErrorBox(
        'Skeldir Rebuild could not start',
        `${error instanceof Error ? error.message : String(error)}${log ? `\n\nThe log is ${log.file}.` : ''}`,
      );
      app.exit(1);
    });
}

function start(): void {
  const userData = app.getPath('userData');
  const settings = new SettingsStore(path.join(userData, 'settings.json'), electronSecretStore(userData));
  // The stored superuser password is one of the secrets the log never shows.
  const appLog = openAppLog(app.getPath('logs'), () => [settings.secrets.load(), process.env.PGPASSWORD, process.env.SKELDIR_SUPERUSER_PASSWORD]);
  log = appLog;
  appLog.info(
    `Skeldir Rebuild ${app.getVersion()} starting (Electron ${process.versions.electron ?? '?'}, Node ${process.versions.node}, ${process.platform} ${process.arch})`,
  );
  installCrashHandlers({ app, log: appLog, tell, reload: (contents) => contents.reload() });
  service = createEngineService({ store: settings, embeddedDir: process.env.SKELDIR_EMBEDDED_DIR || undefined });
  service.onJobEvent((event) => appLog.event(event));

  hardenSession();
  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate(menuActions(), { packaged: app.isPackaged, platform: process.platform })));
  mainWindow = createWindow();
  registerIpc({
    ipcMain,
    service,
    front: { chooseFolder: folderDialog(dialog, () => mainWindow) },
    webContents: () => (mainWindow && !mainWindow.isDestroyed() ? mainWindow.webContents : null),
    pageUrl: PAGE_URL,
  });
  void mainWindow.loadFile(PAGE_FILE);
  scheduleUpdateCheck({
    packaged: app.isPackaged,
    resourcesPath: (process as NodeJS.Process & { resourcesPath?: string }).resourcesPath,
    env: process.env,
    log: appLog,
    ask,
  });
}

/** A question with buttons, attached to the window when there is one; resolves the button chosen. */
async function ask(message: string, detail: string, buttons: string[]): Promise<number> {
  const options = { type: 'question' as const, title: 'Skeldir Rebuild', message, detail, buttons, defaultId: 0, cancelId: buttons.length - 1 };
  const answer = mainWindow && !mainWindow.isDestroyed() ? await dialog.showMessageBox(mainWindow, options) : await dialog.showMessageBox(options);
  return answer.response;
}

async function tell(notice: CrashNotice): Promise<boolean> {
  const buttons = notice.canReload ? ['Reload the window', 'Close'] : ['OK'];
  const options = { type: 'error' as const, title: notice.title, message: notice.message, detail: notice.detail, buttons, defaultId: 0, noLink: true };
  const answer = mainWindow && !mainWindow.isDestroyed() ? await dialog.showMessageBox(mainWindow, options) : await dialog.showMessageBox(options);
  return notice.canReload && answer.response === 0;
}

/**
 * The menu drives the page's own controls (the navigation's view buttons, the Save and
 * Open diagnosis buttons): one behaviour whether clicked or chosen from the menu. The
 * script is a fixed string per action, never built from anything the page sent.
 */
function clickInPage(selector: string): void {
  const contents = mainWindow && !mainWindow.isDestroyed() ? mainWindow.webContents : null;
  contents
    ?.executeJavaScript(`document.querySelector(${JSON.stringify(selector)})?.click()`, true)
    .catch((error: unknown) => log?.error('a menu action failed', error));
}

function menuActions() {
  const userData = app.getPath('userData');
  return {
    saveDiagnosis: () => clickInPage('.nav-footer button'),
    openDiagnosis: () => clickInPage('[data-testid="open-diagnosis-input"]'),
    showView: (view: AppViewId) => clickInPage(`[data-view="${view}"]`),
    openLogsFolder: () => shell.showItemInFolder(log?.file ?? app.getPath('logs')),
    openDataFolder: () => shell.showItemInFolder(fs.existsSync(path.join(userData, 'settings.json')) ? path.join(userData, 'settings.json') : userData),
    reportProblem: () => void reportProblem(userData),
    about: () => void showAbout(),
    quit: () => app.quit(),
  };
}

/** Help > Report a problem: the redacted diagnostic bundle (HTML) and this run's log, saved together, their folder shown. */
async function reportProblem(userData: string): Promise<void> {
  if (!service) return;
  const saved = await service.dispatch('saveDiagnosis', { format: 'html' });
  if (!saved.ok) {
    log?.error(`report a problem: ${saved.error.message}`);
    await tell({
      title: 'Report a problem',
      message: `The diagnosis could not be saved: ${saved.error.message}`,
      detail: saved.error.remediation ?? `The log of this run is ${log?.file}.`,
      canReload: false,
    });
    return;
  }
  const bundle = saved.value as { fileName: string; content: string };
  const folder = path.join(userData, 'problem-reports');
  fs.mkdirSync(folder, { recursive: true });
  const file = path.join(folder, bundle.fileName);
  fs.writeFileSync(file, bundle.content, 'utf8');
  if (log && fs.existsSync(log.file)) fs.copyFileSync(log.file, path.join(folder, `${path.basename(bundle.fileName, '.html')}.log`));
  log?.info(`report a problem: saved ${file}`);
  shell.showItemInFolder(file);
}

async function showAbout(): Promise<void> {
  const detail = await aboutDetail({ appVersion: app.getVersion(), appPath: app.getAppPath(), versions: process.versions, service });
  await dialog.showMessageBox({ type: 'info', title: 'About Skeldir Rebuild', message: 'Skeldir Rebuild', detail, buttons: ['OK'] });
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
    .catch((error: unknown) => {
      log?.error('stopping the engine failed', error);
      process.stderr.write(`Stopping the engine failed: ${error instanceof Error ? error.message : String(error)}\n`);
    })
    .finally(() => {
      disposed = true;
      app.quit();
    });
});
