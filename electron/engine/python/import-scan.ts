import * as fs from 'node:fs';
import * as path from 'node:path';
import { pythonImports } from '../../../shared/prerequisites/python-imports';
import { isDirectory, isFile as isFileUncached } from '../platform/fs-probe';

/**
 * The third-party modules the rebuild's own Python code imports, found by reading it:
 * the migrations and env.py (Alembic runs them), and the suites with their conftest.py
 * chain (pytest runs them), following every import that resolves to a file of the repo.
 * A module that resolves to no file of the repo is third-party (or the standard library).
 */
export interface ImportScanInput {
  repoDir: string;
  /** env.py's folder (Alembic's script_location), when known. */
  scriptDir?: string;
  /** Folders holding revision files (version_locations, else <script_location>/versions). */
  versionDirs: string[];
  /** Whether revisions are read from sub-folders of versionDirs too. */
  recursive: boolean;
  /** Extra import roots (alembic.ini's prepend_sys_path, resolved). */
  extraRoots: string[];
  /** The profile's suite files, relative to the repo. */
  suites: string[];
}

export interface ImportScan {
  /** Absolute dotted modules imported by the migrations, env.py and the local code they import. */
  migrations: Set<string>;
  /** The same for the suites, their conftest.py files and the local code they import. */
  tests: Set<string>;
}

/** isFile, remembered for the scan in progress (set by scanImports; the scan is synchronous, so scans never overlap). */
let isFile: (file: string) => boolean = isFileUncached;

const DRIVER_IN_URL = /\bpostgres(?:ql)?\+(\w+):\/\//g;

/** Bounds the walk on a huge repository; the rebuild's code is a few hundred files at most. */
const MAX_FILES = 3000;

export function scanImports(input: ImportScanInput): ImportScan {
  // The same candidate paths come up for every import of a module: stat each once per scan.
  const known = new Map<string, boolean>();
  isFile = (file: string) => {
    let answer = known.get(file);
    if (answer === undefined) known.set(file, (answer = isFileUncached(file)));
    return answer;
  };
  const roots = [...new Set([input.repoDir, path.join(input.repoDir, 'backend'), ...input.extraRoots].filter(isDirectory))];
  const migrationFiles: string[] = [];
  if (input.scriptDir && isFile(path.join(input.scriptDir, 'env.py'))) migrationFiles.push(path.join(input.scriptDir, 'env.py'));
  for (const dir of input.versionDirs) migrationFiles.push(...pythonFiles(dir, input.recursive));
  const testFiles: string[] = [];
  for (const suite of input.suites) {
    const file = path.resolve(input.repoDir, suite);
    if (!isFile(file)) continue;
    testFiles.push(file, ...conftestChain(path.dirname(file), input.repoDir));
  }
  return { migrations: walk(migrationFiles, roots), tests: walk(testFiles, roots) };
}

function pythonFiles(dir: string, recursive: boolean): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isFile() && entry.name.endsWith('.py')) out.push(full);
    else if (recursive && entry.isDirectory() && entry.name !== '__pycache__') out.push(...pythonFiles(full, true));
  }
  return out;
}

/** conftest.py from the suite's folder up to the repository root, as pytest collects them. */
function conftestChain(dir: string, repoDir: string): string[] {
  const out: string[] = [];
  const root = path.resolve(repoDir);
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    const conftest = path.join(current, 'conftest.py');
    if (isFile(conftest)) out.push(conftest);
    if (current === root || path.dirname(current) === current || !current.startsWith(root)) break;
  }
  return out;
}

function walk(start: string[], roots: string[]): Set<string> {
  const external = new Set<string>();
  const seen = new Set<string>();
  const queue = [...start];
  while (queue.length > 0 && seen.size < MAX_FILES) {
    const file = queue.shift() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    let source: string;
    try {
      source = fs.readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    // A connection URL that names a driver ("postgresql+asyncpg://") makes SQLAlchemy import it.
    for (const match of source.matchAll(DRIVER_IN_URL)) external.add(match[1]);
    // The file's own folder is an import root too (pytest's rootdir-less "prepend" mode, scripts).
    const fileRoots = [...roots, packageBase(path.dirname(file))];
    for (const statement of pythonImports(source)) {
      if (statement.level > 0) {
        let base = path.dirname(file);
        for (let up = 1; up < statement.level; up++) base = path.dirname(base);
        const target = statement.module ? path.join(base, ...statement.module.split('.')) : base;
        queue.push(...localFiles(target, statement.names));
        continue;
      }
      const local = fileRoots
        .map((root) => path.join(root, ...statement.module.split('.')))
        // A folder without __init__.py would be a namespace package, which an installed package of the same name wins over (the repo's alembic/ folder).
        .filter((target) => isFile(`${target}.py`) || isFile(path.join(target, '__init__.py')));
      if (local.length > 0) {
        for (const target of local) {
          queue.push(...packageInits(target, fileRoots), ...localFiles(target, statement.names));
        }
        continue;
      }
      external.add(statement.module);
      for (const name of statement.names) external.add(`${statement.module}.${name}`);
    }
  }
  return external;
}

/** The module file (or package __init__) at `target`, and submodules named in `from target import a, b`. */
function localFiles(target: string, names: string[]): string[] {
  const out: string[] = [];
  if (isFile(`${target}.py`)) out.push(`${target}.py`);
  if (isFile(path.join(target, '__init__.py'))) out.push(path.join(target, '__init__.py'));
  for (const name of names) {
    if (isFile(path.join(target, `${name}.py`))) out.push(path.join(target, `${name}.py`));
    if (isFile(path.join(target, name, '__init__.py'))) out.push(path.join(target, name, '__init__.py'));
  }
  return out;
}

/** The __init__.py of each package on the way to `target` (importing a.b.c runs a and a.b first). */
function packageInits(target: string, roots: string[]): string[] {
  const root = roots.find((r) => target.startsWith(r + path.sep));
  if (!root) return [];
  const out: string[] = [];
  for (let dir = path.dirname(target); dir.startsWith(root + path.sep); dir = path.dirname(dir)) {
    const init = path.join(dir, '__init__.py');
    if (isFile(init)) out.push(init);
  }
  return out;
}

/** The first folder up from `dir` that is not a package: where `import pkg.mod` of a file in `dir` resolves from. */
function packageBase(dir: string): string {
  let current = dir;
  while (isFile(path.join(current, '__init__.py')) && path.dirname(current) !== current) current = path.dirname(current);
  return current;
}
