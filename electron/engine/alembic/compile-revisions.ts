import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { MigrationGraph } from '../../../shared/graph/model';
import { childEnvironment } from '../process/child-env';
import { runProcess } from '../process/run-process';
import { resourceRoot } from '../resources/resource-root';
import type { AlembicInterpreter } from './read-by-alembic';

/**
 * Whether every revision file compiles, asked of the project's interpreter before anything is
 * dropped. The static reader only looks at `revision`/`down_revision`; a syntax error elsewhere
 * in a file was found by Alembic only after the drop. Alembic imports every file of the graph
 * (not only the planned ones) when it builds its ScriptDirectory, so every file is checked.
 */
export type RevisionCompileCheck =
  | { status: 'passed'; files: number; durationMs: number }
  | { status: 'failed'; errors: RevisionCompileError[]; durationMs: number }
  | { status: 'skipped'; reason: string };

export interface RevisionCompileError {
  /** Relative to the repository folder, forward slashes (as in the graph). */
  file: string;
  line: number | null;
  message: string;
  /** The offending source line, trimmed; empty when Python gave none. */
  text: string;
}

const MARK = '@@skeldir ';
const DONE = '@@skeldir-done ';
/** One process compiles a few hundred files in well under a second; this only bounds a hung interpreter. */
const TIMEOUT_MS = 60_000;

export function compileScriptPath(): string {
  return path.join(resourceRoot(), 'electron', 'engine', 'alembic', 'driver', 'skeldir_compile_revisions.py');
}

export async function checkRevisionsCompile(input: {
  python: AlembicInterpreter | null;
  repoDir: string;
  graph: MigrationGraph;
  signal?: AbortSignal;
}): Promise<RevisionCompileCheck> {
  const files = [...new Set(Object.values(input.graph.revisions).map((revision) => revision.file))];
  if (!input.python) return { status: 'skipped', reason: 'no Python interpreter is known, so Alembic would not run either' };
  if (files.length === 0) return { status: 'passed', files: 0, durationMs: 0 };
  const started = Date.now();
  let listDir: string;
  try {
    listDir = fs.mkdtempSync(path.join(os.tmpdir(), 'skeldir-compile-'));
  } catch (error) {
    return { status: 'skipped', reason: `no temporary folder for the file list (${(error as NodeJS.ErrnoException).code ?? String(error)})` };
  }
  try {
    const listFile = path.join(listDir, 'files.json');
    fs.writeFileSync(listFile, JSON.stringify(files));
    const errors: RevisionCompileError[] = [];
    let done = false;
    const run = await runProcess({
      command: input.python.command,
      args: [...(input.python.launcherArgs ?? []), compileScriptPath(), listFile],
      cwd: input.repoDir,
      // No __pycache__ left in the user's repository by a check.
      env: childEnvironment({ PYTHONDONTWRITEBYTECODE: '1' }),
      timeoutMs: TIMEOUT_MS,
      signal: input.signal,
      onLine: (line, stream) => {
        if (stream !== 'stdout') return;
        if (line.startsWith(DONE)) done = true;
        else if (line.startsWith(MARK)) {
          const parsed = parseError(line.slice(MARK.length));
          if (parsed) errors.push(parsed);
        }
      },
    });
    const durationMs = Date.now() - started;
    if (!run.ok) return { status: 'skipped', reason: run.error.message };
    if (!done) {
      const tail = run.value.stderrTail.slice(-3).join(' ').trim();
      const why = run.value.cancelled ? 'the run was cancelled' : run.value.timedOut ? `Python did not answer within ${TIMEOUT_MS / 1000} s` : tail;
      return { status: 'skipped', reason: why || `Python exited with code ${run.value.exitCode}` };
    }
    return errors.length > 0 ? { status: 'failed', errors, durationMs } : { status: 'passed', files: files.length, durationMs };
  } catch (error) {
    return { status: 'skipped', reason: error instanceof Error ? error.message : String(error) };
  } finally {
    fs.rmSync(listDir, { recursive: true, force: true, maxRetries: 3 });
  }
}

/** The refusal the pipeline gives before a drop: file:line, Python's message and the line itself, then what to do. */
export function describeCompileErrors(errors: RevisionCompileError[]): string {
  const shown = errors.slice(0, 3).map((e) => `${e.file}${e.line ? `:${e.line}` : ''}: ${e.message}${e.text ? ` in: ${e.text}` : ''}`);
  const more = errors.length > shown.length ? ` and ${errors.length - shown.length} more` : '';
  const noun = errors.length === 1 ? 'a revision file does' : `${errors.length} revision files do`;
  return `${noun} not compile, so Alembic would stop on it after the drop: ${shown.join('; ')}${more}. Fix the file (python -m py_compile FILE shows the error) and run again.`;
}

function parseError(json: string): RevisionCompileError | null {
  try {
    const value = JSON.parse(json) as { file?: unknown; line?: unknown; message?: unknown; text?: unknown };
    if (typeof value.file !== 'string' || typeof value.message !== 'string') return null;
    return {
      file: value.file.split(path.sep).join('/'),
      line: typeof value.line === 'number' ? value.line : null,
      message: value.message,
      text: typeof value.text === 'string' ? value.text : '',
    };
  } catch {
    return null;
  }
}

/** Why the drop must not start (a file that does not compile), or null; a skipped check is said in the run's log, not a refusal. */
export function refusalOf(check: RevisionCompileCheck | null): string | null {
  return check?.status === 'failed' ? describeCompileErrors(check.errors) : null;
}
