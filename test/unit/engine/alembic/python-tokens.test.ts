import { describe, it, expect } from 'vitest';
import { stringValue, tokenizePython } from '../../../../electron/engine/alembic/python-tokens';

describe('tokenizePython', () => {
  it('keeps bracketed values on one statement and splits at newlines and semicolons', () => {
    const t = tokenizePython('a = (\n  \'x\',  # comment\n  "y",\n)\nb = 1; c = 2\n  d = 3\n');
    expect(t.statements.map((s) => [s.tokens[0].text, s.indent, s.line])).toEqual([
      ['a', 0, 1],
      ['b', 0, 5],
      ['c', 0, 5],
      ['d', 2, 6],
    ]);
    expect(t.statements[0].tokens.filter((x) => x.kind === 'string').map((x) => x.line)).toEqual([2, 3]);
  });

  it('reads prefixes, triple quotes, escapes and line continuations', () => {
    const src = 'x = r"a\\d" + b\'z\' + """multi\nline""" + \'it\\\'s\' \\\n  + f"{y}"\n';
    const t = tokenizePython(src);
    const strings = t.tokens.filter((x) => x.kind === 'string');
    expect(strings.map((s) => stringValue(t.source, s))).toEqual(['a\\d', null, 'multi\nline', "it's", null]);
    expect(t.statements).toHaveLength(1);
  });

  it('normalizes CRLF and a BOM, as Python does when it reads source', () => {
    const t = tokenizePython('\uFEFFa = 1\r\nb = 2\r\n');
    expect(t.statements.map((s) => s.line)).toEqual([1, 2]);
    expect(t.source.startsWith('a')).toBe(true);
  });

  it('marks unterminated strings instead of failing', () => {
    const t = tokenizePython('a = \'open\nb = """never closed');
    const strings = t.tokens.filter((x) => x.kind === 'string');
    expect(strings.map((s) => s.terminated)).toEqual([false, false]);
    expect(t.statements.map((s) => s.tokens[0].text)).toEqual(['a', 'b']);
  });

  it('records bracket depth and distinguishes = from ==', () => {
    const t = tokenizePython('f(a == [b], c=d)');
    expect(t.tokens.map((x) => `${x.text}@${x.depth}`)).toEqual(['f@0', '(@0', 'a@1', '==@1', '[@1', 'b@2', ']@2', ',@1', 'c@1', '=@1', 'd@1', ')@1']);
  });

  it('reads names as Python does: ASCII, non-ASCII letters anywhere in them, and stops at other symbols', () => {
    const t = tokenizePython('caf\u00e9 = na\u00efve_2 + \u00c5ngstr\u00f6m\u2026 + x\u00b2 + rb"x" + Rb\'y\' + bra"z"\n');
    expect(t.tokens.map((x) => [x.kind, x.text])).toEqual([
      ['name', 'caf\u00e9'],
      ['op', '='],
      ['name', 'na\u00efve_2'],
      ['op', '+'],
      ['name', '\u00c5ngstr\u00f6m'],
      ['other', '\u2026'],
      ['op', '+'],
      ['name', 'x'],
      ['other', '\u00b2'],
      ['op', '+'],
      ['string', 'rb"x"'],
      ['op', '+'],
      ['string', "Rb'y'"],
      ['op', '+'],
      ['name', 'bra'],
      ['string', '"z"'],
    ]);
    expect(t.tokens.find((x) => x.text === "Rb'y'")?.prefix).toBe('rb');
  });

  it('tells operators of one, two and three characters apart, and closes brackets only with closing ones', () => {
    const t = tokenizePython('a **= (b // [c]) ... {d: e >>= f}\n');
    expect(t.tokens.filter((x) => x.kind === 'op').map((x) => [x.text, x.depth])).toEqual([
      ['**=', 0],
      ['(', 0],
      ['//', 1],
      ['[', 1],
      [']', 2],
      [')', 1],
      ['...', 0],
      ['{', 0],
      [':', 1],
      ['>>=', 1],
      ['}', 1],
    ]);
  });

  it("reads every two- and three-character operator whole, and splits look-alikes into Python's longest matches", () => {
    const longer = [
      '**=',
      '//=',
      '>>=',
      '<<=',
      '...',
      '==',
      '!=',
      '<=',
      '>=',
      '->',
      ':=',
      '+=',
      '-=',
      '*=',
      '/=',
      '%=',
      '&=',
      '|=',
      '^=',
      '@=',
      '**',
      '//',
      '<<',
      '>>',
    ];
    for (const op of longer) {
      expect(
        tokenizePython(`a ${op} b\n`).tokens.map((x) => x.text),
        op,
      ).toEqual(['a', op, 'b']);
    }
    const ops = (src: string) =>
      tokenizePython(src)
        .tokens.filter((x) => x.kind === 'op')
        .map((x) => x.text);
    expect(ops('op.create_table(a=-1, b=..., c=x.y)\n')).toEqual(['.', '(', '=', '-', ',', '=', '...', ',', '=', '.', ')']);
    expect(ops('a<-b; c>-d; e..f; g**-h; i=<j\n')).toEqual(['<', '-', '>', '-', '.', '.', '**', '-', '=', '<']);
  });
});
