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
      .map((name) =>
        name
          .trim()
          .split(/\s+as\s+/)[0]
          .trim(),
      )
      .filter((name) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(name));
    return [{ module, level: from[1].length, names, line }];
  }
  const plain = /^import\s+(.+)$/s.exec(statement);
  if (!plain) return null;
  return plain[1]
    .split(',')
    .map((item) =>
      item
        .trim()
        .split(/\s+as\s+/)[0]
        .replace(/\s+/g, ''),
    )
    .filter((module) => DOTTED.test(module))
    .map((module) => ({ module, level: 0, names: [], line }));
}

/**
 * Replaces each string literal (triple-quoted ones too) with its newlines alone, keeping
 * comments and line numbers: only where lines start matters to the import reader. One pass
 * with indexOf, since revision files hold large SQL strings.
 */
function blankStrings(source: string): string {
  const parts: string[] = [];
  const next = /[#"']/g;
  let last = 0;
  for (let match = next.exec(source); match; match = next.exec(source)) {
    const start = match.index;
    const quote = source[start];
    if (quote === '#') {
      const newline = source.indexOf('\n', start);
      next.lastIndex = newline < 0 ? source.length : newline;
      continue;
    }
    let end: number;
    if (source.startsWith(quote.repeat(3), start)) {
      const close = source.indexOf(quote.repeat(3), start + 3);
      end = close < 0 ? source.length : close + 3;
    } else {
      let at = start + 1;
      while (at < source.length && source[at] !== quote && source[at] !== '\n') at += source[at] === '\\' ? 2 : 1;
      end = at < source.length && source[at] === quote ? at + 1 : at;
    }
    parts.push(source.slice(last, start), '""', '\n'.repeat(countNewlines(source, start, end)));
    last = end;
    next.lastIndex = end;
  }
  parts.push(source.slice(last));
  return parts.join('');
}

function countNewlines(text: string, from: number, to: number): number {
  let count = 0;
  for (let at = text.indexOf('\n', from); at >= 0 && at < to; at = text.indexOf('\n', at + 1)) count++;
  return count;
}
