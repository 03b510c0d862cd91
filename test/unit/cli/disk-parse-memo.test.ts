import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadAlembicProject } from '../../../electron/engine/alembic/load-project';
import { DiskParseMemo, userCacheDir } from '../../../electron/cli/disk-parse-memo';
import { makeTempDir } from '../../support/temp-dir';

const LARGE = path.resolve(__dirname, '..', '..', 'fixtures', 'large-300');
const dirs: string[] = [];
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
    const fresh = await loadAlembicProject(repo);
    const first = await loadAlembicProject(repo, { memo: DiskParseMemo.forProject(repo, env) });
    const second = await loadAlembicProject(repo, { memo: DiskParseMemo.forProject(repo, env) });
    expect(fresh.ok && first.ok && second.ok).toBe(true);
    if (!fresh.ok || !first.ok || !second.ok) return;
    expect(JSON.parse(JSON.stringify(second.value.graph))).toEqual(JSON.parse(JSON.stringify(fresh.value.graph)));
    expect(fs.readdirSync(path.join(cache, 'graph'))).toHaveLength(1);

    // Change one revision's message: the cached parse of that file must not be reused.
    const versions = path.join(repo, 'alembic', 'versions');
    const file = fs
      .readdirSync(versions, { recursive: true })
      .map(String)
      .find((name) => name.endsWith('.py'));
    expect(file).toBeDefined();
    const full = path.join(versions, file as string);
    const text = fs.readFileSync(full, 'utf8');
    const id = /revision\s*(?::\s*str\s*)?=\s*['"]([^'"]+)['"]/.exec(text)?.[1] as string;
    fs.writeFileSync(full, text.replace(/^"""[^\n]*/m, '"""A message changed after the cache was written'));
    const third = await loadAlembicProject(repo, { memo: DiskParseMemo.forProject(repo, env) });
    expect(third.ok && third.value.graph.revisions[id].message).toBe('A message changed after the cache was written');
  });

  it('lives in the user\u2019s cache folder of each platform, or SKELDIR_CACHE_DIR', () => {
    expect(userCacheDir({ SKELDIR_CACHE_DIR: '/x' }, 'linux')).toBe('/x');
    expect(userCacheDir({ XDG_CACHE_HOME: '/home/u/.cache' }, 'linux')).toBe(path.join('/home/u/.cache', 'skeldir-rebuild'));
    expect(userCacheDir({ LOCALAPPDATA: 'C:\\Users\\u\\AppData\\Local' }, 'win32')).toBe(path.join('C:\\Users\\u\\AppData\\Local', 'SkeldirRebuild', 'cache'));
  });
});
