import { mkdirSync, readFileSync, realpathSync, renameSync, statSync, writeFileSync, type Stats } from 'node:fs';
import { homedir } from 'node:os';
import * as path from 'node:path';
import { RevisionParseMemo, type RevisionTextReader } from '../engine/alembic/parse-memo';
import { parseRevisionSource, type RevisionParseOutcome } from '../engine/alembic/revision-parser';

/**
 * The CLI's parse memo, kept on disk between runs (as Python keeps compiled migration
 * modules in __pycache__ for Alembic). One cache file per project, in the user's cache
 * folder; it is tied to this build of the parser (the file's own size and date), so a new
 * version never reuses an old parse. A cache that cannot be read or written is ignored.
 *
 * A file counts as unchanged when its size, modification time and change time are those
 * recorded, without reading it: reading and hashing 300 files cost about a fifth of
 * `graph`'s time above Node's own start-up. Python's __pycache__ trusts size and mtime
 * alone; the change time (which no tool can set back) adds what that misses: a file
 * copied or extracted with its old mtime kept, or chmod-ed unreadable. What stat cannot see is a second edit within one tick of the file
 * system's clock (up to 2 s on FAT), so a file changed within SETTLE_MS before the load
 * began is parsed but not recorded. The price is trusting the clocks: a network share
 * whose attributes lag or whose server clock runs behind could show a stale parse, as it
 * would show Python a stale __pycache__.
 */
interface CacheEntry {
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  file: string;
  outcome: RevisionParseOutcome;
}

interface CacheFile {
  parser: string;
  entries: Record<string, CacheEntry>;
}

/** The coarsest timestamp tick among common file systems (FAT's 2 s). */
const SETTLE_MS = 2000;

export function userCacheDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.SKELDIR_CACHE_DIR) return env.SKELDIR_CACHE_DIR;
  if (platform === 'win32') return path.join(env.LOCALAPPDATA ?? path.join(homedir(), 'AppData', 'Local'), 'SkeldirRebuild', 'cache');
  if (platform === 'darwin') return path.join(homedir(), 'Library', 'Caches', 'skeldir-rebuild');
  return path.join(env.XDG_CACHE_HOME || path.join(homedir(), '.cache'), 'skeldir-rebuild');
}

function parserBuild(): string {
  try {
    const stat = statSync(__filename);
    return `${stat.size}:${Math.round(stat.mtimeMs)}`;
  } catch {
    return 'unknown';
  }
}

/**
 * A short name for a project's folder (FNV-1a, 32 bits): not node:crypto, whose loading
 * and OpenSSL set-up cost `graph` more than the rest of its start-up. Two folders sharing
 * a name only share a cache file, whose entries are keyed by full path: never a wrong parse.
 */
function folderKey(folder: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < folder.length; i += 1) hash = Math.imul(hash ^ folder.charCodeAt(i), 0x01000193);
  return (hash >>> 0).toString(16).padStart(8, '0');
}

function statOrNull(file: string): Stats | null {
  try {
    return statSync(file, { throwIfNoEntry: false }) ?? null;
  } catch {
    return null;
  }
}

export class DiskParseMemo extends RevisionParseMemo {
  private readonly parser = parserBuild();
  private readonly settledBefore: number;
  private readonly before: CacheFile['entries'];
  private readonly now: CacheFile['entries'] = {};
  private changed = false;

  /** `loadStart` is when the load began (tests move it to see files as settled). */
  constructor(
    private readonly cacheFile: string,
    loadStart = Date.now(),
  ) {
    super();
    this.settledBefore = loadStart - SETTLE_MS;
    let entries: CacheFile['entries'] = {};
    try {
      const cached = JSON.parse(readFileSync(cacheFile, 'utf8')) as CacheFile;
      if (cached.parser === this.parser && cached.entries && typeof cached.entries === 'object') entries = cached.entries;
    } catch {
      // No cache yet, or an unreadable one: parse everything.
    }
    this.before = entries;
  }

  /** The cache file of a project (by the real path of its folder). */
  static forProject(repoDir: string, env: NodeJS.ProcessEnv = process.env, loadStart = Date.now()): DiskParseMemo {
    let real = path.resolve(repoDir);
    try {
      real = realpathSync.native(real);
    } catch {
      // a missing folder is reported by the loader
    }
    return new DiskParseMemo(path.join(userCacheDir(env), 'graph', `${folderKey(real)}.json`), loadStart);
  }

  override parse(realPath: string, file: string, read: RevisionTextReader): RevisionParseOutcome | null {
    // Taken before reading: an edit between the two then shows as a new date next run.
    const stat = statOrNull(realPath);
    const cached = this.before[realPath];
    if (stat && cached && cached.file === file && cached.size === stat.size && cached.mtimeMs === stat.mtimeMs && cached.ctimeMs === stat.ctimeMs) {
      this.now[realPath] = cached;
      return cached.outcome;
    }
    const text = read();
    if (text === null) return null;
    const outcome = parseRevisionSource(text, file);
    // A file with expression attributes carries its token stream for the loader to resolve
    // against other modules: not plain data, and rare; it is parsed again each time.
    if (outcome.ok && outcome.pending) return outcome;
    if (stat && Math.max(stat.mtimeMs, stat.ctimeMs) <= this.settledBefore) {
      this.now[realPath] = { size: stat.size, mtimeMs: stat.mtimeMs, ctimeMs: stat.ctimeMs, file, outcome };
    }
    this.changed = true;
    return outcome;
  }

  override finishLoad(): void {
    if (!this.changed && Object.keys(this.now).length === Object.keys(this.before).length) return;
    try {
      mkdirSync(path.dirname(this.cacheFile), { recursive: true });
      const temporary = `${this.cacheFile}.${process.pid}.tmp`;
      writeFileSync(temporary, JSON.stringify({ parser: this.parser, entries: this.now } satisfies CacheFile));
      renameSync(temporary, this.cacheFile);
    } catch {
      // A read-only or full disk only costs the next run a full parse.
    }
  }
}
