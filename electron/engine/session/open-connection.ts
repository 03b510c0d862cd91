import type { ConnectionSettings } from '../../../shared/contract/connection';
import { err, ok, type Result } from '../../../shared/errors/app-error';
import { startEmbeddedServer, type EmbeddedServer } from '../embedded/embedded-server';
import { defaultEmbeddedDir } from '../platform/app-data';

/**
 * Turns what the user chose (a server, or the bundled PostgreSQL) into connection
 * settings. Every front goes through here, so "--embedded" and the app's toggle
 * behave the same.
 */
export type ConnectionChoice =
  | { kind: 'server'; host: string; port: number; superuser: string; password: string }
  | { kind: 'embedded'; dir?: string; onLog?: (line: string) => void; onWait?: (message: string) => void };

export interface OpenedConnection {
  settings: ConnectionSettings;
  /** Present when the bundled server is in use. */
  embedded?: EmbeddedServer;
}

export async function openConnection(choice: ConnectionChoice): Promise<Result<OpenedConnection>> {
  if (choice.kind === 'server') {
    return ok({ settings: { host: choice.host, port: choice.port, superuser: choice.superuser, password: choice.password, embedded: false } });
  }
  const started = await startEmbeddedServer({ dir: choice.dir ?? defaultEmbeddedDir(), persistent: true, onLog: choice.onLog, onWait: choice.onWait });
  if (!started.ok) return err(started.error);
  return ok({ settings: started.value.settings, embedded: started.value });
}
