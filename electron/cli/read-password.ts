import { appError, err, ok, type Result } from '../../shared/errors/app-error';
import { lookupPgpass } from './pgpass';

/** Where the password is looked up in the password file: the server and role, on the maintenance database. */
export interface PasswordTarget {
  host: string;
  port: number;
}

/**
 * The superuser password, from SKELDIR_SUPERUSER_PASSWORD, PGPASSWORD, the password
 * file libpq would read (PGPASSFILE, ~/.pgpass) or a prompt that does not echo. Never from argv.
 */
export async function readSuperuserPassword(
  superuser: string,
  env: NodeJS.ProcessEnv = process.env,
  stdin: NodeJS.ReadStream = process.stdin,
  stderr: NodeJS.WriteStream = process.stderr,
  target: PasswordTarget = { host: 'localhost', port: 5432 },
): Promise<Result<string>> {
  // An empty SKELDIR_SUPERUSER_PASSWORD is as good as unset: PGPASSWORD is still looked at.
  const fromEnv = env.SKELDIR_SUPERUSER_PASSWORD || env.PGPASSWORD;
  if (fromEnv) return ok(fromEnv);
  // The tool first connects to the "postgres" database as the superuser: the entry psql would use for that.
  const fromFile = lookupPgpass({ host: target.host, port: target.port, database: 'postgres', user: superuser }, env);
  if (fromFile.warning) stderr.write(`warning: ${fromFile.warning}\n`);
  if (fromFile.password !== undefined && fromFile.password !== '') return ok(fromFile.password);
  if (!stdin.isTTY) {
    const empty = ['SKELDIR_SUPERUSER_PASSWORD', 'PGPASSWORD'].filter((name) => env[name] === '');
    return err(
      appError('usage', `No password for the PostgreSQL superuser "${superuser}".`, {
        remediation: `Set SKELDIR_SUPERUSER_PASSWORD (or PGPASSWORD) in the environment${empty.length ? ` (${empty.join(' and ')} ${empty.length === 1 ? 'is' : 'are'} set but empty)` : ''}, ${
          // The file is there but was ignored for its permissions: the one thing to do is to close them.
          fromFile.warning
            ? `make the password file private (chmod 600 "${fromFile.file}")`
            : `add a line to the password file ${fromFile.file} (host:port:database:user:password, mode 0600)`
        }, or use --embedded for the bundled PostgreSQL.`,
      }),
    );
  }
  return ok(await promptHidden(`Password for PostgreSQL superuser "${superuser}": `, stdin, stderr));
}

function promptHidden(question: string, stdin: NodeJS.ReadStream, stderr: NodeJS.WriteStream): Promise<string> {
  return new Promise((resolve) => {
    stderr.write(question);
    stdin.setRawMode(true);
    stdin.resume();
    let answer = '';
    const onData = (chunk: Buffer) => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') {
          stdin.setRawMode(false);
          stdin.pause();
          stdin.off('data', onData);
          stderr.write('\n');
          resolve(answer);
          return;
        }
        // Ctrl-C at the prompt: nothing has started yet, so there is nothing to cancel.
        if (ch === '\u0003') {
          stdin.setRawMode(false);
          stderr.write('\n');
          process.exit(130);
        }
        if (ch === '\u007f' || ch === '\b') answer = answer.slice(0, -1);
        else answer += ch;
      }
    };
    stdin.on('data', onData);
  });
}

/** Asks a yes/no question on the terminal; false when not interactive. */
export function confirm(question: string, stdin: NodeJS.ReadStream = process.stdin, stderr: NodeJS.WriteStream = process.stderr): Promise<boolean> {
  if (!stdin.isTTY) return Promise.resolve(false);
  return new Promise((resolve) => {
    stderr.write(`${question} [y/N] `);
    stdin.resume();
    stdin.once('data', (chunk: Buffer) => {
      stdin.pause();
      resolve(/^y(es)?$/i.test(chunk.toString('utf8').trim()));
    });
  });
}
