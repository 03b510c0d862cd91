import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { templatePrefix } from '../../copies/copy-names';
import { configurationFilesOf } from '../../alembic/alembic-configuration';
import type { Profile } from '../../../../shared/profile/schema';

/**
 * The template cache key: a sha256 over the bytes of every Python file an upgrade runs from
 * the Alembic folders (env.py and its helpers under the script location, every revision
 * under the version locations, by relative path), alembic.ini or pyproject.toml, the profile
 * and the server's major version. Any edit to env.py or a migration changes it, so a stale
 * template is never used.
 */
export interface CacheKeyInput {
  repoDir: string;
  iniPath: string;
  scriptLocation: string;
  versionLocations: string[];
  profile: Profile;
  serverMajor: number;
}

export function computeCacheKey(input: CacheKeyInput): string {
  const hash = crypto.createHash('sha256');
  const feed = (label: string, bytes: Buffer | string) => {
    hash.update(`${label}\0${Buffer.byteLength(bytes)}\0`);
    hash.update(bytes);
  };
  // alembic.ini and/or pyproject.toml [tool.alembic]: whichever the project configures Alembic with.
  for (const file of configurationFilesOf(input.iniPath)) feed(path.basename(file), fs.readFileSync(file));
  const files: string[] = [];
  for (const location of [input.scriptLocation, ...input.versionLocations]) collectPython(location, files);
  for (const file of [...new Set(files)].sort()) feed(path.relative(input.repoDir, file).split(path.sep).join('/'), fs.readFileSync(file));
  // How many templates to keep says nothing about what a rebuild makes: changing it must
  // not turn the templates already made into strangers.
  const {
    templatesKept: _retention,
    snapshotsWarnAbove: _warnAbove,
    snapshotsWarnDiskShare: _warnShare,
    migrationNoProgressSeconds: _noProgress,
    ...makesTheDatabase
  } = input.profile;
  feed('profile', stableJson(makesTheDatabase));
  feed('server-major', String(input.serverMajor));
  return hash.digest('hex');
}

function collectPython(dir: string, into: string[]): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    if (entry.name === '__pycache__') continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) collectPython(full, into);
    else if (entry.name.endsWith('.py')) into.push(full);
  }
}

/** JSON with sorted keys, so the same profile always hashes the same. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** `<db>__tpl_<first 12 hex of the key>`, shortened to PostgreSQL's 63-byte limit. */
export function templateName(database: string, key: string): string {
  return `${templatePrefix(database)}${key.slice(0, 12)}`;
}
