/**
 * Loads an Alembic project from a checkout without running Python: finds alembic.ini,
 * resolves the script and version locations, reads every revision file in Alembic's
 * order and builds the migration graph. A file that cannot be read or parsed becomes a
 * GraphError naming it; only a missing checkout, ini or script folder fails the load.
 *
 * File order matters (Alembic breaks ties in upgrade order by it), so we walk like
 * Alembic's Script._list_py_dir: version locations in order; in each folder its files
 * sorted by name, then, only with recursive_version_locations, its sub-folders sorted by
 * name, depth first; `__pycache__` skipped; `__init__*.py` and `.#*` editor lock files ignored.
 * Attributes written as expressions are worked out from the repository's modules, or
 * read by Alembic itself when a Python interpreter is given.
 */
import { readdirSync, readFileSync, realpathSync, type Dirent } from 'node:fs';
import * as path from 'node:path';
import { isDirectory, isFile, readTextIfPresent } from '../platform/fs-probe';
import { appError, err, ok, type Result } from '../../../shared/errors/app-error';
import { buildGraph } from '../../../shared/graph/build-graph';
import type { GraphError, GraphWarning, MigrationGraph, RevisionInfo } from '../../../shared/graph/model';
import type { AlembicIni, PathPlatform } from './ini-reader';
import { findConfiguration, readConfiguration } from './alembic-configuration';
import { parseRevisionSource, type PendingAttributes, type RevisionField, type RevisionParseOutcome } from './revision-parser';
import type { RevisionParseMemo } from './parse-memo';
import { evaluateAssignment, ModuleFinder, scopeOf, type StaticValue } from './static-values';
import type { AlembicInterpreter, AlembicRead } from './read-by-alembic';

export interface LoadProjectOptions {
  /** What `os` means in version_path_separator; defaults to this machine's platform. */
  platform?: PathPlatform;
  /** An explicit ini file instead of <repo>/alembic.ini or <repo>/backend/alembic.ini. */
  iniPath?: string;
  /** Reuse the parse of files unchanged since the previous load with this memo (the app's repeated loads). */
  memo?: RevisionParseMemo;
  /**
   * The project's Python, to ask Alembic for attributes the static reader cannot work out.
   * Without it such a revision stays in the graph with its unknown attribute named in an error.
   * A function is called only when some revision needs it, so finding the interpreter costs
   * nothing on projects the static reader reads whole.
   */
  python?: AlembicInterpreter | null | (() => Promise<AlembicInterpreter | null>);
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
    const remediation = 'Choose the folder of your Skeldir backend checkout.';
    if (isFile(repo)) return err(appError('repo-not-found', `${repo} is a file, not a folder.`, { remediation }));
    return err(appError('repo-not-found', `The folder ${repo} does not exist.`, { remediation }));
  }
  const config = findConfiguration(repo, opts.iniPath);
  if (!config || (!config.iniExists && !config.tomlPath)) {
    const candidates = opts.iniPath ? [path.resolve(repo, opts.iniPath)] : [path.join(repo, 'alembic.ini'), path.join(repo, 'backend', 'alembic.ini')];
    return err(
      appError(
        'alembic-ini-missing',
        `No alembic.ini found in ${repo} (looked for ${candidates.map((c) => path.relative(repo, c) || c).join(' and ')}, and for a pyproject.toml with [tool.alembic]).`,
        {
          remediation: 'Choose the Skeldir backend checkout: the folder you run `alembic upgrade` from, which holds alembic.ini.',
          action: 'choose-repository',
        },
      ),
    );
  }
  const { iniPath, tomlPath } = config;
  const errors: GraphError[] = [];
  const warnings: GraphWarning[] = [];
  const rel = (abs: string) => path.relative(repo, abs).split(path.sep).join('/');

  const ini = await readConfiguration(config, opts.platform);
  if (!ini.ok) return ini;

  // Alembic resolves relative locations against the folder it runs in; the runner runs it
  // in the ini's folder, so that is what they are relative to here. prepend_sys_path is
  // where it finds a `package:path` location's package (and the modules revisions import).
  const here = ini.value.here;
  const sysPath = ini.value.prependSysPath.map((p) => path.resolve(here, p));
  const scriptLocation = resolveLocation(ini.value.scriptLocation.trim(), here, sysPath);
  if (!isDirectory(scriptLocation)) {
    return err(
      appError('alembic-ini-invalid', `script_location in ${ini.value.path} points to ${scriptLocation}, which is not a folder.`, {
        detail: `script_location = ${ini.value.scriptLocation}`,
        remediation: 'Fix script_location (relative to the folder of alembic.ini, or with %(here)s).',
      }),
    );
  }
  const defaultVersions = path.join(scriptLocation, 'versions');
  const versionLocations =
    ini.value.versionLocations && ini.value.versionLocations.length > 0
      ? ini.value.versionLocations.map((v) => resolveLocation(v, here, sysPath))
      : [defaultVersions];
  const recursive = ini.value.recursiveVersionLocations;

  const entries: Entry[] = [];
  const seen = new Set<string>();
  // Folder listings, shared by the walk and the hidden-folder check so no folder is listed twice.
  const listings = new Map<string, Dirent[]>();

  for (const location of versionLocations) {
    if (!isDirectory(location)) {
      errors.push({
        kind: 'ini',
        message: `The version location ${rel(location) || location} does not exist, so no revision is read from it.`,
        file: rel(iniPath),
      });
      continue;
    }
    // Synchronous walk, probes and reads: 300 small files read in a row cost a few
    // milliseconds, while one await per file (a thread-pool round trip each) costs more
    // than parsing them.
    const listed = listRevisionFiles(location, recursive, listings);
    // Overlapping version locations (one inside another, or through a link) would list a
    // file twice; resolving each folder once, not each file, is enough to see that.
    const folders = new Map<string, { real: string; relative: string }>();
    const folderOf = (dir: string) => {
      let folder = folders.get(dir);
      if (folder === undefined) {
        let real: string;
        try {
          real = realpathSync.native(dir);
        } catch {
          real = dir;
        }
        folder = { real, relative: rel(dir) };
        folders.set(dir, folder);
      }
      return folder;
    };
    for (const { dir, name } of listed) {
      const folder = folderOf(dir);
      const real = inFolder(folder.real, name);
      if (seen.has(real)) continue;
      seen.add(real);
      const file = inFolder(dir, name);
      const relative = folder.relative ? `${folder.relative}/${name}` : name;
      // Handed to the memo, which may not read at all (the CLI's skips files whose size and dates are unchanged).
      let unreadable = '';
      const read = (): string | null => {
        try {
          return readFileSync(file, 'utf8');
        } catch (e) {
          unreadable = (e as NodeJS.ErrnoException).code ?? 'error';
          return null;
        }
      };
      const parsed = opts.memo ? opts.memo.parse(real, relative, read) : parseText(read(), relative);
      if (parsed === null) {
        errors.push({ kind: 'parse', message: `${relative} could not be read (${unreadable}).`, file: relative });
        continue;
      }
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
      entries.push({ file: relative, absolute: file, revision: parsed.revision, pending: parsed.pending });
    }
  }

  if (entries.some((e) => e.pending)) {
    const finder = new ModuleFinder(moduleRoots(sysPath, scriptLocation));
    await resolvePending(entries, finder, { python: opts.python ?? null, iniPath, tomlPath, section: ini.value.section, cwd: here }, errors);
  }
  const revisions: RevisionInfo[] = [];
  const files: string[] = [];
  for (const e of entries) {
    if (e.revision.id === '') continue;
    revisions.push(e.revision);
    files.push(e.file);
  }
  warnings.push(...hiddenFolderWarnings(versionLocations, defaultVersions, recursive, listings, rel, rel(iniPath)));

  opts.memo?.finishLoad();
  const graph = buildGraph(revisions, { loadErrors: errors, loadWarnings: warnings });
  return ok({ ini: ini.value, graph, files, scriptLocation, versionLocations });
}

function parseText(text: string | null, file: string): RevisionParseOutcome | null {
  return text === null ? null : parseRevisionSource(text, file);
}

interface Entry {
  file: string;
  absolute: string;
  revision: RevisionInfo;
  pending?: PendingAttributes;
}

/**
 * Alembic's coerce_resource_to_filename: `package:path` names a folder inside an importable
 * package (found on prepend_sys_path, else beside the ini); anything else is a path.
 */
function resolveLocation(loc: string, here: string, sysPath: string[]): string {
  if (!path.isAbsolute(loc) && loc.includes(':') && !/^[A-Za-z]:[\\/]/.test(loc)) {
    const [pkg, ...rest] = loc.split(':');
    const parts = pkg.split('.');
    const root = [...sysPath, here].find((r) => isDirectory(path.join(r, ...parts)));
    return path.resolve(root ?? here, ...parts, ...rest);
  }
  return path.resolve(here, loc);
}

/**
 * Where Python finds the modules a revision imports when Alembic loads it: the
 * prepend_sys_path folders, and the folder holding the top package the script location
 * lives in (its modules are importable by the package's name).
 */
function moduleRoots(sysPath: string[], scriptLocation: string): string[] {
  const roots = [...sysPath];
  let top: string | null = null;
  for (let dir = scriptLocation; isFile(path.join(dir, '__init__.py')); dir = path.dirname(dir)) {
    top = dir;
    if (path.dirname(dir) === dir) break;
  }
  if (top) roots.push(path.dirname(top));
  return [...new Set(roots)];
}

interface FallbackContext {
  python: LoadProjectOptions['python'];
  iniPath: string;
  tomlPath: string | null;
  section: string;
  cwd: string;
}

const FIELD_NAME: Record<RevisionField, 'id' | 'downRevisions' | 'branchLabels' | 'dependsOn'> = {
  revision: 'id',
  down_revision: 'downRevisions',
  branch_labels: 'branchLabels',
  depends_on: 'dependsOn',
};

/**
 * Fills in attributes written as expressions: statically where the static reader can,
 * else by asking Alembic (one process for all such files), else leaves them empty and
 * names them in an error. A revision is dropped only when its id itself stays unknown.
 */
async function resolvePending(entries: Entry[], finder: ModuleFinder, ctx: FallbackContext, errors: GraphError[]): Promise<void> {
  const undecided: { entry: Entry; fields: { field: RevisionField; line: number; reason: string }[] }[] = [];
  for (const entry of entries) {
    const pending = entry.pending;
    if (!pending) continue;
    const scope = scopeOf(pending.parsed, null);
    const revision: RevisionInfo = { ...entry.revision };
    const left: { field: RevisionField; line: number; reason: string }[] = [];
    for (const p of pending.fields) {
      const v = evaluateAssignment(p.tokens, scope, p.line, finder);
      const value = v.ok ? asAttribute(p.field, v.value) : v;
      if (!value.ok) {
        left.push({ field: p.field, line: p.line, reason: value.reason });
        continue;
      }
      if (p.field === 'revision') {
        revision.id = value.value[0];
        revision.line = p.line;
      } else revision[FIELD_NAME[p.field] as 'downRevisions' | 'branchLabels' | 'dependsOn'] = value.value;
    }
    entry.revision = revision;
    if (left.length > 0) undecided.push({ entry, fields: left });
  }
  if (undecided.length === 0) return;

  let answers: Map<string, AlembicRead> | null = null;
  let whyNot = 'no Python interpreter was given to ask Alembic';
  const python = typeof ctx.python === 'function' ? await ctx.python() : ctx.python;
  if (python) {
    // Loaded only when a revision needs it: it brings child_process (and with it net and
    // dgram), which most loads never use and the CLI's `graph` would pay for at start-up.
    const { readWithAlembic } = await import('./read-by-alembic.js');
    const read = await readWithAlembic({
      python,
      iniPath: ctx.iniPath,
      tomlPath: ctx.tomlPath,
      section: ctx.section,
      files: undecided.map((u) => u.entry.absolute),
      cwd: ctx.cwd,
    });
    if (read.ok) answers = read.files;
    else whyNot = `asking Alembic failed: ${read.error}`;
  }
  for (const { entry, fields } of undecided) {
    const answer = answers?.get(entry.absolute);
    const what = fields.map((f) => `\`${f.field}\` (line ${f.line}: ${f.reason})`).join(', ');
    if (answer?.ok) {
      entry.revision = {
        ...entry.revision,
        id: answer.revision,
        downRevisions: answer.downRevision ?? [],
        branchLabels: answer.branchLabels,
        dependsOn: answer.dependsOn ?? [],
        readByAlembic: `Read by Alembic: ${what} is not a value the static reader can work out.`,
      };
      continue;
    }
    const reason =
      answer && !answer.ok ? `Alembic could not load the file either (${answer.error})` : answers ? 'Alembic gave no answer for this file' : whyNot;
    const id = entry.revision.id;
    const unknown = fields.map((f) => f.field);
    errors.push({
      kind: 'parse',
      message: `${entry.file}: ${what}; ${reason}. ${id ? `Revision ${id} is kept with ${unknown.join(', ')} unknown (read as empty).` : 'Without its id the revision cannot be placed in the graph.'} ${
        answer
          ? 'Fix the file so that Alembic can load it.'
          : 'Choose the Python that runs your migrations (with Alembic installed), or write the value as a plain string or tuple.'
      }`,
      file: entry.file,
      line: fields[0].line,
      revisionIds: id ? [id] : undefined,
    });
    if (id) entry.revision = { ...entry.revision, unknownAttributes: unknown };
  }
}

/** A static value as the attribute Alembic would see; None reads as empty. */
function asAttribute(field: RevisionField, value: StaticValue): { ok: true; value: string[] } | { ok: false; reason: string } {
  if (value === null) return field === 'revision' ? { ok: false, reason: 'is None' } : { ok: true, value: [] };
  if (typeof value === 'string') return value === '' && field === 'revision' ? { ok: false, reason: 'is empty' } : { ok: true, value: [value] };
  if (field === 'revision') return { ok: false, reason: 'is a tuple, not a string' };
  if (!value.every((v): v is string => typeof v === 'string')) return { ok: false, reason: 'must list only strings' };
  return { ok: true, value };
}

/**
 * The hidden-folder check looks a few levels below each version location, never into
 * caches, virtualenvs or dot-folders: a version location as wide as the repository (an
 * empty legacy piece is the ini's folder) must not turn a load into a walk of the disk.
 */
const HIDDEN_SCAN_MAX_DEPTH = 4;
const HIDDEN_SCAN_MAX_FOLDERS = 400;
const SKIPPED_FOLDER = /^(?:\.|__pycache__$|node_modules$|site-packages$|venv$)/;

/**
 * Folders holding revision files that Alembic does not scan: sub-folders of the version
 * locations (when not recursive) and of the default versions folder that are neither a
 * version location nor inside a recursively scanned one. An explicitly listed sub-folder
 * is scanned, so it is not warned about.
 */
function hiddenFolderWarnings(
  locations: string[],
  defaultVersions: string,
  recursive: boolean,
  listings: Map<string, Dirent[]>,
  rel: (abs: string) => string,
  iniFile: string,
): GraphWarning[] {
  const listed = new Set(locations.map((l) => path.resolve(l)));
  const scanned = (dir: string) => listed.has(dir) || (recursive && locations.some((l) => dir.startsWith(l + path.sep)));
  const out: GraphWarning[] = [];
  const visited = new Set<string>();
  for (const root of [...locations, defaultVersions]) {
    const stack = [{ dir: path.resolve(root), depth: 0 }];
    while (stack.length > 0 && visited.size < HIDDEN_SCAN_MAX_FOLDERS) {
      const { dir, depth } = stack.pop() as { dir: string; depth: number };
      if (visited.has(dir)) continue;
      visited.add(dir);
      const names = listDir(dir, listings);
      if (depth < HIDDEN_SCAN_MAX_DEPTH) {
        const subdirs = names.filter((d) => d.isDirectory() && !SKIPPED_FOLDER.test(d.name)).map((d) => ({ dir: path.join(dir, d.name), depth: depth + 1 }));
        stack.push(...subdirs.reverse());
      }
      if (scanned(dir)) continue;
      const py = names.filter((d) => !d.isDirectory() && REVISION_FILE.test(d.name)).map((d) => d.name);
      const ids: string[] = [];
      for (const name of py) {
        const text = readTextIfPresent(path.join(dir, name)) ?? '';
        // Only files that look like revisions are worth tokenizing.
        if (!text.includes('down_revision')) continue;
        const outcome = parseRevisionSource(text, rel(path.join(dir, name)));
        if (outcome.ok && outcome.revision.id) ids.push(outcome.revision.id);
      }
      if (ids.length === 0) continue;
      const nested = locations.some((l) => dir.startsWith(l + path.sep));
      const why = nested
        ? 'it is a sub-folder of a version location and recursive_version_locations is not set to true'
        : 'it is not listed in version_locations';
      const fix = nested ? 'set recursive_version_locations = true or list the folder in version_locations' : 'list the folder in version_locations';
      out.push({
        kind: 'hidden-from-alembic',
        message: `${ids.length} revision(s) in ${rel(dir)} are not read by Alembic: ${why}. They are left out of the graph, as Alembic leaves them out of every upgrade; if they should run, ${fix}.`,
        file: iniFile,
        revisionIds: ids,
      });
    }
  }
  return out;
}

/** A file listed in a version location: its folder (absolute) and its name. */
interface ListedFile {
  dir: string;
  name: string;
}

/**
 * Alembic's file order: sorted files of a folder, then (only when recursive) its sorted
 * sub-folders, depth first. Files are kept as folder and name: path functions run once per
 * folder, not once per file (300 path.join/relative calls cost a cold CLI more than reading the files).
 */
function listRevisionFiles(dir: string, recursive: boolean, listings: Map<string, Dirent[]>): ListedFile[] {
  const out: ListedFile[] = [];
  const stack = [dir];
  while (stack.length > 0) {
    const current = stack.pop() as string;
    const entries = listDir(current, listings);
    const dirs: string[] = [];
    for (const entry of entries) {
      // os.walk lists a symlink to a folder among the folders but does not descend into it.
      const isDir = entry.isDirectory() || (entry.isSymbolicLink() && isDirectory(inFolder(current, entry.name)));
      if (isDir) {
        if (entry.isDirectory() && entry.name !== '__pycache__') dirs.push(inFolder(current, entry.name));
      } else if (REVISION_FILE.test(entry.name)) {
        out.push({ dir: current, name: entry.name });
      }
    }
    // Push in reverse so the first sub-folder is walked next.
    if (recursive) for (const d of dirs.reverse()) stack.push(d);
  }
  return out;
}

/** path.join for a normalised absolute folder and a plain name, without re-normalising the folder. */
function inFolder(dir: string, name: string): string {
  return dir.endsWith(path.sep) ? dir + name : dir + path.sep + name;
}

/** A folder's entries sorted by name (empty when it cannot be listed), listed once per load. */
function listDir(dir: string, listings: Map<string, Dirent[]>): Dirent[] {
  let entries = listings.get(dir);
  if (entries === undefined) {
    try {
      entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => byCodePoint(a.name, b.name));
    } catch {
      entries = [];
    }
    listings.set(dir, entries);
  }
  return entries;
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
