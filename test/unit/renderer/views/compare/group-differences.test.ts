import { describe, expect, it } from 'vitest';
import type { BundleDifference } from '../../../../../shared/bundle/compare-bundles';
import { comparedAreas } from '../../../../../shared/bundle/compare-bundles';
import { groupDifferences } from '../../../../../renderer/views/compare/group-differences';

describe('groupDifferences', () => {
  it('groups rows by area in the comparison\u2019s order, keeping the rows\u2019 order', () => {
    const rows: BundleDifference[] = [
      { area: 'roles', item: 'app_rw', a: 'login', b: null },
      { area: 'postgres', item: 'version', a: '15.18', b: '16.2' },
      { area: 'roles', item: 'app_ro', a: null, b: 'login' },
      { area: 'migration-files', item: 'hash of all migration files', a: 'x', b: 'y' },
    ];
    const groups = groupDifferences(rows);
    expect(groups.map((g) => [g.area, g.title, g.rows.length])).toEqual([
      ['postgres', 'PostgreSQL', 1],
      ['roles', 'Roles', 2],
      ['migration-files', 'Migration files', 1],
    ]);
    expect(groups[1].rows.map((r) => r.item)).toEqual(['app_rw', 'app_ro']);
    expect(groupDifferences([])).toEqual([]);
  });

  it('names every compared area for the "no differences" sentence', () => {
    expect(comparedAreas()).toBe(
      'PostgreSQL version, extensions, roles, role memberships, grants, database settings, tables, alembic_version, migration files and findings',
    );
  });
});
