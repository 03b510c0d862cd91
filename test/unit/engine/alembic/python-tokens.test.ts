import { describe, it, expect } from 'vitest';
import { stringValue, tokenizePython } from '../../../../electron/engine/alembic/python-tokens';

describe('tokenizePython', () => {
  it('keeps bracketed values on one statement and splits at newlines and semicolons', () => {
    const t = tokenizePython("a = (\n  'x',  # comment\n  \"y\",\n)\nb = 1; c = 2\n  d = 3\n");
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
    const t = tokenizePython("a = 'open\nb = \"\"\"never closed");
    const strings = t.tokens.filter((x) => x.kind === 'string');
    expect(strings.map((s) => s.terminated)).toEqual([false, false]);
    expect(t.statements.map((s) => s.tokens[0].text)).toEqual(['a', 'b']);
  });

  it('records bracket depth and distinguishes = from ==', () => {
    const t = tokenizePython('f(a == [b], c=d)');
    expect(t.tokens.map((x) => `${x.text}@${x.depth}`)).toEqual(['f@0', '(@0', 'a@1', '==@1', '[@1', 'b@2', ']@2', ',@1', 'c@1', '=@1', 'd@1', ')@1']);
  });
});
