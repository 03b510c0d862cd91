import { describe, it, expect } from 'vitest';
import { buildGraph } from '../../../shared/graph/build-graph';
import { branchName, branchOf, branchSegments, describeSegment } from '../../../shared/graph/branches';
import { CELERY, CORE, MERGE, guideRevisions, rev } from './graph-fixtures';

describe('branches', () => {
  const guide = buildGraph(guideRevisions());

  it('splits the guide graph into core, celery and merge segments', () => {
    expect(branchSegments(guide).map((s) => [s.name, s.revisions])).toEqual([
      ['core_schema', CORE],
      ['celery_foundation', CELERY],
      ['skeldir_foundation', [MERGE]],
    ]);
  });

  it("names a revision's branch by label, then folder, then root id", () => {
    expect(branchName(guide, '202512151300')).toBe('celery_foundation');
    expect(branchName(guide, '202511131115')).toBe('core_schema');
    const plain = buildGraph([rev('a', null), rev('b', 'a'), rev('c', 'a')]);
    expect(branchName(plain, 'b')).toBe('b');
    expect(branchName(plain, 'unknown')).toBe('unknown');
  });

  it('does not name a branch after a folder another branch shares', () => {
    const g = buildGraph([rev('a', null, { file: 'v/shared/a.py' }), rev('b', null, { file: 'v/shared/b.py' })]);
    expect(branchName(g, 'a')).toBe('a');
  });

  it('describes a segment with its range', () => {
    const seg = branchOf(guide, '202511131119');
    expect(seg && describeSegment(seg)).toBe('core_schema (baseline … 202511131121)');
    const single = buildGraph([rev('only', null)]);
    expect(describeSegment(branchSegments(single)[0])).toBe('only');
  });
});
