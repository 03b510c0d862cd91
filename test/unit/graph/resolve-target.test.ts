import { describe, it, expect } from 'vitest';
import { buildGraph } from '../../../shared/graph/build-graph';
import { resolveTarget } from '../../../shared/graph/resolve-target';
import { MERGE, guideRevisions, rev } from './graph-fixtures';

const guide = buildGraph(guideRevisions());
// Two unmerged heads: ae10aa → (ae10bb | ae20cc), with a label on one branch.
const forked = buildGraph([
  rev('ae1000aa', null),
  rev('ae10bb01', 'ae1000aa', { branchLabels: ['left'] }),
  rev('ae20cc02', 'ae1000aa'),
  rev('ae10bb03', 'ae10bb01'),
]);

const revisionsOf = (g: typeof guide, target: string, rows: string[] = []) => {
  const r = resolveTarget(g, target, rows);
  return r.ok ? r.value.revisions : r.error.code;
};

describe('resolveTarget: absolute targets', () => {
  it('resolves full ids, labels and symbolic names', () => {
    expect(revisionsOf(guide, '202511131121')).toEqual(['202511131121']);
    expect(revisionsOf(guide, 'celery_foundation')).toEqual(['202512120900']);
    expect(revisionsOf(guide, 'head')).toEqual([MERGE]);
    expect(revisionsOf(guide, 'heads')).toEqual([MERGE]);
    expect(revisionsOf(guide, 'base')).toEqual([]);
    expect(resolveTarget(guide, ' head ').ok).toBe(true);
  });

  it('resolves label@head through inherited labels', () => {
    expect(revisionsOf(guide, 'skeldir_foundation@head')).toEqual([MERGE]);
    expect(revisionsOf(guide, 'celery_foundation@head')).toEqual([MERGE]);
    expect(revisionsOf(forked, 'left@head')).toEqual(['ae10bb03']);
    expect(revisionsOf(forked, 'left@heads')).toEqual(['ae10bb03']);
  });

  it('resolves rev@head to the single head sharing its lineage', () => {
    expect(revisionsOf(guide, '202511131115@head')).toEqual([MERGE]);
    expect(revisionsOf(forked, 'ae20cc02@head')).toEqual(['ae20cc02']);
    // The common root shares lineage with both heads.
    expect(revisionsOf(forked, 'ae1000aa@head')).toBe('target-ambiguous');
  });

  it('checks that label@rev is on the branch', () => {
    expect(revisionsOf(forked, 'left@ae10bb03')).toEqual(['ae10bb03']);
    const off = resolveTarget(forked, 'left@ae20cc02');
    expect(off.ok).toBe(false);
    if (!off.ok) expect(off.error.message).toContain("is not a member of branch 'left'");
  });

  it('refuses head when there are several, listing them like Alembic', () => {
    const r = resolveTarget(forked, 'head');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('target-ambiguous');
      expect(r.error.message).toContain('Multiple head revisions');
      expect(r.error.message).toContain('ae20cc02');
      expect(r.error.message).toContain('ae10bb03');
    }
    expect(revisionsOf(forked, 'heads')).toEqual(['ae20cc02', 'ae10bb03']);
  });
});

describe('resolveTarget: prefixes', () => {
  it('accepts a unique prefix', () => {
    expect(revisionsOf(forked, 'ae20')).toEqual(['ae20cc02']);
    expect(revisionsOf(guide, 'skeldir')).toEqual([MERGE]);
  });

  it('reports an ambiguous prefix with its candidates', () => {
    const r = resolveTarget(forked, 'ae10');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('target-ambiguous');
      expect(r.error.message).toContain("Multiple revisions start with 'ae10'");
      expect(r.error.detail).toContain('ae10bb01');
      expect(r.error.detail).toContain('ae10bb03');
    }
  });

  it('matches short prefixes only against ids longer than three characters, and says so when nothing matches', () => {
    expect(revisionsOf(forked, 'ae2')).toEqual(['ae20cc02']);
    const r = resolveTarget(forked, 'zz');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toContain('at least four characters');
  });

  it('lists the closest ids and labels for an unknown target', () => {
    const r = resolveTarget(guide, '202511131122');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('target-unknown');
      expect(r.error.detail).toContain('202511131121');
    }
    const label = resolveTarget(guide, 'skeldir_fundation@head');
    expect(label.ok).toBe(false);
    if (!label.ok) expect(label.error.remediation).toContain('skeldir_foundation');
  });

  it("points at the product's own graph when nothing is close to an unknown target", () => {
    const r = resolveTarget(guide, 'nope');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('target-unknown');
      expect(r.error.remediation).toBe('The migration graph lists every revision and branch label.');
      expect(r.error.action).toBe('show-migration-graph');
    }
  });
});

describe('resolveTarget: relative targets', () => {
  it('walks up from the current rows (+N), from base when the database is empty', () => {
    expect(revisionsOf(guide, '+2', ['202511131115'])).toEqual(['202511131120']);
    expect(revisionsOf(forked, '+1')).toEqual(['ae1000aa']);
    expect(revisionsOf(forked, '+2', ['ae1000aa'])).toBe('target-ambiguous');
    expect(revisionsOf(forked, 'left@+2', ['ae1000aa'])).toEqual(['ae10bb03']);
  });

  it('walks from a named revision (rev+N, rev-N, label@rev+N)', () => {
    expect(revisionsOf(guide, '202511131115+1')).toEqual(['202511131119']);
    expect(revisionsOf(guide, '202511131121-2')).toEqual(['202511131119']);
    expect(revisionsOf(forked, 'left@ae1000aa+1')).toEqual(['ae10bb01']);
  });

  it('refuses walks that run off the graph or go down without a start', () => {
    expect(revisionsOf(guide, '+20', ['202511131115'])).toBe('target-unknown');
    // Two bases: walking up from an empty database must choose, and Alembic refuses.
    expect(revisionsOf(guide, '+1')).toBe('target-ambiguous');
    expect(revisionsOf(guide, '-1', ['202511131121'])).toBe('target-unknown');
    expect(revisionsOf(guide, 'baseline-1')).toBe('target-unknown');
    expect(revisionsOf(guide, `${MERGE}-1`)).toBe('target-ambiguous');
  });

  it('rejects an empty target and does not hang on huge steps', () => {
    expect(revisionsOf(guide, '')).toBe('target-unknown');
    expect(revisionsOf(guide, '+999999999999999999999', ['202511131115'])).toBe('target-unknown');
  });
});
