import * as fs from 'node:fs';
import * as path from 'node:path';
import { namesAFile } from '../../shared/contract/typed-path';
import { appError } from '../../shared/errors/app-error';
import type { AppService } from '../app-service/app-service';
import { CliFailure, exitCodeForError } from './cli-outcome';
import type { CliOptions } from './parse-args';

/**
 * The paths a command was given, checked before anything connects or asks to drop: a
 * `--python` file that does not exist and a `--repo` that is not an Alembic project are bad
 * input (exit 2), as a bad `--profile` is and as `graph --repo` says it. Without this a gate
 * would report them among the server's problems, after a connection and a drop prompt.
 */
export async function requirePathFlags(service: AppService, options: CliOptions): Promise<void> {
  requirePythonFile(options.python);
  if (options.repo !== undefined) await requireRepository(service);
}

/**
 * A `--python` written as a path must name something; a bare name ("python3.12") is looked up
 * on PATH by the interpreter search, which says itself when it does not answer.
 */
function requirePythonFile(python: string | undefined, platform: NodeJS.Platform = process.platform): void {
  const typed = python?.trim() ?? '';
  const paths = platform === 'win32' ? path.win32 : path.posix;
  if (!namesAFile(typed, platform)) return;
  const resolved = paths.resolve(typed);
  if (fs.existsSync(resolved)) return;
  const program =
    platform === 'win32' ? 'python.exe (for a virtualenv: <venv>\\Scripts\\python.exe)' : 'the python program (for a virtualenv: <venv>/bin/python)';
  throw new CliFailure(
    appError('python-not-found', `The interpreter you chose, ${resolved}, does not exist.`, {
      remediation: `Pass --python the full path of ${program}, or leave --python out to let Skeldir Rebuild search.`,
    }),
    2,
  );
}

/**
 * The repository opened as `graph` and every gate open it (the service's own graph handler):
 * a folder that does not exist, a file, a folder without alembic.ini, or an alembic.ini Alembic
 * cannot read is the user's input to correct. Other failures are left to the run, which reports them.
 */
async function requireRepository(service: AppService): Promise<void> {
  const opened = await service.call('loadGraph', { withState: false });
  if (!opened.ok && exitCodeForError(opened.error) === 2) throw new CliFailure(opened.error, 2);
}
