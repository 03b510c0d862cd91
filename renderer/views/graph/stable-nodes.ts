/**
 * Keeps the previous object of every canvas node whose content did not change. React Flow
 * re-renders and re-measures only nodes whose object is new, so a keystroke in the search
 * box or a new selection repaints the few nodes it touches instead of all of them.
 */
export interface StableNode {
  id: string;
  position: { x: number; y: number };
  selected?: boolean;
  data: Record<string, unknown>;
}

export function reuseUnchanged<T extends StableNode>(previous: ReadonlyMap<string, T>, next: T[]): T[] {
  return next.map((node) => {
    const before = previous.get(node.id);
    return before && sameNode(before, node) ? before : node;
  });
}

function sameNode(a: StableNode, b: StableNode): boolean {
  if (a.position.x !== b.position.x || a.position.y !== b.position.y || Boolean(a.selected) !== Boolean(b.selected)) return false;
  const keys = Object.keys(a.data);
  if (keys.length !== Object.keys(b.data).length) return false;
  return keys.every((key) => sameValue(a.data[key], b.data[key]));
}

/** Equal primitives, functions by identity, arrays and plain objects one level deep (counts, plan steps, labels). */
function sameValue(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((value, i) => Object.is(value, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((key) => Object.is(a[key], b[key]));
  }
  return false;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}
