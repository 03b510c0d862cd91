/**
 * Asks Alembic itself for the attributes of the revision files our static reader could not
 * decide: one Python process with the project's interpreter builds the ScriptDirectory
 * from the project's configuration and loads just those files (skeldir_revision_attributes.py).
 * No database is touched and env.py is not run.
 */
import * as path from 'node:path';
import { resourceRoot } from '../resources/resource-root';
import { childEnvironment } from '../process/child-env';
import { runProcess } from '../process/run-process';

export interface AlembicInterpreter {
  /** The Python executable (or launcher). */
  command: string;
  /** Arguments before the script (e.g. `-3.11` for the Windows py launcher). */
  launcherArgs?: string[];
}

export interface AlembicReadRequest {
  python: AlembicInterpreter;
  /** The ini file Alembic reads (it need not exist when pyproject.toml holds the configuration). */
  iniPath: string;
  /** pyproject.toml beside it, when there is one. */
  tomlPath: string | null;
  section: string;
  /** Absolute paths of the revision files to read. */
  files: string[];
  /** Where Alembic runs (relative locations in the configuration are relative to it). */
  cwd: string;
}

/** What Alembic read from one file. Lists are null where the attribute is None. */
export type AlembicRead =
  { ok: true; revision: string; downRevision: string[] | null; branchLabels: string[]; dependsOn: string[] | null } | { ok: false; error: string };

const MARK = '@@skeldir ';
const TIMEOUT_MS = 60_000;

export function attributesScriptPath(): string {
  return path.join(resourceRoot(), 'electron', 'engine', 'alembic', 'driver', 'skeldir_revision_attributes.py');
}

/** Absolute file path → what Alembic read; a failure of the whole process is one message. */
export async function readWithAlembic(request: AlembicReadRequest): Promise<{ ok: true; files: Map<string, AlembicRead> } | { ok: false; error: string }> {
  const files = new Map<string, AlembicRead>();
  const args = [...(request.python.launcherArgs ?? []), attributesScriptPath(), request.iniPath, request.tomlPath ?? '-', request.section, ...request.files];
  const run = await runProcess({
    command: request.python.command,
    args,
    cwd: request.cwd,
    env: childEnvironment({ PYTHONDONTWRITEBYTECODE: '1' }),
    timeoutMs: TIMEOUT_MS,
    onLine: (line, stream) => {
      if (stream !== 'stdout' || !line.startsWith(MARK)) return;
      let parsed: { file?: unknown; error?: unknown; revision?: unknown; down_revision?: unknown; branch_labels?: unknown; depends_on?: unknown };
      try {
        parsed = JSON.parse(line.slice(MARK.length)) as typeof parsed;
      } catch {
        return;
      }
      if (typeof parsed.file !== 'string') return;
      if (typeof parsed.error === 'string') files.set(parsed.file, { ok: false, error: parsed.error });
      else if (typeof parsed.revision === 'string') {
        files.set(parsed.file, {
          ok: true,
          revision: parsed.revision,
          downRevision: stringList(parsed.down_revision),
          branchLabels: stringList(parsed.branch_labels) ?? [],
          dependsOn: stringList(parsed.depends_on),
        });
      }
    },
  });
  if (!run.ok) return { ok: false, error: run.error.message };
  if (run.value.exitCode !== 0 || files.size === 0) {
    const tail = run.value.stderrTail.slice(-3).join(' ').trim();
    return {
      ok: false,
      error: run.value.timedOut ? `Python did not answer within ${TIMEOUT_MS / 1000} s` : tail || `Python exited with code ${run.value.exitCode}`,
    };
  }
  return { ok: true, files };
}

function stringList(v: unknown): string[] | null {
  if (!Array.isArray(v)) return null;
  return v.filter((x): x is string => typeof x === 'string');
}
