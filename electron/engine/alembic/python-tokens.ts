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

const NAME = /[\p{L}\p{Nl}_][\p{L}\p{Nl}\p{N}\p{Mn}\p{Mc}_]*/uy;
const NUMBER = /(?:[0-9][0-9a-zA-Z_]*(?:\.[0-9a-zA-Z_]*)?|\.[0-9][0-9a-zA-Z_]*)(?:[eE][+-]?[0-9_]+)?[jJ]?/y;
const STRING_PREFIX = /^(?:r|u|b|f|br|rb|fr|rf)$/i;
const OPS3 = ['**=', '//=', '>>=', '<<=', '...'];
const OPS2 = ['==', '!=', '<=', '>=', '->', ':=', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '@=', '**', '//', '<<', '>>'];
const OPS1 = '()[]{},:;.=+-*/%&|^~<>@!';

export function tokenizePython(input: string): TokenizedSource {
  const source = String(input).replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const lineStarts = [0];
  for (let i = 0; i < source.length; i += 1) if (source.charCodeAt(i) === 10) lineStarts.push(i + 1);
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
  const push = (t: Omit<Token, 'line' | 'col' | 'depth' | 'text'>) => {
    // Tokens arrive in order, so the line is usually the previous token's or just after it.
    while (lastLine < lineStarts.length && lineStarts[lastLine] <= t.start) lastLine += 1;
    const line = lastLine;
    const token: Token = {
      kind: t.kind,
      text: source.slice(t.start, t.end),
      start: t.start,
      end: t.end,
      line,
      col: t.start - lineStarts[line - 1],
      depth,
    };
    if (t.kind === 'string') {
      token.prefix = t.prefix;
      token.quote = t.quote;
      token.bodyStart = t.bodyStart;
      token.bodyEnd = t.bodyEnd;
      token.terminated = t.terminated;
    }
    if (atLineStart) {
      lineIndent = token.col;
      atLineStart = false;
    }
    tokens.push(token);
    current.push(token);
    return token;
  };

  let i = 0;
  const n = source.length;
  while (i < n) {
    const c = source[i];
    if (c === '\n') {
      if (depth === 0) {
        endStatement();
        atLineStart = true;
      }
      i += 1;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\f' || c === '\v') {
      i += 1;
      continue;
    }
    if (c === '\\' && source[i + 1] === '\n') {
      i += 2;
      continue;
    }
    if (c === '#') {
      while (i < n && source[i] !== '\n') i += 1;
      continue;
    }
    if (c === '"' || c === "'") {
      i = readString(source, i, '', push);
      continue;
    }
    const code = source.charCodeAt(i);
    // Cheap checks first: the regular expressions below only run where they can match.
    const maybeName = code === 95 || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code > 127;
    NAME.lastIndex = i;
    const name = maybeName ? NAME.exec(source) : null;
    if (name) {
      const after = i + name[0].length;
      if (STRING_PREFIX.test(name[0]) && (source[after] === '"' || source[after] === "'")) {
        i = readString(source, after, name[0].toLowerCase(), push, i);
        continue;
      }
      push({ kind: 'name', start: i, end: after });
      i = after;
      continue;
    }
    NUMBER.lastIndex = i;
    const maybeNumber = (code >= 48 && code <= 57) || (code === 46 && /[0-9]/.test(source[i + 1] ?? ''));
    const num = maybeNumber ? NUMBER.exec(source) : null;
    if (num && num[0].length > 0) {
      push({ kind: 'number', start: i, end: i + num[0].length });
      i += num[0].length;
      continue;
    }
    const op = OPS1.includes(c) ? (OPS3.find((o) => source.startsWith(o, i)) ?? OPS2.find((o) => source.startsWith(o, i)) ?? c) : undefined;
    if (op !== undefined) {
      if (op === ';' && depth === 0) {
        endStatement();
        i += 1;
        continue;
      }
      push({ kind: 'op', start: i, end: i + op.length });
      if (op === '(' || op === '[' || op === '{') depth += 1;
      else if (op === ')' || op === ']' || op === '}') depth = Math.max(0, depth - 1);
      i += op.length;
      continue;
    }
    const width = (source.codePointAt(i) ?? 0) > 0xffff ? 2 : 1;
    push({ kind: 'other', start: i, end: i + width });
    i += width;
  }
  endStatement();
  return { source, tokens, statements, lineOf };
}

function readString(
  source: string,
  quoteAt: number,
  prefix: string,
  push: (t: Omit<Token, 'line' | 'col' | 'depth' | 'text'>) => Token,
  start = quoteAt,
): number {
  const q = source[quoteAt];
  const triple = source.startsWith(q.repeat(3), quoteAt);
  const quote = triple ? q.repeat(3) : q;
  const bodyStart = quoteAt + quote.length;
  let j = bodyStart;
  const n = source.length;
  while (j < n) {
    const c = source[j];
    if (c === '\\') {
      j += 2;
      continue;
    }
    if (triple ? source.startsWith(quote, j) : c === q) {
      push({ kind: 'string', start, end: j + quote.length, prefix, quote, bodyStart, bodyEnd: j, terminated: true });
      return j + quote.length;
    }
    if (!triple && c === '\n') break;
    j += 1;
  }
  const end = Math.min(j, n);
  push({ kind: 'string', start, end, prefix, quote, bodyStart, bodyEnd: end, terminated: false });
  return end;
}

/** The value of a string token, with escapes processed unless raw; null for f-strings and bytes (not static text). */
export function stringValue(source: string, token: Token): string | null {
  if (token.kind !== 'string' || token.bodyStart === undefined || token.bodyEnd === undefined) return null;
  const prefix = token.prefix ?? '';
  if (prefix.includes('f') || prefix.includes('b')) return null;
  const body = source.slice(token.bodyStart, token.bodyEnd);
  return prefix.includes('r') ? body : unescape(body);
}

const SIMPLE_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', f: '\f', v: '\v', '\\': '\\', "'": "'", '"': '"', '\n': '' };

function unescape(body: string): string {
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
