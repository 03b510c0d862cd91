import { describe, it, expect } from 'vitest';
import { buildGraph } from '../../../shared/graph/build-graph';
import { simulateVersionRows, upgradeRevisions } from '../../../shared/graph/upgrade-revisions';
import { CELERY, CORE, MERGE, guideRevisions, rev } from './graph-fixtures';

const guide = buildGraph(guideRevisions());
const run = (g: typeof guide, rows: string[], target: string) => {
  const r = upgradeRevisions(g, rows, target);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};

// Expected orders below were produced by Alembic's own RevisionMap.iterate_revisions
// (as `alembic upgrade` calls it) on the same graphs.
describe("upgradeRevisions follows Alembic's order", () => {
  it('runs the celery branch before core for skeldir_foundation@head from empty (failure 1)', () => {
    expect(run(guide, [], 'skeldir_foundation@head')).toEqual([...CELERY, ...CORE, MERGE]);
    expect(run(guide, [], 'celery_foundation@head')).toEqual([...CELERY, ...CORE, MERGE]);
    expect(run(guide, [], 'head')).toEqual([...CELERY, ...CORE, MERGE]);
  });

  it('runs only what is missing', () => {
    expect(run(guide, [], '202511131121')).toEqual(CORE);
    expect(run(guide, ['202511131121'], 'skeldir_foundation@head')).toEqual([...CELERY, MERGE]);
    // From the guide's broken state the celery revision still goes first.
    expect(run(guide, ['202512151200'], 'skeldir_foundation@head')).toEqual(['202512151300', ...CORE, MERGE]);
    expect(run(guide, [MERGE], 'heads')).toEqual([]);
  });

  it('runs core first once the referencing revision depends on it', () => {
    const fixed = buildGraph(guideRevisions().map((r) => (r.id === '202512151300' ? { ...r, dependsOn: ['202511131121'] } : r)));
    expect(run(fixed, [], 'skeldir_foundation@head')).toEqual([...CORE, ...CELERY, MERGE]);
  });

  it('walks the first down_revision of a merge last', () => {
    const g = buildGraph([rev('a', null), rev('b', null), rev('m', ['a', 'b'])]);
    expect(run(g, [], 'm')).toEqual(['b', 'a', 'm']);
    const swapped = buildGraph([rev('a', null), rev('b', null), rev('m', ['b', 'a'])]);
    expect(run(swapped, [], 'm')).toEqual(['a', 'b', 'm']);
  });

  it('orders several targets by file order', () => {
    const g = buildGraph([rev('b1', null), rev('a1', null), rev('a2', 'a1'), rev('b2', 'b1')]);
    expect(run(g, [], 'heads')).toEqual(['b1', 'b2', 'a1', 'a2']);
  });

  it('follows depends_on into another branch', () => {
    const g = buildGraph([rev('c1', null), rev('c2', 'c1'), rev('d1', null, { dependsOn: ['c2'] }), rev('d2', 'd1')]);
    expect(run(g, [], 'd2')).toEqual(['c1', 'c2', 'd1', 'd2']);
  });
});

describe('upgradeRevisions errors', () => {
  it('refuses rows the project does not contain', () => {
    const r = upgradeRevisions(guide, ['deadbeef'], 'heads');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toContain('deadbeef');
  });

  it('refuses a version table holding a revision and its ancestor', () => {
    const r = upgradeRevisions(guide, ['202511131121', '202511131115'], 'heads');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toContain('overlaps');
  });

  it('refuses a graph Alembic cannot load', () => {
    const r = upgradeRevisions(buildGraph([rev('a', 'missing')]), [], 'heads');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('graph-invalid');
  });

  it('passes target errors through', () => {
    const r = upgradeRevisions(guide, [], 'nope');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('target-unknown');
  });
});

describe('simulateVersionRows', () => {
  it('moves a row along a branch and merges rows at a merge point', () => {
    expect(simulateVersionRows(guide, [], CORE)).toEqual(['202511131121']);
    expect(simulateVersionRows(guide, ['202511131121'], CELERY)).toEqual(['202511131121', '202512151300']);
    expect(simulateVersionRows(guide, ['202511131121', '202512151300'], [MERGE])).toEqual([MERGE]);
  });

  it('consumes the row of a dependency, as Alembic does', () => {
    const g = buildGraph([rev('c1', null), rev('d1', null, { dependsOn: ['c1'] })]);
    expect(simulateVersionRows(g, ['c1'], ['d1'])).toEqual(['d1']);
  });
});
