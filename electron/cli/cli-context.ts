import type { Profile } from '../../shared/profile/schema';
import { loadProfile } from '../engine/profile/load-profile';
import { openConnection, type OpenedConnection } from '../engine/session/open-connection';
import type { CliOptions } from './parse-args';
import { readSuperuserPassword } from './read-password';
import { CliFailure } from './cli-outcome';

/** What a command needs beyond its flags: the profile and, when it talks to PostgreSQL, a connection. */
export { CliFailure, exitCodeFor } from './cli-outcome';

export function requireProfile(options: CliOptions): Profile {
  const profile = loadProfile(options.profile);
  if (!profile.ok) throw new CliFailure(profile.error, 2);
  return profile.value;
}

export async function requireConnection(options: CliOptions, log: (line: string) => void): Promise<OpenedConnection> {
  if (options.embedded) {
    log('starting the bundled PostgreSQL 15 …');
    const opened = await openConnection({ kind: 'embedded', dir: options.embeddedDir, onWait: log });
    if (!opened.ok) throw new CliFailure(opened.error, 1);
    const server = opened.value.embedded;
    log(
      server?.attached
        ? `using the bundled PostgreSQL ${server.version} already running on 127.0.0.1:${opened.value.settings.port}`
        : `bundled PostgreSQL ${server?.version} on 127.0.0.1:${opened.value.settings.port} (data: ${server?.dataDir})`,
    );
    return opened.value;
  }
  const password = await readSuperuserPassword(options.superuser, process.env, process.stdin, process.stderr, { host: options.host, port: options.port });
  if (!password.ok) throw new CliFailure(password.error, 2);
  const opened = await openConnection({ kind: 'server', host: options.host, port: options.port, superuser: options.superuser, password: password.value });
  if (!opened.ok) throw new CliFailure(opened.error, 1);
  return opened.value;
}

/** Runs `work` with a connection; a bundled server started for it is stopped afterwards (its data stays). */
export async function withConnection<T>(options: CliOptions, log: (line: string) => void, work: (connection: OpenedConnection) => Promise<T>): Promise<T> {
  const connection = await requireConnection(options, log);
  try {
    return await work(connection);
  } finally {
    await connection.embedded?.stop();
  }
}
