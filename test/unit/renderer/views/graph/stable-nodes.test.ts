import { describe, expect, it } from 'vitest';
import { reuseUnchanged, type StableNode } from '../../../../../renderer/views/graph/stable-nodes';

const onFold = () => undefined;
function node(id: string, overrides: Partial<StableNode> = {}, data: Record<string, unknown> = {}): StableNode {
  return {
    id,
    position: { x: 10, y: 20 },
    selected: false,
    ...overrides,
    data: { state: 'applied', steps: [1], counts: { applied: 2, pending: 1 }, onFold, ...data },
  };
}

describe('reuseUnchanged', () => {
  it('keeps the previous object of a node whose position, selection and data are equal (arrays and counts by value)', () => {
    const before = [node('a'), node('b')];
    const previous = new Map(before.map((n) => [n.id, n] as const));
    const next = reuseUnchanged(previous, [node('a'), node('b')]);
    expect(next[0]).toBe(before[0]);
    expect(next[1]).toBe(before[1]);
  });

  it('takes the new object for a node that moved, was selected, matched a search or changed its counts', () => {
    const before = [node('a'), node('b'), node('c'), node('d'), node('e')];
    const previous = new Map(before.map((n) => [n.id, n] as const));
    const changed = [
      node('a', { position: { x: 11, y: 20 } }),
      node('b', { selected: true }),
      node('c', {}, { match: true }),
      node('d', {}, { counts: { applied: 3, pending: 0 } }),
      node('e', {}, { steps: [1, 2] }),
    ];
    const next = reuseUnchanged(previous, changed);
    next.forEach((n, i) => {
      expect(n).toBe(changed[i]);
      expect(n).not.toBe(before[i]);
    });
  });

  it('compares callbacks by identity and takes nodes it has not seen before as they are', () => {
    const before = node('a');
    const other = node('a', {}, { onFold: () => undefined });
    expect(reuseUnchanged(new Map([['a', before]]), [other])[0]).toBe(other);
    const fresh = node('z');
    expect(reuseUnchanged(new Map([['a', before]]), [fresh])[0]).toBe(fresh);
  });
});
