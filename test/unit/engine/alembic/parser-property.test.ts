import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { parseAlembicIni } from '../../../../electron/engine/alembic/ini-reader';
import { parseRevisionFile } from '../../../../electron/engine/alembic/revision-parser';

const VALID_REVISION = `"""Create attribution_recompute_jobs table

Revision ID: 202512151300
Revises: 202512151200
Create Date: 2025-12-15 13:00:00.000000
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

revision: str = "202512151300"
down_revision: Union[str, Sequence[str], None] = (
    "202511131121",
    '202512151200',
)
branch_labels: Union[str, Sequence[str], None] = ('celery_foundation',)
depends_on = None


def upgrade() -> None:
    op.create_table('jobs', sa.Column('tenant_id', sa.ForeignKey("tenants.id")))
    op.execute("""
        CREATE TABLE IF NOT EXISTS public."Weird" (id int REFERENCES tenants(id));
        GRANT SELECT ON TABLE jobs TO app_ro;
    """)
    op.create_index('ix', 'jobs', ['tenant_id'])


def downgrade() -> None:
    op.drop_table('jobs')
`;

const VALID_INI = `[alembic]
script_location = %(here)s/alembic
version_locations = alembic/versions/a;alembic/versions/b
    alembic/versions/c
path_separator = ;
prepend_sys_path = .
; comment
sqlalchemy.url = %(DATABASE_URL)s

[loggers]
keys = root
`;

/** Mutations of a valid text: delete, duplicate, or insert tricky characters at random places. */
function mutated(valid: string) {
  const tricky = fc.constantFrom(
    '"',
    "'",
    '"""',
    '(',
    ')',
    '[',
    ']',
    '\\',
    '\n',
    '#',
    '=',
    ':',
    ',',
    '%',
    '%(',
    '\r',
    '\uFEFF',
    ' ',
    '\t',
    'None',
    'revision = ',
  );
  const edit = fc.oneof(
    fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.nat({ max: 40 }) }),
    fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.oneof(tricky, fc.string({ maxLength: 8 })) }),
    fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat(), length: fc.nat({ max: 60 }) }),
  );
  return fc.array(edit, { minLength: 1, maxLength: 8 }).map((edits) =>
    edits.reduce((text, e) => {
      const at = text.length === 0 ? 0 : e.at % (text.length + 1);
      if (e.kind === 'delete') return text.slice(0, at) + text.slice(at + e.length);
      if (e.kind === 'insert') return text.slice(0, at) + e.text + text.slice(at);
      return text.slice(0, at) + text.slice(at, at + e.length) + text.slice(at);
    }, valid),
  );
}

const isResult = (r: { ok: boolean }) => typeof r.ok === 'boolean';

describe('parsers never throw', () => {
  it('parses the valid samples', () => {
    const rev = parseRevisionFile(VALID_REVISION, 'v/x.py');
    expect(rev.ok && rev.value.downRevisions).toEqual(['202511131121', '202512151200']);
    expect(rev.ok && rev.value.creates).toEqual(['jobs', 'Weird']);
    expect(parseAlembicIni(VALID_INI, '/p/alembic.ini').ok).toBe(true);
  });

  it('revision-parser returns a Result for random strings', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (s) => isResult(parseRevisionFile(s, 'f.py'))),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (s) => isResult(parseRevisionFile(s, 'f.py'))),
      { numRuns: 300 },
    );
  });

  it('revision-parser returns a Result for mutations of a valid file', () => {
    fc.assert(
      fc.property(mutated(VALID_REVISION), (s) => isResult(parseRevisionFile(s, 'f.py'))),
      { numRuns: 500 },
    );
  });

  it('ini-reader returns a Result for random strings and mutations of a valid file', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (s) => isResult(parseAlembicIni(s, '/p/alembic.ini'))),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(mutated(VALID_INI), fc.constantFrom('posix' as const, 'win32' as const), (s, platform) =>
        isResult(parseAlembicIni(s, '/p/alembic.ini', { platform })),
      ),
      { numRuns: 500 },
    );
  });

  it('survives non-string input from untyped callers', () => {
    expect(isResult(parseRevisionFile(undefined as unknown as string, 'f.py'))).toBe(true);
    expect(isResult(parseAlembicIni(null as unknown as string, '/p/alembic.ini'))).toBe(true);
  });
});
