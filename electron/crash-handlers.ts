import type { App, Details, RenderProcessGoneDetails, WebContents } from 'electron';
import type { AppLog } from './app-log';

/**
 * What happens when something dies: a crashed or killed renderer, a GPU or utility
 * process, an unhandled rejection or exception in main. Each is logged with its
 * reason and the user is told in words, with where the log is, rather than left
 * with a blank window or an app that silently stopped responding.
 */
export interface CrashNotice {
  title: string;
  message: string;
  detail: string;
  /** The renderer is gone: offer to load the page again. */
  canReload: boolean;
}

export interface CrashHandlerOptions {
  app: Pick<App, 'on'>;
  log: AppLog;
  /** Shows the notice (a dialog); resolves true when the user chose to reload. */
  tell(notice: CrashNotice): Promise<boolean>;
  reload(contents: WebContents): void;
  processEvents?: Pick<NodeJS.Process, 'on'>;
}

export function installCrashHandlers(options: CrashHandlerOptions): void {
  const { app, log, tell } = options;
  const where = `The log of this run is ${log.file}.`;
  app.on('render-process-gone', (_event: unknown, contents: WebContents, details: RenderProcessGoneDetails) => {
    log.error(`renderer gone: ${details.reason} (exit code ${details.exitCode})`);
    if (details.reason === 'clean-exit') return;
    void tell({
      title: 'The window stopped working',
      message: `The app's window ended unexpectedly (${details.reason}). A rebuild that was running goes on in the background.`,
      detail: `Reload the window to see its state again. ${where}`,
      canReload: true,
    }).then((reload) => {
      if (reload && !contents.isDestroyed()) options.reload(contents);
    });
  });
  app.on('child-process-gone', (_event: unknown, details: Details) => {
    log.error(`child process gone: ${details.type}${details.name ? ` (${details.name})` : ''}: ${details.reason} (exit code ${details.exitCode})`);
    // The GPU process restarts by itself; a utility process that crashed is worth a word.
    if (details.reason === 'clean-exit' || details.reason === 'killed' || details.type === 'GPU') return;
    void tell({
      title: 'A helper process ended',
      message: `Electron's ${details.name ?? details.type} process ended (${details.reason}).`,
      detail: where,
      canReload: false,
    });
  });
  const processEvents = options.processEvents ?? process;
  processEvents.on('unhandledRejection', (reason: unknown) => {
    log.error('unhandled promise rejection in the main process', reason);
    void tell({
      title: 'Something went wrong',
      message: 'Skeldir Rebuild hit an unexpected error; it keeps running.',
      detail: `${describe(reason)}\n\n${where}`,
      canReload: false,
    });
  });
  processEvents.on('uncaughtException', (error: unknown) => {
    log.error('uncaught exception in the main process', error);
    void tell({
      title: 'Something went wrong',
      message: 'Skeldir Rebuild hit an unexpected error; it keeps running, but if it misbehaves, restart it.',
      detail: `${describe(error)}\n\n${where}`,
      canReload: false,
    });
  });
}

function describe(value: unknown): string {
  return value instanceof Error ? value.message : String(value);
}
