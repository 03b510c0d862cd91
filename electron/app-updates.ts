import * as fs from 'node:fs';
import * as path from 'node:path';
import type { AppLog } from './app-log';

/**
 * Updates through electron-updater, offered and never forced. The feed is set by
 * configuration: the app-update.yml electron-builder writes into the resources when a
 * publish feed was configured at build time (SKELDIR_UPDATE_URL, see
 * build/electron-builder.config.cjs), or SKELDIR_UPDATE_URL at run time. Without
 * either there is no update channel and nothing is checked. The check runs in the
 * background after start-up; the user decides whether to download, and whether to
 * restart now or let the update install when they quit.
 */
export interface UpdateOptions {
  packaged: boolean;
  resourcesPath: string | undefined;
  env: NodeJS.ProcessEnv;
  log: AppLog;
  /** Asks a question with buttons; resolves the index chosen. */
  ask(message: string, detail: string, buttons: string[]): Promise<number>;
  delayMs?: number;
}

export type UpdateFeed = { kind: 'built-in'; file: string } | { kind: 'url'; url: string } | { kind: 'none' };

export function updateFeed(options: Pick<UpdateOptions, 'packaged' | 'resourcesPath' | 'env'>): UpdateFeed {
  if (!options.packaged) return { kind: 'none' };
  const url = options.env.SKELDIR_UPDATE_URL;
  if (url && /^https:\/\//i.test(url)) return { kind: 'url', url };
  const file = options.resourcesPath ? path.join(options.resourcesPath, 'app-update.yml') : '';
  return file && fs.existsSync(file) ? { kind: 'built-in', file } : { kind: 'none' };
}

export function scheduleUpdateCheck(options: UpdateOptions): void {
  const feed = updateFeed(options);
  if (feed.kind === 'none') {
    options.log.info('updates: no update feed is configured; not checking');
    return;
  }
  const timer = setTimeout(() => {
    checkForUpdates(options, feed).catch((error: unknown) => options.log.error('updates: the check failed', error));
  }, options.delayMs ?? 15_000);
  timer.unref();
}

async function checkForUpdates(options: UpdateOptions, feed: Exclude<UpdateFeed, { kind: 'none' }>): Promise<void> {
  const { autoUpdater } = await import('electron-updater');
  const { log } = options;
  autoUpdater.logger = {
    info: (m: unknown) => log.info(`updates: ${String(m)}`),
    warn: (m: unknown) => log.info(`updates: ${String(m)}`),
    error: (m: unknown) => log.error(`updates: ${String(m)}`),
  };
  // Offered, never forced: nothing is downloaded or installed without the user's yes.
  autoUpdater.autoDownload = false;
  autoUpdater.autoInstallOnAppQuit = false;
  if (feed.kind === 'url') autoUpdater.setFeedURL({ provider: 'generic', url: feed.url });
  autoUpdater.on('update-available', (info: { version: string }) => {
    void options
      .ask(`Skeldir Rebuild ${info.version} is available.`, 'Download it now? You choose when to install it.', ['Download', 'Not now'])
      .then((choice) => {
        if (choice === 0) autoUpdater.downloadUpdate().catch((error: unknown) => log.error('updates: the download failed', error));
      });
  });
  autoUpdater.on('update-downloaded', (info: { version: string }) => {
    void options
      .ask(`Skeldir Rebuild ${info.version} is ready to install.`, 'Restart now to install it, or it installs when you quit the app.', [
        'Restart and install',
        'Later',
      ])
      .then((choice) => {
        if (choice === 0) autoUpdater.quitAndInstall();
        else autoUpdater.autoInstallOnAppQuit = true;
      });
  });
  await autoUpdater.checkForUpdates();
}
