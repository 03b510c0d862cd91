import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ConnectionSettings } from '../../shared/contract/connection';
import { startEmbeddedServer, type EmbeddedServer } from '../../electron/engine/embedded/embedded-server';

/**
 * A throwaway PostgreSQL 15 for one test file: its own temp folder, a free port,
 * scram password auth with a random superuser password, removed by stop().
 * The same module that powers the product's bundled server.
 */
export interface ThrowawayPostgres {
  settings: ConnectionSettings;
  server: EmbeddedServer;
  /** postgresql:// URL with the password, for child processes' environment only. */
  url(database: string, user?: string, password?: string): string;
  stop(): Promise<void>;
}

/** Extra `-c` server settings (a test's logging) and where the server's log lines go. */
export interface ThrowawayOptions {
  serverSettings?: Record<string, string>;
  onLog?: (line: string) => void;
}

export async function startThrowawayPostgres(options: ThrowawayOptions = {}): Promise<ThrowawayPostgres> {
  // /tmp, not the repo: when tests run as root the server runs as the "postgres" user,
  // which must be able to reach the folder.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'skeldir-pg-'));
  fs.chmodSync(dir, 0o755);
  const started = await startEmbeddedServer({ dir, persistent: false, serverSettings: options.serverSettings, onLog: options.onLog });
  if (!started.ok) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw new Error(`Could not start a throwaway PostgreSQL: ${started.error.message}\n${started.error.detail ?? ''}`);
  }
  const server = started.value;
  const settings = server.settings;
  return {
    settings,
    server,
    url(database, user = settings.superuser, password = settings.password) {
      return `postgresql://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${settings.port}/${encodeURIComponent(database)}`;
    },
    stop: () => server.stop(),
  };
}

/** A random password that is easy to grep for in outputs. */
export function recognisablePassword(tag: string): string {
  return `${tag}-${crypto.randomBytes(6).toString('hex')}`;
}
