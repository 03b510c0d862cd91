import { describe, it, expect } from 'vitest';
import { tokenizePython } from '../../../../electron/engine/alembic/python-tokens';
import { evaluateAssignment, ModuleFinder, scopeOf } from '../../../../electron/engine/alembic/static-values';
import { makeTempTree } from '../../../support/temp-dir';

const tree = (files: Record<string, string>) => makeTempTree('static-values-', files);

/** Evaluates the value assigned to `target` in `source`, with modules found under `root`. */
function valueOf(source: string, target: string, root = tree({})) {
  const parsed = tokenizePython(source);
  const scope = scopeOf(parsed, null);
  const st = parsed.statements.filter((s) => s.indent === 0 && s.tokens[0]?.text === target && s.tokens[1]?.text === '=').pop();
  if (!st) throw new Error(`no ${target}`);
  return evaluateAssignment(st.tokens.slice(2), scope, st.line, new ModuleFinder([root]));
}

describe('static values of revision attributes', () => {
  it('reads same-file constants, tuples, concatenation and f-strings', () => {
    expect(valueOf(`A = 'ab'\nx = A`, 'x')).toEqual({ ok: true, value: 'ab' });
    expect(valueOf(`A = 'ab'\nB = A + 'c' 'd'\nx = (B,)`, 'x')).toEqual({ ok: true, value: ['abcd'] });
    expect(valueOf(`P = ('a',)\nQ = ['b']\nx = P + ('c',)`, 'x')).toEqual({ ok: true, value: ['a', 'c'] });
    expect(valueOf(`A = 'ab'\nx = f"{A}_{{lit}}\\n"`, 'x')).toEqual({ ok: true, value: 'ab_{lit}\n' });
    expect(valueOf(`A = 'ab'\nx = rf"{A}\\n"`, 'x')).toEqual({ ok: true, value: 'ab\\n' });
    expect(valueOf(`x = 'a', 'b'`, 'x')).toEqual({ ok: true, value: ['a', 'b'] });
    expect(valueOf(`x = None`, 'x')).toEqual({ ok: true, value: null });
  });

  it('uses the value bound before the assignment, as Python runs the module', () => {
    expect(valueOf(`A = 'one'\nx = A\nA = 'two'`, 'x')).toEqual({ ok: true, value: 'one' });
    const later = valueOf(`x = A\nA = 'two'`, 'x');
    expect(later.ok).toBe(false);
  });

  it('follows imports into the repository: from-import, module alias, dotted import, class attribute, package __init__', () => {
    const root = tree({
      'app/__init__.py': "RELEASE = 'mitaka'\n",
      'app/db/__init__.py': '',
      'app/db/cli.py':
        "EXPAND = 'expand'\nBOTH = (EXPAND, 'contract')\nclass Names:\n    \"\"\"doc\"\"\"\n    AUDIT = 'audit'\n    def f(self):\n        AUDIT = 'no'\n",
      'app/db/rel.py': 'from . import cli\nfrom .. import RELEASE\nLABEL = cli.EXPAND\n',
    });
    expect(valueOf(`from app.db.cli import EXPAND\nx = (EXPAND,)`, 'x', root)).toEqual({ ok: true, value: ['expand'] });
    expect(valueOf(`from app.db import cli\nx = cli.BOTH`, 'x', root)).toEqual({ ok: true, value: ['expand', 'contract'] });
    expect(valueOf(`import app.db.cli as c\nx = c.EXPAND + '_x'`, 'x', root)).toEqual({ ok: true, value: 'expand_x' });
    expect(valueOf(`import app.db.cli\nx = app.db.cli.Names.AUDIT`, 'x', root)).toEqual({ ok: true, value: 'audit' });
    expect(valueOf(`from app.db.cli import Names as N\nx = N.AUDIT`, 'x', root)).toEqual({ ok: true, value: 'audit' });
    expect(valueOf(`import app\nx = app.RELEASE`, 'x', root)).toEqual({ ok: true, value: 'mitaka' });
    expect(valueOf(`from app.db.rel import LABEL, RELEASE\nx = (LABEL, RELEASE)`, 'x', root)).toEqual({ ok: true, value: ['expand', 'mitaka'] });
  });

  it('reports what it cannot decide, with the reason', () => {
    const root = tree({ 'app/__init__.py': 'import os\nNAME = os.environ["X"]\n' });
    const cases: [string, RegExp][] = [
      [`import os\nx = os.environ.get('X')`, /not a module of the repository|computed/],
      [`x = ''.join(['a'])`, /computed/],
      [`x = pick('a')`, /not a module-level constant|computed/],
      [`from app import NAME\nx = NAME`, /os, which is not a module of the repository/],
      [`from missing.mod import X\nx = X`, /not a module of the repository/],
      [`A = 'a'\nx = f"{A!r}"`, /formats/],
      [`A = 1\nx = A + 'b'`, /computed|different kinds/],
      [`x = b'abc'`, /bytes/],
      [`A = B\nB = A\nx = A`, /not a module-level constant|too many/],
    ];
    for (const [source, reason] of cases) {
      const v = valueOf(source, 'x', root);
      expect(v.ok, source).toBe(false);
      if (!v.ok) expect(v.reason, source).toMatch(reason);
    }
  });
});
