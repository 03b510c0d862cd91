import { describe, expect, it } from 'vitest';
import { formatPreviewSql } from '../../../shared/contract/preview-sql';

describe('formatPreviewSql', () => {
  it('heads each step with the range Alembic was given', () => {
    expect(
      formatPreviewSql([
        { target: 'a', range: 'a', sql: 'CREATE TABLE t ();\n' },
        { target: 'b', range: 'a:b', sql: 'ALTER TABLE t ADD c int;\n' },
      ]),
    ).toBe('-- alembic upgrade --sql a\nCREATE TABLE t ();\n\n-- alembic upgrade --sql a:b\nALTER TABLE t ADD c int;\n');
  });

  it('with nothing to run, says the database is at or past the target (a target behind it is not "reached")', () => {
    expect(formatPreviewSql([])).toBe('-- nothing to run: the database is at or past the target');
  });
});
