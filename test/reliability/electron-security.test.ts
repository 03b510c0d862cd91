import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CHANNELS, JOB_EVENT_CHANNEL, type ChannelKey } from '../../shared/contract/api';
import { registerIpc } from '../../electron/ipc/register-ipc';
import { electronSecretStore } from '../../electron/secret-store-electron';
import { contentSecurityPolicy, metaContentSecurityPolicy, windowOptions } from '../../electron/window-options';
import { buildGraph } from '../../shared/graph/build-graph';
import { browserAvailability } from '../support/browser';
import { layoutInWorkerFromFile } from '../support/worker-under-csp';
import { makeTempDir } from '../support/temp-dir';

/**
 * The Electron security checklist (electronjs.org/docs/latest/tutorial/security), point by
 * point, against the app's own main process, preload and window options. There is no
 * Electron binary in CI, so `electron` is replaced by a recording fake and main.ts and
 * preload.ts are loaded for real: every handler they register is then called the way
 * Electron would call it. Then @doyensec/electronegativity scans the sources.
 * Pure pieces have unit tests too: test/unit/electron/window-options.test.ts (options,
 * CSP) and trusted-sender.test.ts (which frames may call IPC).
 */
const ROOT = path.resolve(__dirname, '..', '..');
const userData = makeTempDir('skeldir-electron-');

type Handler = (...args: any[]) => any;
const fake = vi.hoisted(() => {
  const record = {
    appHandlers: new Map<string, Handler>(),
    windows: [] as Array<{ options: any; loaded: string | null; instance: any }>,
    openDialogs: [] as Array<{ owner: unknown; options: any }>,
    ipcHandlers: new Map<string, Handler>(),
    headersHandler: null as Handler | null,
    permissionRequest: null as Handler | null,
    permissionCheck: null as Handler | null,
    exposed: new Map<string, any>(),
    invoked: [] as Array<{ channel: string; payload: unknown }>,
    rendererListeners: new Map<string, Handler>(),
    keyring: { available: false, backend: 'basic_text' },
    menu: null as any,
  };
  class FakeBrowserWindow {
    webContents = { send: () => undefined, isDestroyed: () => false, mainFrame: {} };
    constructor(options: any) {
      record.windows.push({ options, loaded: null, instance: this });
    }
    once() {}
    on() {}
    isMinimized() {
      return false;
    }
    isDestroyed() {
      return false;
    }
    loadFile(file: string) {
      record.windows[record.windows.length - 1].loaded = file;
      return Promise.resolve();
    }
  }
  const electron = {
    app: {
      isPackaged: true,
      requestSingleInstanceLock: () => true,
      on: (event: string, handler: Handler) => record.appHandlers.set(event, handler),
      whenReady: () => Promise.resolve(),
      getPath: () => process.env.SKELDIR_TEST_USER_DATA as string,
      getVersion: () => '0.0.0-test',
      getAppPath: () => process.cwd(),
      setPath: () => undefined,
      quit: () => undefined,
      exit: () => undefined,
    },
    BrowserWindow: FakeBrowserWindow,
    Menu: { buildFromTemplate: (template: unknown) => ({ template }), setApplicationMenu: (menu: unknown) => (record.menu = menu) },
    dialog: {
      showMessageBox: () => Promise.resolve({ response: 1 }),
      showErrorBox: () => undefined,
      showOpenDialog: (owner: unknown, options: any) => {
        record.openDialogs.push({ owner, options });
        return Promise.resolve({ canceled: false, filePaths: ['C:\\Users\\Dev One\\II SKELDIR II'] });
      },
    },
    shell: { showItemInFolder: () => undefined },
    ipcMain: {
      handle: (channel: string, handler: Handler) => record.ipcHandlers.set(channel, handler),
      removeHandler: (channel: string) => record.ipcHandlers.delete(channel),
    },
    session: {
      defaultSession: {
        webRequest: { onHeadersReceived: (handler: Handler) => (record.headersHandler = handler) },
        setPermissionRequestHandler: (handler: Handler) => (record.permissionRequest = handler),
        setPermissionCheckHandler: (handler: Handler) => (record.permissionCheck = handler),
      },
    },
    safeStorage: {
      isEncryptionAvailable: () => record.keyring.available,
      getSelectedStorageBackend: () => record.keyring.backend,
      // A stand-in cipher: what matters is that the file holds this output, never the clear text.
      encryptString: (text: string) => Buffer.from(`ENC(${Buffer.from(text, 'utf8').toString('base64')})`),
      decryptString: (data: Buffer) => Buffer.from(/^ENC\((.*)\)$/.exec(data.toString())?.[1] ?? '', 'base64').toString('utf8'),
    },
    contextBridge: { exposeInMainWorld: (key: string, api: unknown) => record.exposed.set(key, api) },
    ipcRenderer: {
      invoke: (channel: string, payload: unknown) => {
        record.invoked.push({ channel, payload });
        return Promise.resolve(null);
      },
      on: (channel: string, handler: Handler) => record.rendererListeners.set(channel, handler),
      removeListener: (channel: string) => record.rendererListeners.delete(channel),
    },
  };
  return { record, electron };
});
vi.mock('electron', () => ({ ...fake.electron, default: fake.electron }));

const record = fake.record;

beforeAll(async () => {
  process.env.SKELDIR_TEST_USER_DATA = userData;
  // Loaded for their side effects (the registrations), after the fake is in place; the specifiers are
  // variables so that tsc does not ask for ESM file extensions in this CommonJS test.
  const main = '../../electron/main';
  const preload = '../../electron/preload';
  await import(main);
  await import(preload);
  // main.ts builds its window once app.whenReady() resolves.
  await vi.waitFor(() => expect(record.windows).toHaveLength(1));
});
afterAll(async () => {
  await record.appHandlers.get('before-quit')?.({ preventDefault: () => undefined });
  fs.rmSync(userData, { recursive: true, force: true });
});

function sourceFiles(dir: string, pattern = /\.(ts|tsx)$/): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(rel, pattern));
    else if (pattern.test(entry.name)) out.push(rel);
  }
  return out;
}
const read = (rel: string) => fs.readFileSync(path.join(ROOT, rel), 'utf8');

/** A fake webContents as Electron hands it to 'web-contents-created'. */
function fakeContents() {
  const handlers = new Map<string, Handler>();
  let openHandler: Handler | null = null;
  return {
    handlers,
    openHandler: () => openHandler,
    contents: {
      on: (event: string, handler: Handler) => handlers.set(event, handler),
      setWindowOpenHandler: (handler: Handler) => (openHandler = handler),
    },
  };
}

describe('Electron security checklist', () => {
  it('1-4. the one window: context isolation, sandbox, no Node integration anywhere, web security, no webview, no DevTools when packaged', () => {
    const { options, loaded } = record.windows[0];
    expect(options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      devTools: false,
    });
    expect(options.webPreferences).not.toHaveProperty('enableBlinkFeatures');
    expect(options.webPreferences).not.toHaveProperty('experimentalFeatures');
    expect(options.webPreferences.preload).toMatch(/preload\.js$/);
    // A local file, never a remote page.
    expect(loaded).toMatch(/renderer[\\/]index\.html$/);
    // No other window is made anywhere, and nothing turns Node on.
    for (const file of [...sourceFiles('electron'), ...sourceFiles('renderer')]) {
      const text = read(file);
      expect(text, file).not.toMatch(/nodeIntegration\w*\s*:\s*true|contextIsolation\s*:\s*false|sandbox\s*:\s*false|webSecurity\s*:\s*false/);
      if (file !== path.join('electron', 'main.ts')) expect(text, file).not.toMatch(/new BrowserWindow\s*\(/);
    }
  });

  it('5. no Node in the renderer: the page gets window.api only, one fixed channel per function, no generic send', () => {
    expect([...record.exposed.keys()]).toEqual(['api']);
    const api = record.exposed.get('api') as Record<string, unknown>;
    expect(Object.keys(api).sort()).toEqual([...Object.keys(CHANNELS), 'onJobEvent'].sort());
    for (const value of Object.values(api)) expect(typeof value).toBe('function');
    // Each function talks on its own channel whatever the page passes; the page cannot name a channel.
    record.invoked.length = 0;
    for (const key of Object.keys(CHANNELS) as ChannelKey[]) (api[key] as (request: unknown) => unknown)({ channel: 'app:evil', x: 1 });
    expect(record.invoked.map((call) => call.channel)).toEqual((Object.keys(CHANNELS) as ChannelKey[]).map((key) => CHANNELS[key].name));
    const unsubscribe = (api.onJobEvent as (listener: () => void) => () => void)(() => undefined);
    expect([...record.rendererListeners.keys()]).toEqual([JOB_EVENT_CHANNEL]);
    unsubscribe();
    expect(record.rendererListeners.size).toBe(0);
    // The renderer's own code cannot reach Node: no Node types, no Node or Electron imports, no require.
    expect(JSON.parse(read(path.join('renderer', 'tsconfig.json'))).compilerOptions.types).toEqual([]);
    for (const file of sourceFiles('renderer')) {
      expect(read(file), file).not.toMatch(/from ['"](node:|electron|fs|child_process|path)['"]|\brequire\s*\(|\bprocess\.env\b|ipcRenderer/);
    }
  });

  it('6. a Content-Security-Policy on every response, with no inline or evaluated script', () => {
    expect(record.headersHandler).toBeTypeOf('function');
    let headers: Record<string, string[]> | undefined;
    record.headersHandler?.(
      { responseHeaders: { 'Content-Type': ['text/html'] } },
      (response: { responseHeaders: Record<string, string[]> }) => (headers = response.responseHeaders),
    );
    expect(headers?.['Content-Security-Policy']).toEqual([contentSecurityPolicy()]);
    expect(headers?.['Content-Type']).toEqual(['text/html']);
    const policy = contentSecurityPolicy();
    expect(policy).toMatch(/(^|; )default-src 'none'/);
    expect(policy).toMatch(/(^|; )script-src 'self'(;|$)/);
    expect(policy).not.toMatch(/unsafe-eval|script-src[^;]*unsafe-inline/);
    expect(read(path.join('renderer', 'index.html'))).toContain(`content="${metaContentSecurityPolicy()}"`);
  });

  it.skipIf(!browserAvailability().available)(
    "6b. the graph layout worker runs from file:// under the app's CSP (and a blob: worker does not)",
    async () => {
      const rendererDir = path.join(ROOT, 'dist', 'renderer');
      expect(fs.existsSync(path.join(rendererDir, 'graph-layout-worker.js')), 'build first: node build/scripts/build.mjs').toBe(true);
      const revision = (id: string, down: string[]) => ({
        id,
        downRevisions: down,
        dependsOn: [],
        branchLabels: [],
        message: id,
        createDate: null,
        file: `versions/${id}.py`,
        creates: [],
        references: [],
      });
      const graph = buildGraph([revision('a', []), revision('b', ['a']), revision('c', ['b']), revision('d', ['c'])]);
      const result = await layoutInWorkerFromFile(rendererDir, graph);
      expect(result.workerError).toBeNull();
      // Nothing pinned: the four revisions fold into one segment.
      expect(result.laidOut).toEqual(['run:a']);
      expect(result.blobWorker).toBe('refused');
    },
    60_000,
  );

  it('7. IPC: every channel checks the sender frame before the engine sees the payload', async () => {
    // main.ts registered one handler per channel of the contract, and nothing else.
    expect([...record.ipcHandlers.keys()].sort()).toEqual((Object.keys(CHANNELS) as ChannelKey[]).map((key) => CHANNELS[key].name).sort());
    // The same wrapper, with a dispatch we can watch.
    const handlers = new Map<string, Handler>();
    const dispatch = vi.fn(async (_channel: ChannelKey, _payload: unknown) => ({ ok: true as const, value: null as unknown }));
    const chooseFolder = vi.fn(async () => ({ ok: true as const, value: { kind: 'cancelled' as const } }));
    const ours = { mainFrame: { url: 'file:///app/dist/renderer/index.html' }, send: () => undefined, isDestroyed: () => false };
    registerIpc({
      ipcMain: { handle: (channel: string, handler: Handler) => handlers.set(channel, handler), removeHandler: () => undefined } as never,
      service: { dispatch, onJobEvent: () => () => undefined },
      front: { chooseFolder },
      webContents: () => ours as never,
      pageUrl: 'file:///app/dist/renderer/index.html',
    });
    const handler = handlers.get(CHANNELS.startJob.name) as Handler;
    const foreign = [
      { sender: {}, senderFrame: ours.mainFrame }, // another window
      { sender: ours, senderFrame: { url: 'file:///app/dist/renderer/index.html' } }, // a subframe
      { sender: ours, senderFrame: { ...ours.mainFrame, url: 'https://evil.example/' } },
      { sender: ours, senderFrame: null }, // a frame that navigated away or was destroyed
    ];
    for (const event of foreign) {
      const refused = await handler(event, { kind: 'rebuild', dropExisting: true, confirmDatabaseName: 'skeldir_validation' });
      expect(refused.ok).toBe(false);
      expect(refused.error.message).toMatch(/did not come from the app's own page/);
    }
    expect(dispatch).not.toHaveBeenCalled();
    ours.mainFrame.url = 'file:///app/dist/renderer/index.html#/graph';
    await handler({ sender: ours, senderFrame: ours.mainFrame }, { kind: 'diagnose' });
    expect(dispatch).toHaveBeenCalledWith('startJob', { kind: 'diagnose' });

    // The window's own channel (the folder dialog) passes the same sender check, then the contract's schema, and never reaches the engine.
    const folder = handlers.get(CHANNELS.chooseFolder.name) as Handler;
    for (const event of foreign) expect((await folder(event, { purpose: 'repository' })).ok).toBe(false);
    const trusted = { sender: ours, senderFrame: ours.mainFrame };
    const wrongShape = await folder(trusted, { purpose: 'repository', title: 'Your password please' });
    expect(wrongShape.ok).toBe(false);
    expect(wrongShape.error.message).toMatch(/Invalid request for app:choose-folder/);
    expect(chooseFolder).not.toHaveBeenCalled();
    expect((await folder(trusted, { purpose: 'repository', startIn: 'C:\\Users\\Dev One' })).value).toEqual({ kind: 'cancelled' });
    expect(chooseFolder).toHaveBeenCalledWith({ purpose: 'repository', startIn: 'C:\\Users\\Dev One' });
    expect(dispatch.mock.calls.map(([channel]) => channel)).not.toContain('chooseFolder');
  });

  it("7b. main.ts answers the folder dialog channel with Electron's openDirectory dialog, modal to our window", async () => {
    const window = record.windows[0].instance;
    window.webContents.mainFrame.url = pathToFileURL(path.join(ROOT, 'renderer', 'index.html')).href;
    const handler = record.ipcHandlers.get(CHANNELS.chooseFolder.name) as Handler;
    record.openDialogs.length = 0;
    const answer = await handler({ sender: window.webContents, senderFrame: window.webContents.mainFrame }, { purpose: 'repository' });
    expect(answer).toEqual({ ok: true, value: { kind: 'chosen', path: 'C:\\Users\\Dev One\\II SKELDIR II' } });
    expect(record.openDialogs).toHaveLength(1);
    expect(record.openDialogs[0].owner).toBe(window);
    expect(record.openDialogs[0].options.properties).toContain('openDirectory');
    expect(record.openDialogs[0].options.title).toMatch(/alembic\.ini/);
    // The bundled server's data folder: the same dialog, its own title, opening where the field points.
    const data = await handler(
      { sender: window.webContents, senderFrame: window.webContents.mainFrame },
      { purpose: 'bundled-server', startIn: 'D:\\Skeldir Data' },
    );
    expect(data.ok).toBe(true);
    expect(record.openDialogs[1].options.title).toBe('Choose where the bundled PostgreSQL keeps its data');
    expect(record.openDialogs[1].options.defaultPath).toBe('D:\\Skeldir Data');
  });

  it('8-9. navigation, redirects, new windows and webviews are blocked for every webContents', () => {
    const created = record.appHandlers.get('web-contents-created');
    expect(created).toBeTypeOf('function');
    const { handlers, openHandler, contents } = fakeContents();
    created?.({}, contents);
    for (const event of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
      const preventDefault = vi.fn();
      handlers.get(event)?.({ preventDefault }, 'https://evil.example/');
      expect(preventDefault, event).toHaveBeenCalled();
    }
    expect(openHandler()?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    expect(openHandler()?.({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
  });

  it('10. every permission request and check is denied', () => {
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fullscreen']) {
      const callback = vi.fn();
      record.permissionRequest?.({}, permission, callback);
      expect(callback, permission).toHaveBeenCalledWith(false);
      expect(record.permissionCheck?.({}, permission), permission).toBe(false);
    }
  });

  it('12. the packaged menu has no reload and no DevTools (Ctrl+R would lose a running rebuild’s view)', () => {
    const roles: string[] = [];
    const walk = (items: any[]) => items.forEach((item) => (item.role && roles.push(String(item.role).toLowerCase()), item.submenu && walk(item.submenu)));
    walk(record.menu.template);
    expect(roles).not.toContain('reload');
    expect(roles).not.toContain('forcereload');
    expect(roles).not.toContain('toggledevtools');
    expect(record.menu.template.map((m: any) => m.label.replace('&', ''))).toEqual(['File', 'Edit', 'View', 'Help']);
  });

  it('11. no shell.openExternal (nor any other way to open a URL the page chose)', () => {
    for (const file of [...sourceFiles('electron'), ...sourceFiles('renderer'), ...sourceFiles('shared')]) {
      // If a link ever must open in the browser, validate its URL against an allowlist first, then extend this test.
      expect(read(file), file).not.toMatch(/openExternal|shell\.openPath|\.loadURL\s*\(/);
    }
  });
});

describe('the superuser password at rest', () => {
  const secret = 'Sup3r-secret-pw';
  const filesIn = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir) : []);

  it('with OS encryption (DPAPI, Keychain, libsecret) it is stored encrypted with safeStorage, readable after a restart', () => {
    const dir = makeTempDir('skeldir-secret-');
    try {
      Object.assign(record.keyring, { available: true, backend: 'gnome_libsecret' });
      const store = electronSecretStore(dir);
      expect(store.canEncrypt()).toBe(true);
      store.save(secret);
      for (const file of filesIn(dir)) expect(fs.readFileSync(path.join(dir, file)).toString('latin1')).not.toContain(secret);
      expect(filesIn(dir)).toEqual(['superuser-password.bin']);
      expect(electronSecretStore(dir).load()).toBe(secret);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  for (const [why, keyring] of [
    ['no encryption at all', { available: false, backend: 'unknown' }],
    ['Linux without a keyring (safeStorage falls back to a hard-coded key)', { available: true, backend: 'basic_text' }],
  ] as const) {
    it(`with ${why} it is never written: kept in memory, asked for again after a restart`, () => {
      const dir = makeTempDir('skeldir-secret-');
      try {
        Object.assign(record.keyring, keyring);
        const store = electronSecretStore(dir);
        expect(store.canEncrypt()).toBe(false);
        store.save(secret);
        expect(store.load()).toBe(secret);
        expect(filesIn(dir)).toEqual([]);
        expect(electronSecretStore(dir).load()).toBeNull();
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});

describe('@doyensec/electronegativity', () => {
  interface Issue {
    id: string;
    file: string;
    location: { line: number };
    severity: { name: string };
    confidence: { name: string };
  }
  type Run = (options: Record<string, unknown>) => Promise<{ issues: Issue[]; errors: unknown[] }>;

  async function scan(input: string): Promise<Issue[]> {
    const name = '@doyensec/electronegativity'; // ships no type declarations
    const module = (await import(name)) as { default?: Run } & Run;
    const run = (module.default ?? module) as Run;
    const result = await run({
      input,
      isRelative: true,
      electronVersionOverride: (JSON.parse(read('package.json')).devDependencies.electron as string).replace(/^[^\d]*/, ''),
      // That check downloads Electron's release list to compare versions: a network call, not a property of this code.
      excludeFromScan: ['AvailableSecurityFixesGlobalCheck'],
    });
    expect(result.errors).toEqual([]);
    return result.issues;
  }

  /** The app's Electron side and renderer, without the engine (no Electron API there) and node_modules. */
  function copyApp(target: string): void {
    fs.cpSync(path.join(ROOT, 'electron'), path.join(target, 'electron'), { recursive: true, filter: (src) => !src.includes(`${path.sep}engine`) });
    fs.cpSync(path.join(ROOT, 'renderer'), path.join(target, 'renderer'), { recursive: true });
    fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(target, 'package.json'));
  }

  it('finds nothing of high severity in the window the app really creates', async () => {
    const input = makeTempDir('skeldir-eneg-');
    try {
      copyApp(input);
      const raw = (await scan(input)).filter((issue) => issue.severity.name === 'HIGH');
      // A static scanner cannot follow `new BrowserWindow(windowOptions(…))` into window-options.ts, so it
      // reports the options there as unknown. Those reports may only be about that call…
      const mainLines = read(path.join('electron', 'main.ts')).split('\n');
      for (const issue of raw) {
        expect(issue.file.split(path.sep).join('/')).toBe('electron/main.ts');
        expect(mainLines[issue.location.line - 1]).toMatch(/new BrowserWindow\(windowOptions\(/);
      }
      // …and a scan of main.ts with the options the app really passes (windowOptions' output, as a literal) finds no high-severity issue at all.
      const main = path.join(input, 'electron', 'main.ts');
      const literal = JSON.stringify(windowOptions('preload.js', { devTools: false }), null, 2);
      const effective = fs.readFileSync(main, 'utf8').replace(/windowOptions\(PRELOAD_FILE,[^)]*\)/, literal);
      expect(effective).toContain('"contextIsolation": true');
      fs.writeFileSync(main, effective);
      const issues = await scan(input);
      const high = issues.filter((issue) => issue.severity.name === 'HIGH');
      expect(high).toEqual([]);
      console.log(
        `[reliability] electronegativity -> high: ${high.length} (unresolved-call reports before inlining: ${raw.map((i) => i.id).join(', ') || 'none'}); others: ${issues.map((i) => `${i.id} ${i.severity.name}`).join(', ')}`,
      );
    } finally {
      fs.rmSync(input, { recursive: true, force: true });
    }
  }, 120_000);
});
