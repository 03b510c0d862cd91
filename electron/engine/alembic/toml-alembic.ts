/**
 * Reads the `[tool.alembic]` table of a pyproject.toml, where Alembic 1.16+ also looks for
 * its options (after alembic.ini). Only what Alembic takes from there matters: strings,
 * arrays of strings, booleans and integers at the table's top level. The reader is a small
 * TOML subset scanner (strings of all four kinds, arrays, inline tables, scalars, comments)
 * so that the rest of the file, which Alembic does not read either, cannot trip it.
 */
import { appError, err, ok, type Result } from '../../../shared/errors/app-error';

export type TomlValue = string | number | boolean | TomlValue[] | { [key: string]: TomlValue };

class TomlSyntax extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

/** The `[tool.alembic]` table's keys, or null when the file has no such table. */
export function readToolAlembic(text: string, file: string): Result<Record<string, TomlValue> | null> {
  const source = String(text);
  try {
    const table = scan(source.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n'));
    if (table !== null && source.startsWith('\uFEFF')) {
      // Alembic's tomllib refuses the mark ("Invalid statement (at line 1, column 1)") in R4,
      // after the database is dropped: said now, as for alembic.ini.
      return err(
        appError(
          'alembic-ini-invalid',
          `${file} starts with a UTF-8 byte order mark (BOM), which Python's TOML reader (used by Alembic for [tool.alembic]) refuses.`,
          {
            detail: `${file}:1`,
            remediation: 'Save pyproject.toml as UTF-8 without BOM (in Notepad: "UTF-8", not "UTF-8 with BOM"; in VS Code: "Save with Encoding" → UTF-8).',
          },
        ),
      );
    }
    return ok(table);
  } catch (e) {
    const line = e instanceof TomlSyntax ? e.line : 1;
    return err(
      appError('alembic-ini-invalid', `${file}, line ${line}: ${e instanceof Error ? e.message : String(e)}`, {
        detail: `${file}:${line}`,
        remediation: 'Fix that line of pyproject.toml (Alembic reads its [tool.alembic] table and stops on a malformed file).',
      }),
    );
  }
}

function scan(src: string): Record<string, TomlValue> | null {
  let i = 0;
  let table: string[] = [];
  let found: Record<string, TomlValue> | null = null;
  const lineAt = (at: number) => src.slice(0, at).split('\n').length;
  const fail = (message: string): never => {
    throw new TomlSyntax(message, lineAt(i));
  };
  const skipBlank = (newlines: boolean) => {
    for (;;) {
      const c = src[i];
      if (c === ' ' || c === '\t' || (newlines && c === '\n')) i += 1;
      else if (c === '#') {
        const nl = src.indexOf('\n', i);
        i = nl < 0 ? src.length : nl;
      } else return;
    }
  };
  const key = (): string[] => {
    const parts: string[] = [];
    for (;;) {
      skipBlank(false);
      const c = src[i];
      if (c === '"' || c === "'") parts.push(stringValue());
      else {
        const m = /^[A-Za-z0-9_-]+/.exec(src.slice(i, i + 200));
        if (!m) fail('expected a key');
        parts.push((m as RegExpExecArray)[0]);
        i += (m as RegExpExecArray)[0].length;
      }
      skipBlank(false);
      if (src[i] !== '.') return parts;
      i += 1;
    }
  };
  const stringValue = (): string => {
    const q = src[i];
    const triple = src.startsWith(q.repeat(3), i);
    const quote = triple ? q.repeat(3) : q;
    i += quote.length;
    if (triple && src[i] === '\n') i += 1;
    let out = '';
    for (;;) {
      if (i >= src.length || (!triple && src[i] === '\n')) fail('a string has no closing quote');
      if (src.startsWith(quote, i)) {
        // A multi-line string may end with up to two extra quote characters.
        let extra = 0;
        while (triple && extra < 2 && src[i + 3 + extra] === q) extra += 1;
        out += q.repeat(extra);
        i += quote.length + extra;
        return out;
      }
      const c = src[i];
      if (c === '\\' && q === '"') {
        const e = src[i + 1];
        const simple: Record<string, string> = { b: '\b', t: '\t', n: '\n', f: '\f', r: '\r', '"': '"', '\\': '\\', e: '\x1b' };
        if (e in simple) {
          out += simple[e];
          i += 2;
        } else if (e === 'u' || e === 'U') {
          const len = e === 'u' ? 4 : 8;
          out += String.fromCodePoint(Number.parseInt(src.slice(i + 2, i + 2 + len), 16));
          i += 2 + len;
        } else if (triple && /[ \t\n]/.test(e)) {
          i += 1;
          while (/[ \t\n]/.test(src[i] ?? '')) i += 1;
        } else fail(`unknown escape \\${e}`);
        continue;
      }
      out += c;
      i += 1;
    }
  };
  const value = (): TomlValue => {
    skipBlank(false);
    const c = src[i];
    if (c === '"' || c === "'") return stringValue();
    if (c === '[') {
      i += 1;
      const items: TomlValue[] = [];
      for (;;) {
        skipBlank(true);
        if (src[i] === ']') {
          i += 1;
          return items;
        }
        items.push(value());
        skipBlank(true);
        if (src[i] === ',') i += 1;
        else if (src[i] !== ']') fail('expected , or ] in an array');
      }
    }
    if (c === '{') {
      i += 1;
      const inline: Record<string, TomlValue> = {};
      skipBlank(false);
      if (src[i] === '}') {
        i += 1;
        return inline;
      }
      for (;;) {
        const k = key();
        if (src[i] !== '=') fail('expected = in an inline table');
        i += 1;
        inline[k.join('.')] = value();
        skipBlank(false);
        if (src[i] === '}') {
          i += 1;
          return inline;
        }
        if (src[i] !== ',') fail('expected , or } in an inline table');
        i += 1;
      }
    }
    const m = /^[^\s,\]}#]+/.exec(src.slice(i, i + 100));
    if (!m) return fail('expected a value');
    const word = (m as RegExpExecArray)[0];
    i += word.length;
    if (word === 'true') return true;
    if (word === 'false') return false;
    const n = Number(word.replace(/_/g, ''));
    // Dates and times are values Alembic never reads: keep their text.
    return Number.isFinite(n) && /^[+-]?[0-9]/.test(word) && !/[-:T]/.test(word.slice(1)) ? n : word;
  };

  while (i < src.length) {
    skipBlank(true);
    if (i >= src.length) break;
    if (src[i] === '[') {
      const array = src[i + 1] === '[';
      i += array ? 2 : 1;
      const k = key();
      if (src[i] !== ']' || (array && src[i + 1] !== ']')) fail('a table header is not closed');
      i += array ? 2 : 1;
      table = array ? ['[]', ...k] : k;
    } else {
      const k = key();
      if (src[i] !== '=') fail(`expected = after ${k.join('.')}`);
      i += 1;
      const v = value();
      // `[tool.alembic] key`, `[tool] alembic.key` and `tool.alembic.key` all name the same option.
      const full = [...table, ...k];
      if (full.length === 3 && full[0] === 'tool' && full[1] === 'alembic') {
        found = found ?? {};
        found[full[2]] = v;
      }
    }
    skipBlank(false);
    if (i < src.length && src[i] !== '\n') fail('unexpected text after a value');
    if (table.length === 2 && table[0] === 'tool' && table[1] === 'alembic') found = found ?? {};
  }
  return found;
}
