import { describe, it, expect } from 'vitest';
import { parseRevisionFile, parseRevisionSource } from '../../../../electron/engine/alembic/revision-parser';

const header = `"""Create attribution_recompute_jobs table

Revision ID: 202512151300
Revises: 202512151200
Create Date: 2025-12-15 13:00:00.000000

Longer explanation.
"""
from typing import Sequence, Union

from alembic import op
`;

const parse = (body: string, file = 'alembic/versions/x.py') => {
  const r = parseRevisionFile(body, file);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};

describe('parseRevisionFile: identifiers', () => {
  it('reads annotated assignments as alembic 1.13 templates write them', () => {
    const r = parse(`${header}
# revision identifiers, used by Alembic.
revision: str = "202512151300"
down_revision: Union[str, None] = "202512151200"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None
`);
    expect(r).toMatchObject({
      id: '202512151300',
      downRevisions: ['202512151200'],
      branchLabels: [],
      dependsOn: [],
      message: 'Create attribution_recompute_jobs table',
      createDate: '2025-12-15 13:00:00.000000',
      file: 'alembic/versions/x.py',
      line: 14,
    });
  });

  it('reads plain assignments with single quotes', () => {
    const r = parse(`"""Add RLS policies"""\nrevision = '202511131120'\ndown_revision = '202511131119'\nbranch_labels = None\ndepends_on = None\n`);
    expect(r).toMatchObject({ id: '202511131120', downRevisions: ['202511131119'], message: 'Add RLS policies', createDate: null, line: 2 });
  });

  it('reads tuples, lists, multi-line values and trailing commas', () => {
    const r = parse(`revision = "m"
down_revision: Union[str, Sequence[str], None] = (
    "202511131121",  # core
    '202512151300',
)
branch_labels = ['skeldir_foundation',]
depends_on = ("x",)
`);
    expect(r.downRevisions).toEqual(['202511131121', '202512151300']);
    expect(r.branchLabels).toEqual(['skeldir_foundation']);
    expect(r.dependsOn).toEqual(['x']);
  });

  it('reads a bare tuple, a parenthesized string, an empty tuple and implicit concatenation', () => {
    expect(parse(`revision = 'a'\ndown_revision = 'b', 'c'\n`).downRevisions).toEqual(['b', 'c']);
    expect(parse(`revision = 'a'\ndown_revision = ('b')\n`).downRevisions).toEqual(['b']);
    expect(parse(`revision = 'a'\ndown_revision = ()\n`).downRevisions).toEqual([]);
    expect(parse(`revision = 'ab' 'cd'\n`).id).toBe('abcd');
    expect(parse(`revision = 'a'\nbranch_labels = 'core'\n`).branchLabels).toEqual(['core']);
  });

  it('takes the last module-level assignment and ignores indented ones', () => {
    const r = parse(`revision = 'old'\nrevision = 'new'\nif False:\n    down_revision = 'ignored'\ndef upgrade():\n    revision = 'nope'\n`);
    expect(r.id).toBe('new');
    expect(r.downRevisions).toEqual([]);
    expect(r.line).toBe(2);
  });

  it('ignores an annotation without a value', () => {
    expect(parse(`revision: str\nrevision = 'x'\n`).id).toBe('x');
  });

  it("takes the id from a hex file name when there is no revision variable (Alembic's legacy rule)", () => {
    expect(parse(`down_revision = None\n`, 'versions/ae1027a6acf.py').id).toBe('ae1027a6acf');
  });

  it("keeps Alembic's doc: the first paragraph, which may span lines", () => {
    expect(parse(`"""First line\nsecond line\n\nRevision ID: a\n"""\nrevision = 'a'\n`).message).toBe('First line\nsecond line');
    expect(parse(`revision = 'a'\n`).message).toBe('');
  });
});

describe('parseRevisionFile: errors name the file and line', () => {
  it('reports a missing revision', () => {
    const r = parseRevisionFile(`"""doc"""\ndown_revision = None\ndef upgrade():\n    pass\n`, 'alembic/versions/helper.py');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('revision-parse-error');
    expect(r.error.message).toContain('alembic/versions/helper.py');
    expect(r.error.detail).toBe('alembic/versions/helper.py:1');
    const outcome = parseRevisionSource(`x = 1\n`, 'helper.py');
    expect(outcome.ok === false && [outcome.failure.missingRevision, outcome.failure.looksLikeRevision]).toEqual([true, false]);
  });

  it('reports a computed value with its line', () => {
    const r = parseRevisionFile(`revision = 'a'\n\ndown_revision = compute()\n`, 'v/a.py');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.message).toContain('line 3');
    expect(r.error.message).toContain('down_revision');
    expect(r.error.detail).toBe('v/a.py:3');
  });

  it('rejects f-strings, None and nested tuples as ids', () => {
    expect(parseRevisionFile(`revision = f"{x}"\n`, 'a.py').ok).toBe(false);
    expect(parseRevisionFile(`revision = None\n`, 'a.py').ok).toBe(false);
    expect(parseRevisionFile(`revision = 'a'\ndown_revision = (('b',),)\n`, 'a.py').ok).toBe(false);
    expect(parseRevisionFile(`revision = 'a'\ndown_revision = ('b') + ('c')\n`, 'a.py').ok).toBe(false);
    expect(parseRevisionFile(`revision = 'a\n`, 'a.py').ok).toBe(false);
  });

  it('keeps the revision id and hands an expression on to the loader as pending', () => {
    const outcome = parseRevisionSource(`revision = 'abc'\ndepends_on = deps\n`, 'a.py');
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.revision.id).toBe('abc');
    expect(outcome.pending?.fields.map((f) => [f.field, f.line, f.tokens.map((t) => t.text).join(' ')])).toEqual([['depends_on', 2, 'deps']]);
  });
});
