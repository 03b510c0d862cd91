import { describe, it, expect } from 'vitest';
import { buildGraph } from '../../../shared/graph/build-graph';
import { CELERY, CORE, MERGE, guideRevisions, rev } from './graph-fixtures';

describe('buildGraph on the guide graph', () => {
  const graph = buildGraph(guideRevisions());

  it('finds heads, bases, merge points and no errors', () => {
    expect(graph.errors).toEqual([]);
    expect(graph.heads).toEqual([MERGE]);
    expect(graph.realHeads).toEqual([MERGE]);
    expect(graph.bases).toEqual(['baseline', '202512120900']);
    expect(graph.mergePoints).toEqual([MERGE]);
    expect(graph.branchPoints).toEqual([]);
    expect(graph.children['202511131121']).toEqual([MERGE]);
  });

  it('orders parents before children, ties by file order', () => {
    expect(graph.order).toEqual([...CORE, ...CELERY, MERGE]);
    expect(graph.loadOrder[0]).toBe('202511131115');
  });

  it('maps labels to their declaring revision and inherits them like Alembic', () => {
    expect(graph.labels).toEqual({ celery_foundation: '202512120900', skeldir_foundation: MERGE });
    for (const id of CELERY) expect(graph.inheritedLabels[id]).toEqual(['celery_foundation']);
    expect(graph.inheritedLabels[MERGE]).toEqual(['celery_foundation', 'skeldir_foundation']);
    for (const id of CORE) expect(graph.inheritedLabels[id]).toEqual([]);
  });

  it('warns about the two bases', () => {
    expect(graph.warnings.map((w) => w.kind)).toEqual(['multiple-bases']);
  });
});

describe('buildGraph label inheritance (Alembic _add_branches)', () => {
  it('labels the unbranched chain below the declaring revision down to a branch point', () => {
    const g = buildGraph([rev('a', null), rev('b', 'a'), rev('c', 'b'), rev('x', 'b'), rev('d', 'c', { branchLabels: ['feature'] }), rev('e', 'd')]);
    expect(g.inheritedLabels.e).toEqual(['feature']);
    expect(g.inheritedLabels.d).toEqual(['feature']);
    expect(g.inheritedLabels.c).toEqual(['feature']);
    // b is a branch point (children c and x): the walk stops there.
    expect(g.inheritedLabels.b).toEqual([]);
    expect(g.inheritedLabels.x).toEqual([]);
  });

  it('does not label ancestors when the descendants branch', () => {
    const g = buildGraph([rev('a', null), rev('b', 'a', { branchLabels: ['l'] }), rev('c', 'b'), rev('d', 'b')]);
    expect(g.inheritedLabels.a).toEqual([]);
    expect(g.inheritedLabels.c).toEqual(['l']);
    expect(g.inheritedLabels.d).toEqual(['l']);
  });
});

describe('buildGraph errors', () => {
  it('reports duplicate ids and keeps the file read last, at the first position', () => {
    const g = buildGraph([rev('a', null, { file: 'one.py' }), rev('b', 'a'), rev('a', null, { file: 'two.py', message: 'second' })]);
    expect(g.errors).toHaveLength(1);
    expect(g.errors[0]).toMatchObject({ kind: 'duplicate-id', file: 'two.py', revisionIds: ['a'] });
    expect(g.errors[0].message).toContain('one.py');
    expect(g.revisions.a.message).toBe('second');
    expect(g.loadOrder).toEqual(['a', 'b']);
  });

  it('reports a down_revision that does not exist, pointing at an unparsed file when there is one', () => {
    const parse = { kind: 'parse' as const, message: 'down_revision is not a literal', file: 'x.py', line: 9, revisionIds: ['gone'] };
    const g = buildGraph([rev('a', null), rev('b', 'gone')], { loadErrors: [parse] });
    const missing = g.errors.find((e) => e.kind === 'missing-parent');
    expect(missing).toMatchObject({ revisionIds: ['b'], file: 'alembic/versions/b.py' });
    expect(missing?.message).toContain('gone');
    expect(missing?.message).toContain('x.py');
    expect(g.errors).toContain(parse);
  });

  it('resolves depends_on through branch labels and reports unknown ones', () => {
    const g = buildGraph([rev('a', null, { branchLabels: ['core'] }), rev('b', null, { dependsOn: ['core', 'nope'] })]);
    expect(g.dependencies.b).toEqual(['a']);
    expect(g.dependents.a).toEqual(['b']);
    expect(g.heads).toEqual(['a', 'b']);
    expect(g.realHeads).toEqual(['b']);
    expect(g.errors.map((e) => e.kind)).toEqual(['missing-dependency']);
    expect(g.errors[0].message).toContain("'nope'");
  });

  it('normalizes dependencies already declared by an ancestor', () => {
    const g = buildGraph([rev('x', null), rev('a', null, { dependsOn: ['x'] }), rev('b', 'a', { dependsOn: ['x'] })]);
    expect(g.dependencies.b).toEqual(['x']);
    expect(g.normalizedDependencies.b).toEqual([]);
    expect(g.normalizedDependencies.a).toEqual(['x']);
  });

  it('detects cycles and self-loops', () => {
    const g = buildGraph([rev('a', 'c'), rev('b', 'a'), rev('c', 'b'), rev('s', 's'), rev('ok', null)]);
    const cycles = g.errors.filter((e) => e.kind === 'cycle');
    expect(cycles.map((c) => c.revisionIds)).toEqual([['a', 'b', 'c'], ['s']]);
    expect(g.order.slice(0, 1)).toEqual(['ok']);
    expect(new Set(g.order)).toEqual(new Set(['a', 'b', 'c', 's', 'ok']));
  });

  it('detects a cycle through depends_on', () => {
    const g = buildGraph([rev('a', null, { dependsOn: ['b'] }), rev('b', 'a')]);
    expect(g.errors.map((e) => e.kind)).toEqual(['cycle']);
  });

  it('rejects a branch label used twice or equal to a revision id', () => {
    const g = buildGraph([rev('a', null, { branchLabels: ['l'] }), rev('b', 'a', { branchLabels: ['l', 'a'] })]);
    expect(g.errors.map((e) => e.kind)).toEqual(['duplicate-label', 'duplicate-label']);
    expect(g.labels).toEqual({ l: 'a' });
  });

  it('rejects characters Alembic does not allow in ids', () => {
    const g = buildGraph([rev('a-b', null)]);
    expect(g.errors[0]).toMatchObject({ kind: 'parse', revisionIds: ['a-b'] });
  });

  it('warns about multiple heads and bases', () => {
    const g = buildGraph([rev('a', null), rev('b', null), rev('c', 'a'), rev('d', 'a')]);
    expect(g.heads).toEqual(['b', 'c', 'd']);
    expect(g.branchPoints).toEqual(['a']);
    expect(g.warnings.map((w) => w.kind)).toEqual(['multiple-heads', 'multiple-bases']);
    expect(g.warnings[0].revisionIds).toEqual(['b', 'c', 'd']);
  });

  it('handles an empty project', () => {
    const g = buildGraph([]);
    expect(g).toMatchObject({ heads: [], bases: [], order: [], errors: [], warnings: [] });
  });
});

describe('buildGraph with hostile ids', () => {
  it('treats ids named like Object.prototype members as plain ids', () => {
    const g = buildGraph([rev('constructor', null), rev('__proto__', 'constructor'), rev('x', 'toString', { dependsOn: ['hasOwnProperty'] })]);
    expect(g.heads).toEqual(['__proto__', 'x']);
    expect(g.errors.map((e) => e.kind)).toEqual(['missing-dependency', 'missing-parent']);
    expect(Object.keys(g.revisions)).toEqual(['constructor', '__proto__', 'x']);
  });
});
