import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RemoteConnectionHit } from '../../../../shared/parity/suite-environment';
import { findPostgresUrls, isLoopbackHost } from '../../ci/connection-urls';

/**
 * Reads a suite's code — the test file, its conftest.py chain up to the repository
 * root, and the test helpers they import — for connection strings to a host other than
 * this machine. An unconditional assignment (`os.environ["DATABASE_URL"] = "…@host/…"`,
 * `TEST_DSN = "…"`, `monkeypatch.setenv(…)`) would send the tests there whatever R5's
 * environment says; a fallback (`setdefault`, `.get(X, default)`, a block under
 * `if "X" not in os.environ:`) is overridden by R5's environment and only informs.
 */
export function scanSuiteForRemoteUrls(repoDir: string, suite: string): RemoteConnectionHit[] {
  const root = path.resolve(repoDir);
  const start = path.resolve(root, suite);
  const files = suiteFiles(root, start);
  const hits: RemoteConnectionHit[] = [];
  for (const file of files) {
    const text = readSmall(file);
    if (text === null) continue;
    for (const hit of scanPythonSource(text)) hits.push({ ...hit, file: toPosix(path.relative(root, file)) });
  }
  return hits;
}

const MAX_FILES = 40;
const MAX_BYTES = 1_000_000;

/** The suite file, every conftest.py from its folder up to the root, and the test modules they import (a few levels deep). */
function suiteFiles(root: string, suiteFile: string): string[] {
  const out: string[] = [suiteFile];
  for (let dir = path.dirname(suiteFile); isInside(root, dir); dir = path.dirname(dir)) {
    const conftest = path.join(dir, 'conftest.py');
    if (fs.existsSync(conftest)) out.push(conftest);
    if (dir === root) break;
  }
  for (let i = 0; i < out.length && out.length < MAX_FILES; i++) {
    const text = readSmall(out[i]);
    if (text === null) continue;
    for (const module of importedModules(text)) {
      const resolved = resolveModule(root, path.dirname(out[i]), module);
      if (resolved && !out.includes(resolved) && isTestCode(root, resolved)) out.push(resolved);
    }
  }
  return out.slice(0, MAX_FILES);
}

/** Module names a file imports, relative ones with their leading dots. */
export function importedModules(text: string): string[] {
  const out: string[] = [];
  for (const match of text.matchAll(/^\s*from\s+(\.*[\w.]*)\s+import\s+\(?([\w\s,.*]+)\)?/gm)) {
    const base = match[1];
    out.push(base);
    // `from . import helpers` / `from tests import helpers`: the names may be modules too.
    for (const name of match[2]
      .split(',')
      .map((n) => n.trim().split(/\s+/)[0])
      .filter((n) => /^\w+$/.test(n))) {
      out.push(base.endsWith('.') ? `${base}${name}` : `${base}.${name}`);
    }
  }
  for (const match of text.matchAll(/^\s*import\s+([\w.]+(?:\s*,\s*[\w.]+)*)/gm)) {
    for (const name of match[1].split(',')) out.push(name.trim());
  }
  return out;
}

function resolveModule(root: string, fromDir: string, module: string): string | null {
  const dots = /^\.*/.exec(module)?.[0].length ?? 0;
  const parts = module.slice(dots).split('.').filter(Boolean);
  const bases: string[] = [];
  if (dots > 0) {
    let dir = fromDir;
    for (let i = 1; i < dots; i++) dir = path.dirname(dir);
    bases.push(dir);
  } else {
    // Absolute imports resolve from the importing folder or any folder above it (rootdir, PYTHONPATH).
    for (let dir = fromDir; isInside(root, dir); dir = path.dirname(dir)) {
      bases.push(dir);
      if (dir === root) break;
    }
  }
  for (const base of bases) {
    const stem = path.join(base, ...parts);
    for (const candidate of [`${stem}.py`, path.join(stem, '__init__.py')]) {
      if (isInside(root, candidate) && fs.existsSync(candidate)) return candidate;
    }
  }
  return null;
}

/** Test code, not the application: a folder named test/tests/testing, or a test_/conftest file. */
function isTestCode(root: string, file: string): boolean {
  const parts = toPosix(path.relative(root, file)).split('/');
  const name = parts.at(-1) ?? '';
  return parts.slice(0, -1).some((p) => /^(tests?|testing)$/i.test(p)) || /^(test_|conftest)/.test(name) || /_test\.py$/.test(name);
}

const GUARD = /^\s*if\b.*(\bnot\s+in\s+os\.environ\b|\bnot\s+os\.(environ\.get|getenv)\s*\(|os\.(environ\.get|getenv)\s*\([^)]*\)\s+is\s+None)/;

/** The hits of one Python source (file left blank). */
export function scanPythonSource(text: string): Array<Omit<RemoteConnectionHit, 'file'>> {
  const lines = text.split(/\r?\n/);
  const shape = pythonLines(lines);
  const hits: Array<Omit<RemoteConnectionHit, 'file'>> = [];
  // Where each statement starts: a line that opens with no bracket or string left open from above.
  const statementStart: number[] = [];
  const guardedAt: boolean[] = [];
  const guards: number[] = []; // indents of enclosing env-guard `if` lines
  let start = 0;
  for (let i = 0; i < lines.length; i++) {
    const opensStatement = shape[i].depth === 0 && !shape[i].inString;
    if (opensStatement) start = i;
    statementStart[i] = start;
    if (opensStatement && shape[i].code.trim()) {
      const indent = /^\s*/.exec(lines[i])?.[0].length ?? 0;
      while (guards.length && indent <= guards[guards.length - 1]) guards.pop();
      guardedAt[i] = guards.length > 0;
      if (GUARD.test(lines[i])) guards.push(indent);
    } else {
      guardedAt[i] = guardedAt[start] ?? false;
    }
  }
  for (let i = 0; i < lines.length; i++) {
    for (const url of findPostgresUrls(lines[i])) {
      if (shape[i].commentAt >= 0 && url.index > shape[i].commentAt) continue;
      if (isLoopbackHost(url.host) || url.host.includes('{') || url.host.includes('$')) continue;
      const from = statementStart[i];
      const statement = lines.slice(from, i + 1).join('\n');
      const target = assignmentTarget(statement);
      if (!target) continue;
      const fallback = guardedAt[from] || /\.setdefault\s*\(|\.get\s*\(|\bgetenv\s*\(/.test(statement);
      hits.push({ line: i + 1, target, host: url.host, unconditional: !fallback });
    }
  }
  return hits;
}

interface PythonLine {
  /** Bracket depth at the line's start. */
  depth: number;
  /** Whether the line starts inside a triple-quoted string. */
  inString: boolean;
  /** The line's code with strings and comment blanked out. */
  code: string;
  /** Where a comment starts on the line, or -1. */
  commentAt: number;
}

/** A small Python lexer: strings (triple-quoted ones across lines), comments and bracket depth, line by line. */
function pythonLines(lines: string[]): PythonLine[] {
  const out: PythonLine[] = [];
  let depth = 0;
  let triple: string | null = null;
  for (const line of lines) {
    const entry: PythonLine = { depth, inString: triple !== null, code: '', commentAt: -1 };
    let quote: string | null = null;
    for (let i = 0; i < line.length; i++) {
      const ch = line[i];
      if (triple) {
        if (ch === '\\') i++;
        else if (line.startsWith(triple, i)) {
          i += 2;
          triple = null;
        }
        continue;
      }
      if (quote) {
        if (ch === '\\') i++;
        else if (ch === quote) quote = null;
        continue;
      }
      if (ch === '#') {
        entry.commentAt = i;
        break;
      }
      if (ch === '"' || ch === "'") {
        if (line.startsWith(ch.repeat(3), i)) {
          triple = ch.repeat(3);
          i += 2;
        } else quote = ch;
        entry.code += '""';
        continue;
      }
      if ('([{'.includes(ch)) depth++;
      else if (')]}'.includes(ch)) depth = Math.max(0, depth - 1);
      entry.code += ch;
    }
    out.push(entry);
  }
  return out;
}

/** What a statement sets: an environment entry or a variable; null when it sets nothing (a docstring, a call). */
function assignmentTarget(statement: string): string | null {
  const env = /os\.environ\s*\[\s*(['"])(\w+)\1\s*\]\s*=(?!=)/.exec(statement);
  if (env) return `os.environ["${env[2]}"]`;
  const call = /(?:os\.environ\.setdefault|setenv|os\.putenv|os\.environ\.get|os\.getenv)\s*\(\s*(['"])(\w+)\1/.exec(statement);
  if (call) return `os.environ["${call[2]}"]`;
  const update = /os\.environ\.update\s*\(\s*(?:\{\s*)?(['"]?)(\w+)\1\s*[:=]/.exec(statement);
  if (update) return `os.environ["${update[2]}"]`;
  const variable = /^\s*([A-Za-z_][\w.]*)\s*(?::\s*[\w[\], ]+)?=(?!=)/m.exec(statement);
  return variable ? variable[1] : null;
}

function readSmall(file: string): string | null {
  try {
    if (fs.statSync(file).size > MAX_BYTES) return null;
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

function isInside(root: string, candidate: string): boolean {
  const rel = path.relative(root, candidate);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

function toPosix(value: string): string {
  return value.split(path.sep).join('/');
}
