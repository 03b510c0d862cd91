import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadAlembicProject } from '../../../electron/engine/alembic/load-project';
import { DiskParseMemo, userCacheDir } from '../../../electron/cli/disk-parse-memo';
import { makeTempDir } from '../../support/temp-dir';

const LARGE = path.resolve(__dirname, '..', '..', 'fixtures', 'large-300');
const dirs: string[] = [];

function firstRevisionFile(repo: string): string {
  const versions = path.join(repo, 'alembic', 'versions');
  const file = fs
    .readdirSync(versions, { recursive: true })
    .map(String)
    .sort()
    .find((name) => name.endsWith('.py'));
  if (!file) throw new Error('no revision file in the fixture');
  return path.join(versions, file);
}

function revisionIdOf(text: string): string {
  return /revision\s*(?::\s*str\s*)?=\s*['"]([^'"]+)['"]/.exec(text)?.[1] as string;
}

async function messageOf(loading: ReturnType<typeof loadAlembicProject>, id: string): Promise<string | undefined> {
  const loaded = await loading;
  return loaded.ok ? loaded.value.graph.revisions[id]?.message : undefined;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe('the CLI\u2019s on-disk parse cache', () => {
  it('gives the same graph as a fresh parse, reuses unchanged files and re-parses a changed one', async () => {
    const cache = makeTempDir('skeldir-parse-cache-');
    const repo = makeTempDir('skeldir-parse-repo-');
    dirs.push(cache, repo);
    fs.cpSync(LARGE, repo, { recursive: true });
    const env = { SKELDIR_CACHE_DIR: cache };
    // The copies were just written: a load a minute from now sees them as settled, so it records them.
    const later = Date.now() + 60_000;
    const load = () => loadAlembicProject(repo, { memo: DiskParseMemo.forProject(repo, env, later) });
    const fresh = await loadAlembicProject(repo);
    const first = await load();
    const second = await load();
    expect(fresh.ok && first.ok && second.ok).toBe(true);
    if (!fresh.ok || !first.ok || !second.ok) return;
    expect(JSON.parse(JSON.stringify(first.value.graph))).toEqual(JSON.parse(JSON.stringify(fresh.value.graph)));
    expect(JSON.parse(JSON.stringify(second.value.graph))).toEqual(JSON.parse(JSON.stringify(fresh.value.graph)));
    expect(fs.readdirSync(path.join(cache, 'graph'))).toHaveLength(1);

    // A file whose size and dates are unchanged is not read again: what the cache says is served.
    const full = firstRevisionFile(repo);
    const id = revisionIdOf(fs.readFileSync(full, 'utf8'));
    const cacheFile = path.join(cache, 'graph', fs.readdirSync(path.join(cache, 'graph'))[0]);
    const cached = JSON.parse(fs.readFileSync(cacheFile, 'utf8')) as { entries: Record<string, { outcome: { revision: { message: string } } }> };
    cached.entries[fs.realpathSync(full)].outcome.revision.message = 'Served from the cache';
    fs.writeFileSync(cacheFile, JSON.stringify(cached));
    expect(await messageOf(load(), id)).toBe('Served from the cache');

    // A changed size: parsed again.
    const text = fs.readFileSync(full, 'utf8');
    fs.writeFileSync(full, text.replace(/^"""[^\n]*/m, '"""A message changed after the cache was written'));
    expect(await messageOf(load(), id)).toBe('A message changed after the cache was written');

    // The same size with a new modification time: parsed again.
    const sameSize = fs.readFileSync(full, 'utf8').replace('A message changed', 'A message CHANGED');
    const before = fs.statSync(full);
    fs.writeFileSync(full, sameSize);
    fs.utimesSync(full, before.atime, new Date(before.mtimeMs + 1000));
    expect(fs.statSync(full).size).toBe(before.size);
    expect(await messageOf(load(), id)).toBe('A message CHANGED after the cache was written');
  });

  it('does not record a file changed within the last seconds, whose next edit its dates might not show', async () => {
    const cache = makeTempDir('skeldir-parse-cache-');
    const repo = makeTempDir('skeldir-parse-repo-');
    dirs.push(cache, repo);
    fs.cpSync(LARGE, repo, { recursive: true });
    const env = { SKELDIR_CACHE_DIR: cache };
    const loaded = await loadAlembicProject(repo, { memo: DiskParseMemo.forProject(repo, env) });
    expect(loaded.ok).toBe(true);
    const cacheFile = path.join(cache, 'graph', fs.readdirSync(path.join(cache, 'graph'))[0]);
    const cached = JSON.parse(fs.readFileSync(cacheFile, 'utf8')) as { entries: Record<string, unknown> };
    expect(cached.entries[fs.realpathSync(firstRevisionFile(repo))]).toBeUndefined();
  });

  it('lives in the user\u2019s cache folder of each platform, or SKELDIR_CACHE_DIR', () => {
    expect(userCacheDir({ SKELDIR_CACHE_DIR: '/x' }, 'linux')).toBe('/x');
    expect(userCacheDir({ XDG_CACHE_HOME: '/home/u/.cache' }, 'linux')).toBe(path.join('/home/u/.cache', 'skeldir-rebuild'));
    expect(userCacheDir({ LOCALAPPDATA: 'C:\\Users\\u\\AppData\\Local' }, 'win32')).toBe(path.join('C:\\Users\\u\\AppData\\Local', 'SkeldirRebuild', 'cache'));
  });
});
