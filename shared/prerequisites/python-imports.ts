/**
 * The modules a Python file imports, read statically (no Python runs): `import a.b as c, d`
 * and `from .x import y` anywhere in the file, parenthesized and continued lines included.
 * Strings are blanked first so an example in a docstring is not taken for an import.
 */
export interface PythonImport {
  /** Dotted module as written after `import` / `from` ("" for `from . import x`). */
  module: string;
  /** Leading dots of a relative import (0 for an absolute one). */
  level: number;
  /** Names after `from … import` (submodules or attributes; empty for `import a`). */
  names: string[];
  /** 1-based line of the statement. */
  line: number;
}

export function pythonImports(source: string): PythonImport[] {
  const text = blankStrings(source);
  const out: PythonImport[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const start = i + 1;
    let statement = lines[i].replace(/#.*$/, '');
    if (!/^\s*(?:import|from)\s/.test(statement)) continue;
    // Join a parenthesized list or backslash continuations into one statement.
    while ((open(statement) || /\\\s*$/.test(statement)) && i + 1 < lines.length) {
      statement = statement.replace(/\\\s*$/, ' ') + ' ' + lines[++i].replace(/#.*$/, '');
    }
    for (const part of statement.split(';')) {
      const parsed = parseStatement(part.trim(), start);
      if (parsed) out.push(...parsed);
    }
  }
  return out;
}

function open(statement: string): boolean {
  return (statement.match(/\(/g)?.length ?? 0) > (statement.match(/\)/g)?.length ?? 0);
}

const DOTTED = /^[A-Za-z_][A-Za-z0-9_]*(?:\s*\.\s*[A-Za-z_][A-Za-z0-9_]*)*$/;

function parseStatement(statement: string, line: number): PythonImport[] | null {
  const from = /^from\s+(\.*)\s*([A-Za-z0-9_.\s]*?)\s+import\s+(.+)$/s.exec(statement);
  if (from) {
    const module = from[2].replace(/\s+/g, '');
    if (module && !DOTTED.test(module)) return null;
    const names = from[3]
      .replace(/[()]/g, ' ')
      .split(',')
      .map((name) => name.trim().split(/\s+as\s+/)[0].trim())
      .filter((name) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(name));
    return [{ module, level: from[1].length, names, line }];
  }
  const plain = /^import\s+(.+)$/s.exec(statement);
  if (!plain) return null;
  return plain[1]
    .split(',')
    .map((item) => item.trim().split(/\s+as\s+/)[0].replace(/\s+/g, ''))
    .filter((module) => DOTTED.test(module))
    .map((module) => ({ module, level: 0, names: [], line }));
}

/** Replaces the contents of string literals (triple-quoted ones too) with spaces, keeping newlines. */
function blankStrings(source: string): string {
  let out = '';
  let i = 0;
  while (i < source.length) {
    const ch = source[i];
    if (ch === '#') {
      const end = source.indexOf('\n', i);
      const stop = end < 0 ? source.length : end;
      out += source.slice(i, stop);
      i = stop;
      continue;
    }
    if (ch === '"' || ch === "'") {
      const triple = source.startsWith(ch.repeat(3), i);
      const quote = triple ? ch.repeat(3) : ch;
      let j = i + quote.length;
      while (j < source.length) {
        if (source[j] === '\\') {
          j += 2;
          continue;
        }
        if (source.startsWith(quote, j)) break;
        if (!triple && source[j] === '\n') break;
        j++;
      }
      const end = Math.min(source.length, j + quote.length);
      out += quote + source.slice(i + quote.length, Math.min(j, source.length)).replace(/[^\n]/g, ' ') + (j < source.length && source.startsWith(quote, j) ? quote : '');
      i = j < source.length && source.startsWith(quote, j) ? end : j;
      continue;
    }
    out += ch;
    i++;
  }
  return out;
}
