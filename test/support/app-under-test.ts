import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { _electron, type Page } from 'playwright-core';
import { createAppService, type AppService } from '../../electron/app-service/app-service';
import { memorySecretStore, SettingsStore } from '../../electron/app-service/settings-store';
import { readPostmasterPid } from '../../electron/engine/embedded/postmaster-pid';
import { startBrowserHost, type BrowserHost } from '../../electron/host/browser-host';
import { launchBrowser, type LaunchedBrowser } from './browser';
import type { JobEvent } from '../../shared/contract/events';
import { REPO_ROOT } from './python-env';

/**
 * The app as a user meets it, for the end-to-end tests:
 *   - default: the loopback browser host, in this process, over a real engine service,
 *     driven through Debian's Chromium;
 *   - SKELDIR_E2E_ELECTRON=1 with Electron's binary installed: the real desktop app,
 *     launched with Playwright's _electron. The tests are the same.
 * Either way the bundled PostgreSQL lives in a fresh temp folder (mode 755: the tests
 * run as root and the server runs as the "postgres" user) and settings start empty.
 */
export const ARTIFACTS_DIR = path.join(REPO_ROOT, 'test-artifacts', 'e2e');
export const RENDERER_DIR = path.join(REPO_ROOT, 'dist', 'renderer');

export interface AppUnderTest {
  page: Page;
  mode: 'browser' | 'electron';
  embeddedDir: string;
  /** The engine service (browser mode only: Electron's lives in its own process). */
  service: AppService | null;
  /** Saves a PNG into test-artifacts/e2e/ and returns its path. */
  screenshot(name: string): Promise<string>;
  /**
   * Sends events to the page as if the engine emitted them (browser mode only; null in
   * Electron mode): for load tests of the views without a real job behind them.
   */
  emitJobEvents: ((events: JobEvent[]) => void) | null;
  /** Runs SQL as the bundled server's superuser (the server must be running). */
  superuserSql(sql: string, database?: string): Promise<void>;
  close(): Promise<void>;
}

function electronBinary(): string | null {
  try {
    const resolved = createRequire(path.join(REPO_ROOT, 'package.json'))('electron') as unknown;
    return typeof resolved === 'string' && fs.existsSync(resolved) ? resolved : null;
  } catch {
    return null;
  }
}

export function wantsElectron(): boolean {
  return process.env.SKELDIR_E2E_ELECTRON === '1' && electronBinary() !== null;
}

export async function startAppUnderTest(testName: string): Promise<AppUnderTest> {
  if (!fs.existsSync(path.join(RENDERER_DIR, 'index.html'))) {
    throw new Error(`${RENDERER_DIR}/index.html is missing: run \`node build/scripts/build.mjs\` (npm test does) before the e2e tests.`);
  }
  fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'skeldir-e2e-'));
  fs.chmodSync(root, 0o755);
  const embeddedDir = path.join(root, 'postgres15');
  fs.mkdirSync(embeddedDir, { mode: 0o755 });
  fs.chmodSync(embeddedDir, 0o755);
  const settingsDir = path.join(root, 'settings');
  let shot = 0;
  const slug = testName.replace(/[^a-z0-9]+/gi, '-').toLowerCase();

  const common = (page: Page) => ({
    page,
    embeddedDir,
    screenshot: async (name: string) => {
      shot += 1;
      const file = path.join(ARTIFACTS_DIR, `${slug}-${String(shot).padStart(2, '0')}-${name}.png`);
      await page.screenshot({ path: file });
      return file;
    },
    superuserSql: (sql: string, database = 'postgres') => superuserSql(embeddedDir, sql, database),
  });

  if (wantsElectron()) {
    const app = await _electron.launch({
      executablePath: electronBinary() as string,
      args: [REPO_ROOT],
      env: { ...process.env, SKELDIR_USER_DATA_DIR: settingsDir, SKELDIR_EMBEDDED_DIR: embeddedDir } as Record<string, string>,
    });
    const page = await app.firstWindow();
    return {
      ...common(page),
      mode: 'electron',
      service: null,
      emitJobEvents: null,
      close: async () => {
        await app.close().catch(() => undefined);
        fs.rmSync(root, { recursive: true, force: true });
      },
    };
  }

  const store = new SettingsStore(path.join(settingsDir, 'settings.json'), memorySecretStore());
  const service = createAppService({ store, embeddedDir });
  // The host listens through this wrapper, so a test can add events of its own to the stream.
  const hostListeners = new Set<(event: JobEvent) => void>();
  const hostService = {
    dispatch: service.dispatch,
    onJobEvent(listener: (event: JobEvent) => void) {
      hostListeners.add(listener);
      const off = service.onJobEvent(listener);
      return () => {
        hostListeners.delete(listener);
        off();
      };
    },
  };
  let host: BrowserHost | null = null;
  let browser: LaunchedBrowser | null = null;
  try {
    host = await startBrowserHost({ service: hostService, staticDir: RENDERER_DIR });
    browser = await launchBrowser();
  } catch (error) {
    await host?.close();
    await service.dispose();
    throw error;
  }
  const page = browser.page;
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(message.text());
  });
  await page.goto(host.url);
  const openedHost = host;
  const openedBrowser = browser;
  return {
    ...common(page),
    mode: 'browser',
    service,
    emitJobEvents: (events) => {
      for (const event of events) for (const listener of hostListeners) listener(event);
    },
    close: async () => {
      await openedBrowser.close();
      await openedHost.close();
      await service.dispose();
      fs.rmSync(root, { recursive: true, force: true });
      // A page error is a bug even when the assertions passed; say so where it is seen.
      if (pageErrors.length > 0) process.stderr.write(`[e2e] ${testName}: page errors:\n  ${pageErrors.join('\n  ')}\n`);
    },
  };
}

async function superuserSql(embeddedDir: string, sql: string, database: string): Promise<void> {
  const credentials = JSON.parse(fs.readFileSync(path.join(embeddedDir, 'superuser.json'), 'utf8')) as { superuser: string; password: string };
  const running = readPostmasterPid(path.join(embeddedDir, 'data'));
  if (!running?.alive) throw new Error(`The bundled PostgreSQL in ${embeddedDir} is not running.`);
  const client = new Client({ host: '127.0.0.1', port: running.port, user: credentials.superuser, password: credentials.password, database });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
