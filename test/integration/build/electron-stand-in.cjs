// An on-disk stand-in for the `electron` module, installed into a production install's
// node_modules by production-install.test.ts (the production install has no Electron):
// main.js is loaded by plain Node against it and runs its whole start-up. It records
// what main did (windows, page, preload, IPC channels, menu, dialogs) into the JSON
// file SKELDIR_STAND_IN_RECORD, then quits the way Electron would (before-quit first).
const fs = require('node:fs');
const path = require('node:path');

const base = process.env.SKELDIR_STAND_IN_DIR;
const record = { appEvents: [], windows: [], ipcChannels: [], menu: [], dialogs: [], errors: [] };
const handlers = new Map();
function finish(code) {
  fs.writeFileSync(process.env.SKELDIR_STAND_IN_RECORD, JSON.stringify(record, null, 2));
  process.exit(code);
}
const app = {
  isPackaged: true,
  requestSingleInstanceLock: () => true,
  on(event, handler) {
    record.appEvents.push(event);
    if (!handlers.has(event)) handlers.set(event, []);
    handlers.get(event).push(handler);
    return app;
  },
  whenReady: () => Promise.resolve(),
  getPath(name) {
    const dir = path.join(base, name);
    fs.mkdirSync(dir, { recursive: true });
    return dir;
  },
  setPath() {},
  getVersion: () => JSON.parse(fs.readFileSync(path.join(process.env.SKELDIR_STAND_IN_APP, 'package.json'), 'utf8')).version,
  getAppPath: () => process.env.SKELDIR_STAND_IN_APP,
  quit() {
    let prevented = false;
    for (const handler of handlers.get('before-quit') ?? []) handler({ preventDefault: () => (prevented = true) });
    if (!prevented) finish(0);
  },
  exit: (code) => finish(code),
};
class BrowserWindow {
  constructor(options) {
    this.entry = { options, loaded: null };
    record.windows.push(this.entry);
    this.webContents = { send() {}, isDestroyed: () => false, mainFrame: {}, executeJavaScript: () => Promise.resolve(), reload() {} };
  }
  once() {}
  on() {}
  isMinimized() {
    return false;
  }
  isDestroyed() {
    return false;
  }
  loadFile(file) {
    this.entry.loaded = file;
    // The page would load now; give main's start-up a moment to finish, then quit.
    setTimeout(() => app.quit(), 300);
    return Promise.resolve();
  }
}
const labels = (items) => items.map((item) => ({ label: item.label ?? item.role ?? item.type, submenu: item.submenu ? labels(item.submenu) : undefined }));
module.exports = {
  app,
  BrowserWindow,
  Menu: { buildFromTemplate: (template) => ({ template }), setApplicationMenu: (menu) => (record.menu = labels(menu.template)) },
  ipcMain: { handle: (channel) => record.ipcChannels.push(channel), removeHandler() {} },
  session: { defaultSession: { webRequest: { onHeadersReceived() {} }, setPermissionRequestHandler() {}, setPermissionCheckHandler() {} } },
  safeStorage: {
    isEncryptionAvailable: () => false,
    getSelectedStorageBackend: () => 'unknown',
    encryptString: (t) => Buffer.from(t),
    decryptString: (b) => b.toString(),
  },
  dialog: {
    showMessageBox: (...args) => (record.dialogs.push(args.at(-1)), Promise.resolve({ response: 1 })),
    showErrorBox: (title, message) => record.errors.push(`${title}: ${message}`),
  },
  shell: { showItemInFolder() {} },
  contextBridge: { exposeInMainWorld() {} },
  ipcRenderer: { invoke: () => Promise.resolve(null), on() {}, removeListener() {} },
};
