/**
 * Loads an Alembic project from a checkout without running Python: finds alembic.ini,
 * resolves the script and version locations, reads every revision file in Alembic's
 * order and builds the migration graph. A file that cannot be read or parsed becomes a
 * GraphError naming it; only a missing checkout, ini or script folder fails the load.
 *
 * File order matters (Alembic breaks ties in upgrade order by it), so we walk like
 * Alembic's Script._list_py_dir: version locations in order; in each folder its files
 * sorted by name, then its sub-folders sorted by name, depth first; `__pycache__`
 * skipped; `__init__*.py` and `.#*` editor lock files ignored.
 */
import * as fs from 'node:fs';
import type { Dirent } from 'node:fs';
import * as path from 'node:path';
import { isDirectory, isFile } from '../platform/fs-probe';
import { appError, err, ok, type Result } from '../../../shared/errors/app-error';
import { buildGraph } from '../../../shared/graph/build-graph';
import type { GraphError, GraphWarning, MigrationGraph, RevisionInfo } from '../../../shared/graph/model';
import { readAlembicIni, type AlembicIni, type PathPlatform } from './ini-reader';
import { parseRevisionSource } from './revision-parser';
import type { RevisionParseMemo } from './parse-memo';

export interface LoadProjectOptions {
  /** What `os` means in version_path_separator; defaults to this machine's platform. */
  platform?: PathPlatform;
  /** An explicit ini file instead of <repo>/alembic.ini or <repo>/backend/alembic.ini. */
  iniPath?: string;
  /** Reuse the parse of files unchanged since the previous load with this memo (the app's repeated loads). */
  memo?: RevisionParseMemo;
}

export interface AlembicProject {
  ini: AlembicIni;
  graph: MigrationGraph;
  /** Revision files read, relative to the repository folder, in Alembic's load order. */
  files: string[];
  /** Absolute script location (the folder holding env.py). */
  scriptLocation: string;
  /** Absolute version locations, in order. */
  versionLocations: string[];
}

/** Alembic's `_only_source_rev_file`: any .py file except __init__ and editor lock files. */
const REVISION_FILE = /^(?!\.#|__init__).*\.py$/;

export async function loadAlembicProject(repoDir: string, opts: LoadProjectOptions = {}): Promise<Result<AlembicProject>> {
  try {
    return await load(path.resolve(String(repoDir)), opts);
  } catch (e) {
    return err(appError('internal', `Reading the Alembic project in ${repoDir} failed unexpectedly.`, { detail: e instanceof Error ? e.message : String(e) }));
  }
}

async function load(repo: string, opts: LoadProjectOptions): Promise<Result<AlembicProject>> {
  if (!isDirectory(repo)) {
    return err(appError('repo-not-found', `The folder ${repo} does not exist.`, { remediation: 'Choose the folder of your Skeldir backend checkout.' }));
  }
  const candidates = opts.iniPath ? [path.resolve(repo, opts.iniPath)] : [path.join(repo, 'alembic.ini'), path.join(repo, 'backend', 'alembic.ini')];
  let iniPath: string | undefined;
  for (const c of candidates) if (isFile(c)) iniPath = iniPath ?? c;
  if (!iniPath) {
    return err(
      appError('alembic-ini-missing', `No alembic.ini found in ${repo} (looked for ${candidates.map((c) => path.relative(repo, c) || c).join(' and ')}).`, {
        remediation: 'Point the app at the Skeldir backend checkout: the folder you run `alembic upgrade` from, which holds alembic.ini.',
      }),
    );
  }
  const ini = await readAlembicIni(iniPath, { platform: opts.platform });
  if (!ini.ok) return ini;

  // Alembic resolves relative locations against the folder it runs in; the runner runs it
  // in the ini's folder, so that is what they are relative to here.
  const scriptLocation = resolveScriptLocation(ini.value);
  if (!isDirectory(scriptLocation)) {
    return err(
      appError('alembic-ini-invalid', `script_location in ${iniPath} points to ${scriptLocation}, which is not a folder.`, {
        detail: `script_location = ${ini.value.scriptLocation}`,
        remediation: 'Fix script_location (relative to the folder of alembic.ini, or with %(here)s).',
      }),
    );
  }
  const versionLocations = (ini.value.versionLocations ?? [path.join(scriptLocation, 'versions')]).map((v) => path.resolve(ini.value.here, v));

  const errors: GraphError[] = [];
  const warnings: GraphWarning[] = [];
  const revisions: RevisionInfo[] = [];
  const files: string[] = [];
  const seen = new Set<string>();
  const rel = (abs: string) => path.relative(repo, abs).split(path.sep).join('/');

  for (const location of versionLocations) {
    if (!isDirectory(location)) {
      errors.push({
        kind: 'ini',
        message: `The version location ${rel(location) || location} does not exist, so no revision is read from it.`,
        file: rel(iniPath),
      });
      continue;
    }
    const nested: string[] = [];
    // Synchronous walk, probes and reads: 300 small files read in a row cost a few
    // milliseconds, while one await per file (a thread-pool round trip each) costs more
    // than parsing them.
    const listed = listRevisionFiles(location);
    // Overlapping version locations (one inside another, or through a link) would list a
    // file twice; resolving each folder once, not each file, is enough to see that.
    const realDirs = new Map<string, string>();
    const realDir = (dir: string) => {
      let real = realDirs.get(dir);
      if (real === undefined) {
        try {
          real = fs.realpathSync.native(dir);
        } catch {
          real = dir;
        }
        realDirs.set(dir, real);
      }
      return real;
    };
    const loaded = listed.map((file) => {
      const real = path.join(realDir(path.dirname(file)), path.basename(file));
      try {
        return { file, real, text: fs.readFileSync(file, 'utf8') };
      } catch (e) {
        return { file, real, error: (e as NodeJS.ErrnoException).code ?? 'error' };
      }
    });
    for (const entry of loaded) {
      const { file, real } = entry;
      if (seen.has(real)) continue;
      seen.add(real);
      const relative = rel(file);
      if (!('text' in entry) || entry.text === undefined) {
        errors.push({ kind: 'parse', message: `${relative} could not be read (${'error' in entry ? entry.error : 'error'}).`, file: relative });
        continue;
      }
      const text = entry.text;
      const parsed = opts.memo ? opts.memo.parse(real, text, relative) : parseRevisionSource(text, relative);
      if (!parsed.ok) {
        const f = parsed.failure;
        if (f.missingRevision && !f.looksLikeRevision) {
          warnings.push({
            kind: 'skipped-file',
            message: `${relative} has no \`revision\` and does not look like a migration, so it is skipped. Alembic itself stops on such a file ("Could not determine revision id from filename"); move it out of the versions folder.`,
            file: relative,
          });
          continue;
        }
        errors.push({ kind: 'parse', message: f.message, file: relative, line: f.line, revisionIds: f.revisionId ? [f.revisionId] : undefined });
        continue;
      }
      files.push(relative);
      revisions.push(parsed.revision);
      if (path.dirname(file) !== location) nested.push(parsed.revision.id);
    }
    if (nested.length > 0 && !ini.value.recursiveVersionLocations) {
      warnings.push({
        kind: 'hidden-from-alembic',
        message: `${nested.length} revision(s) sit in sub-folders of ${rel(location) || location}, but recursive_version_locations is not set in alembic.ini, so Alembic does not see them.`,
        file: rel(iniPath),
        revisionIds: nested,
      });
    }
  }

  opts.memo?.finishLoad();
  const graph = buildGraph(revisions, { loadErrors: errors, loadWarnings: warnings });
  return ok({ ini: ini.value, graph, files, scriptLocation, versionLocations });
}

function resolveScriptLocation(ini: AlembicIni): string {
  const loc = ini.scriptLocation.trim();
  // "package:path" names a folder inside an importable package (not a Windows drive letter).
  const pkg = /^([A-Za-z_][\w.]*):(?![\\/])(.+)$/.exec(loc);
  if (pkg && pkg[1].length > 1) return path.resolve(ini.here, ...pkg[1].split('.'), pkg[2]);
  return path.resolve(ini.here, loc);
}

/** Alembic's file order: sorted files of a folder, then its sorted sub-folders, depth first. */
function listRevisionFiles(dir: string): string[] {
  const out: string[] = [];
  const stack = [dir];
  while (stack.length > 0) {
    const current = stack.pop() as string;
    let entries: Dirent[];
    try {
      entries = fs.readdirSync(current, { withFileTypes: true });
    } catch {
      continue;
    }
    entries.sort((a, b) => byCodePoint(a.name, b.name));
    const dirs: string[] = [];
    for (const entry of entries) {
      const full = path.join(current, entry.name);
      // os.walk lists a symlink to a folder among the folders but does not descend into it.
      const isDir = entry.isDirectory() || (entry.isSymbolicLink() && isDirectory(full));
      if (isDir) {
        if (entry.isDirectory() && entry.name !== '__pycache__') dirs.push(full);
      } else if (REVISION_FILE.test(entry.name)) {
        out.push(full);
      }
    }
    // Push in reverse so the first sub-folder is walked next.
    for (const d of dirs.reverse()) stack.push(d);
  }
  return out;
}

/** Python compares strings by code point; JavaScript's default sort compares UTF-16 units. */
function byCodePoint(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i += 1) {
    if (a.charCodeAt(i) === b.charCodeAt(i)) continue;
    // Units and code points order alike except around surrogate pairs: compare code points here.
    return (a.codePointAt(i) as number) - (b.codePointAt(i) as number);
  }
  return a.length - b.length;
}
