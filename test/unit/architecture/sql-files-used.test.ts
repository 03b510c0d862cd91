import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * SQL lives in sql/<folder>/<name>.sql and the engine names each file as a literal
 * ('e1/select-roles'), so a reader can go from a statement to its callers with one search.
 * A file no code names is dead (it is still shipped and read at start), and a name the code
 * uses without its file fails only at run time: both are caught here.
 */
const ROOT = path.resolve(__dirname, '..', '..', '..');

function files(dir: string, ext: RegExp): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory()) return files(rel, ext);
    return ext.test(entry.name) ? [rel] : [];
  });
}

const statements = files('sql', /\.sql$/).map((file) =>
  path
    .relative(path.join(ROOT, 'sql'), path.join(ROOT, file))
    .replace(/\\/g, '/')
    .replace(/\.sql$/, ''),
);
const engineText = files('electron', /\.ts$/)
  .map((file) => fs.readFileSync(path.join(ROOT, file), 'utf8'))
  .join('\n');

describe('SQL files', () => {
  it('every file under sql/ is named by the engine, as a literal', () => {
    const unused = statements.filter((name) => !engineText.includes(`'${name}'`));
    expect(unused).toEqual([]);
  });

  it('every statement the engine names has its file', () => {
    const named = [...engineText.matchAll(/sql(?:Text|Format)\(\s*'([a-z0-9-]+\/[a-z0-9-]+)'/g)].map((m) => m[1]);
    expect(named.length).toBeGreaterThan(50);
    expect([...new Set(named)].filter((name) => !statements.includes(name))).toEqual([]);
  });
});
