/**
 * A small, forgiving Python tokenizer: just enough to read revision files without
 * running Python. It knows strings (prefixes, triple quotes, escapes), comments,
 * brackets (so multi-line tuples stay one statement), line continuations and `;`.
 * It never throws: an unterminated string simply runs to the end of its line (or of
 * the file, for triple quotes) and is marked `terminated: false`.
 */

export type TokenKind = 'name' | 'string' | 'number' | 'op' | 'other';

export interface Token {
  kind: TokenKind;
  /** The source text of the token (for strings, quotes and prefix included). */
  text: string;
  /** Offset of the first character. */
  start: number;
  /** Offset just past the last character. */
  end: number;
  /** 1-based line of the first character. */
  line: number;
  /** 0-based column of the first character. */
  col: number;
  /** Bracket depth before this token. */
  depth: number;
  /** Strings only: prefix letters (r, b, f, u…), lower-cased. */
  prefix?: string;
  /** Strings only: the quote (', ", ''' or """). */
  quote?: string;
  /** Strings only: offsets of the text between the quotes. */
  bodyStart?: number;
  bodyEnd?: number;
  /** Strings only: false when the closing quote is missing. */
  terminated?: boolean;
}

/** A logical statement: tokens up to a newline outside brackets, or a `;`. */
export interface Statement {
  tokens: Token[];
  /** Column of the line's first token: 0 for module-level statements. */
  indent: number;
  line: number;
}

export interface TokenizedSource {
  /** The source with line endings normalized to '\n' and any BOM removed, as Python reads it. */
  source: string;
  tokens: Token[];
  statements: Statement[];
  /** 1-based line of an offset into `source`. */
  lineOf(offset: number): number;
}

// Python's identifier rule (XID_Start / XID_Continue, approximately): a superscript digit ends a name.
// Built on first use: only non-ASCII names need it, and building its Unicode classes cost every
// start-up of the CLI's `graph` about 2% of its instructions, also when no file is parsed.
let unicodeName: RegExp | undefined;
const unicodeNamePattern = (): RegExp => (unicodeName ??= new RegExp(String.raw`[\p{L}\p{Nl}_][\p{L}\p{Nl}\p{Nd}\p{Mn}\p{Mc}\p{Pc}]*`, 'uy'));
const NUMBER = /(?:[0-9][0-9a-zA-Z_]*(?:\.[0-9a-zA-Z_]*)?|\.[0-9][0-9a-zA-Z_]*)(?:[eE][+-]?[0-9_]+)?[jJ]?/y;
const STRING_PREFIX = /^(?:r|u|b|f|br|rb|fr|rf)$/i;
const OPS3 = new Set(['**=', '//=', '>>=', '<<=', '...']);
const OPS2 = new Set(['==', '!=', '<=', '>=', '->', ':=', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '@=', '**', '//', '<<', '>>']);
const OPS1 = '()[]{},:;.=+-*/%&|^~<>@!';
/** Character codes of OPS1, for a lookup without building one-character strings. */
const IS_OP = new Uint8Array(128);
for (const c of OPS1) IS_OP[c.charCodeAt(0)] = 1;
/** Characters that start a two- or three-character operator; the others are always one wide. */
const STARTS_LONGER_OP = new Uint8Array(128);
for (const op of [...OPS3, ...OPS2]) STARTS_LONGER_OP[op.charCodeAt(0)] = 1;

/** Width of the operator at `i` (whose first character is an operator character): Python's longest match. */
function operatorWidth(source: string, i: number, code: number): number {
  // Brackets, commas and most dots are one wide: answer those without building a string.
  if (!STARTS_LONGER_OP[code]) return 1;
  // Every longer operator's second character is one of . = * / < > (codes 46 61 42 47 60 62):
  // `op.create_table`, `a = b` and `sa.Column(` end here, with no string built.
  const next = source.charCodeAt(i + 1);
  if (next !== 46 && next !== 61 && next !== 42 && next !== 47 && next !== 60 && next !== 62) return 1;
  if (OPS3.has(source.slice(i, i + 3))) return 3;
  if (OPS2.has(source.slice(i, i + 2))) return 2;
  return 1;
}

interface StringParts {
  prefix: string;
  quote: string;
  bodyStart: number;
  bodyEnd: number;
  terminated: boolean;
}

// The loop dispatches on character codes and builds each token once: a 300-revision
// project is ~1 MB of Python, and this runs on every graph load.
export function tokenizePython(input: string): TokenizedSource {
  const source = String(input)
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n');
  const lineStarts = [0];
  for (let at = source.indexOf('\n'); at >= 0; at = source.indexOf('\n', at + 1)) lineStarts.push(at + 1);
  const lineOf = (offset: number): number => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };

  const tokens: Token[] = [];
  const statements: Statement[] = [];
  let current: Token[] = [];
  let lineIndent = 0;
  // True until the first token after a newline outside brackets: that token fixes the
  // logical line's indentation, which statements after a `;` on the same line share.
  let atLineStart = true;
  let depth = 0;
  const endStatement = () => {
    if (current.length > 0) statements.push({ tokens: current, indent: lineIndent, line: current[0].line });
    current = [];
  };
  let lastLine = 1;
  const push = (kind: TokenKind, start: number, end: number, string?: StringParts): void => {
    // Tokens arrive in order, so the line is usually the previous token's or just after it.
    while (lastLine < lineStarts.length && lineStarts[lastLine] <= start) lastLine += 1;
    // Every token gets every field (undefined where it has none): one object shape keeps
    // the readers of tokens monomorphic, which matters at ~50,000 tokens a graph load.
    const token: Token = {
      kind,
      text: source.slice(start, end),
      start,
      end,
      line: lastLine,
      col: start - lineStarts[lastLine - 1],
      depth,
      prefix: string?.prefix,
      quote: string?.quote,
      bodyStart: string?.bodyStart,
      bodyEnd: string?.bodyEnd,
      terminated: string?.terminated,
    };
    if (atLineStart) {
      lineIndent = token.col;
      atLineStart = false;
    }
    tokens.push(token);
    current.push(token);
  };

  let i = 0;
  const n = source.length;
  while (i < n) {
    const code = source.charCodeAt(i);
    if (code === 10) {
      if (depth === 0) {
        endStatement();
        atLineStart = true;
      }
      i += 1;
      continue;
    }
    // space, tab, vertical tab, form feed
    if (code === 32 || code === 9 || code === 11 || code === 12) {
      i += 1;
      continue;
    }
    if (code === 92 && source.charCodeAt(i + 1) === 10) {
      i += 2;
      continue;
    }
    if (code === 35) {
      const newline = source.indexOf('\n', i);
      i = newline < 0 ? n : newline;
      continue;
    }
    if (code === 34 || code === 39) {
      i = readString(source, i, '', push);
      continue;
    }
    if (code === 95 || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code > 127) {
      let after = i + 1;
      for (; after < n; after += 1) {
        const c = source.charCodeAt(after);
        if (!(c === 95 || (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122))) break;
      }
      // Non-ASCII letters (Python allows them in names): the Unicode rule decides.
      if (code > 127 || source.charCodeAt(after) > 127) {
        const pattern = unicodeNamePattern();
        pattern.lastIndex = i;
        const name = pattern.exec(source);
        after = name ? i + name[0].length : i;
      }
      if (after > i) {
        const next = source.charCodeAt(after);
        if (after - i <= 2 && (next === 34 || next === 39) && STRING_PREFIX.test(source.slice(i, after))) {
          i = readString(source, after, source.slice(i, after).toLowerCase(), push, i);
          continue;
        }
        push('name', i, after);
        i = after;
        continue;
      }
    }
    if ((code >= 48 && code <= 57) || (code === 46 && source.charCodeAt(i + 1) >= 48 && source.charCodeAt(i + 1) <= 57)) {
      NUMBER.lastIndex = i;
      const num = NUMBER.exec(source);
      if (num && num[0].length > 0) {
        push('number', i, i + num[0].length);
        i += num[0].length;
        continue;
      }
    }
    if (code < 128 && IS_OP[code]) {
      const width = operatorWidth(source, i, code);
      if (code === 59 && depth === 0) {
        endStatement();
        i += 1;
        continue;
      }
      push('op', i, i + width);
      if (code === 40 || code === 91 || code === 123) depth += 1;
      else if (code === 41 || code === 93 || code === 125) depth = Math.max(0, depth - 1);
      i += width;
      continue;
    }
    const width = (source.codePointAt(i) ?? 0) > 0xffff ? 2 : 1;
    push('other', i, i + width);
    i += width;
  }
  endStatement();
  return { source, tokens, statements, lineOf };
}

function readString(
  source: string,
  quoteAt: number,
  prefix: string,
  push: (kind: TokenKind, start: number, end: number, string: StringParts) => void,
  start = quoteAt,
): number {
  const q = source.charCodeAt(quoteAt);
  const triple = source.charCodeAt(quoteAt + 1) === q && source.charCodeAt(quoteAt + 2) === q;
  const quote = triple ? source.slice(quoteAt, quoteAt + 3) : source[quoteAt];
  const bodyStart = quoteAt + quote.length;
  let j = bodyStart;
  const n = source.length;
  while (j < n) {
    const c = source.charCodeAt(j);
    if (c === 92) {
      j += 2;
      continue;
    }
    if (c === q && (!triple || (source.charCodeAt(j + 1) === q && source.charCodeAt(j + 2) === q))) {
      push('string', start, j + quote.length, { prefix, quote, bodyStart, bodyEnd: j, terminated: true });
      return j + quote.length;
    }
    if (!triple && c === 10) break;
    j += 1;
  }
  const end = Math.min(j, n);
  push('string', start, end, { prefix, quote, bodyStart, bodyEnd: end, terminated: false });
  return end;
}

/** The value of a string token, with escapes processed unless raw; null for f-strings and bytes (not static text). */
export function stringValue(source: string, token: Token): string | null {
  if (token.kind !== 'string' || token.bodyStart === undefined || token.bodyEnd === undefined) return null;
  const prefix = token.prefix ?? '';
  if (prefix.includes('f') || prefix.includes('b')) return null;
  const body = source.slice(token.bodyStart, token.bodyEnd);
  return prefix.includes('r') ? body : unescapePython(body);
}

const SIMPLE_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', f: '\f', v: '\v', '\\': '\\', "'": "'", '"': '"', '\n': '' };

/** Processes the backslash escapes of a (non-raw) Python string body. */
export function unescapePython(body: string): string {
  return body.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[0-7]{1,3}|N\{[^}]*\}|[\s\S])/g, (whole, esc: string) => {
    if (esc in SIMPLE_ESCAPES) return SIMPLE_ESCAPES[esc];
    const head = esc[0];
    if (head === 'x' || head === 'u' || head === 'U') {
      const code = Number.parseInt(esc.slice(1), 16);
      return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    if (/[0-7]/.test(head)) return String.fromCodePoint(Number.parseInt(esc, 8));
    return whole;
  });
}
