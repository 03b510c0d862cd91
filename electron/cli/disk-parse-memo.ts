import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RevisionParseMemo } from '../engine/alembic/parse-memo';
import { parseRevisionSource, type RevisionParseOutcome } from '../engine/alembic/revision-parser';

/**
 * The CLI's parse memo, kept on disk between runs (as Python keeps compiled migration
 * modules in __pycache__ for Alembic): a file whose text hashes the same as last time
 * is not parsed again. One cache file per project, in the user's cache folder; it is
 * tied to this build of the parser (the file's own size and date), so a new version
 * never reuses an old parse. A cache that cannot be read or written is ignored.
 */
interface CacheFile {
  parser: string;
  entries: Record<string, { hash: string; file: string; outcome: RevisionParseOutcome }>;
}

export function userCacheDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.SKELDIR_CACHE_DIR) return env.SKELDIR_CACHE_DIR;
  if (platform === 'win32') return path.join(env.LOCALAPPDATA ?? path.join(os.homedir(), 'AppData', 'Local'), 'SkeldirRebuild', 'cache');
  if (platform === 'darwin') return path.join(os.homedir(), 'Library', 'Caches', 'skeldir-rebuild');
  return path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'skeldir-rebuild');
}

function parserBuild(): string {
  try {
    const stat = fs.statSync(__filename);
    return `${stat.size}:${Math.round(stat.mtimeMs)}`;
  } catch {
    return 'unknown';
  }
}

/** One-shot crypto.hash (Node ≥ 20.12): a Hash object per file costs a cold CLI more than the hashing itself. */
const sha1 = (text: string) => crypto.hash('sha1', text, 'base64');

export class DiskParseMemo extends RevisionParseMemo {
  private readonly parser = parserBuild();
  private readonly before: CacheFile['entries'];
  private readonly now: CacheFile['entries'] = {};
  private changed = false;

  constructor(private readonly cacheFile: string) {
    super();
    let entries: CacheFile['entries'] = {};
    try {
      const cached = JSON.parse(fs.readFileSync(cacheFile, 'utf8')) as CacheFile;
      if (cached.parser === this.parser && cached.entries && typeof cached.entries === 'object') entries = cached.entries;
    } catch {
      // No cache yet, or an unreadable one: parse everything.
    }
    this.before = entries;
  }

  /** The cache file of a project (by the real path of its folder). */
  static forProject(repoDir: string, env: NodeJS.ProcessEnv = process.env): DiskParseMemo {
    let real = path.resolve(repoDir);
    try {
      real = fs.realpathSync.native(real);
    } catch {
      // a missing folder is reported by the loader
    }
    const name = crypto.createHash('sha1').update(real).digest('hex').slice(0, 20);
    return new DiskParseMemo(path.join(userCacheDir(env), 'graph', `${name}.json`));
  }

  override parse(realPath: string, text: string, file: string): RevisionParseOutcome {
    const hash = sha1(text);
    const cached = this.before[realPath];
    if (cached && cached.hash === hash && cached.file === file) {
      this.now[realPath] = cached;
      return cached.outcome;
    }
    const outcome = parseRevisionSource(text, file);
    // A file with expression attributes carries its token stream for the loader to resolve
    // against other modules: not plain data, and rare; it is parsed again each time.
    if (outcome.ok && outcome.pending) return outcome;
    this.now[realPath] = { hash, file, outcome };
    this.changed = true;
    return outcome;
  }

  override finishLoad(): void {
    if (!this.changed && Object.keys(this.now).length === Object.keys(this.before).length) return;
    try {
      fs.mkdirSync(path.dirname(this.cacheFile), { recursive: true });
      const temporary = `${this.cacheFile}.${process.pid}.tmp`;
      fs.writeFileSync(temporary, JSON.stringify({ parser: this.parser, entries: this.now } satisfies CacheFile));
      fs.renameSync(temporary, this.cacheFile);
    } catch {
      // A read-only or full disk only costs the next run a full parse.
    }
  }
}
