import * as os from 'node:os';
import * as path from 'node:path';
import { createAppService } from '../app-service/app-service';
import { memorySecretStore, SettingsStore } from '../app-service/settings-store';
import { startBrowserHost } from './browser-host';

/**
 * `npm run dev:web`: the app in a plain browser, on the same engine service. Settings
 * live in SKELDIR_SETTINGS_DIR (default: a folder in the temp dir), the password in
 * memory only. Prints exactly one line, the URL with its token, and serves until
 * Ctrl+C, then stops the bundled PostgreSQL if it started one.
 */
function parsePort(argv: string[]): number | undefined {
  const index = argv.indexOf('--port');
  if (index < 0) return undefined;
  const port = Number(argv[index + 1]);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`--port must be a number from 0 to 65535, not "${argv[index + 1] ?? ''}".\n`);
    process.exit(2);
  }
  return port;
}

async function main(): Promise<void> {
  const port = parsePort(process.argv.slice(2));
  const settingsDir = process.env.SKELDIR_SETTINGS_DIR || path.join(os.tmpdir(), 'skeldir-rebuild-web');
  const store = new SettingsStore(path.join(settingsDir, 'settings.json'), memorySecretStore());
  const service = createAppService({ store, embeddedDir: process.env.SKELDIR_EMBEDDED_DIR || undefined });
  const staticDir = path.resolve(__dirname, '..', '..', 'renderer');
  const host = await startBrowserHost({ service, port, staticDir });
  process.stdout.write(`Listening on ${host.url}\n`);

  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void host
      .close()
      .then(() => service.dispose())
      .finally(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`dev:web could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
