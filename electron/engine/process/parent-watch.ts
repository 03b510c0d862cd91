import * as path from 'node:path';
import { resourceRoot } from '../resources/resource-root';

/**
 * Python children that must not outlive the CLI or the app (the Alembic driver, pytest)
 * run through skeldir_parent_watch.py with a pipe on stdin (ProcessSpec.watchParent): when
 * this process goes away for any reason, SIGKILL included, the OS closes the pipe and the
 * wrapper ends the child and its own children. This is also what covers Windows, where
 * Node cannot put a child in a kill-on-close job object without native code.
 */
export function parentWatchScript(): string {
  return path.join(resourceRoot(), 'electron', 'engine', 'process', 'python', 'skeldir_parent_watch.py');
}

/** The arguments that run `target` (a script path, or ['-m', module, …]) under the watch; `removeOnExit`: temp folders to remove if the parent goes away. */
export function watchedPythonArgs(target: string[], removeOnExit: string[] = []): string[] {
  return [parentWatchScript(), ...removeOnExit.flatMap((folder) => ['--remove-on-exit', folder]), ...target];
}
