/**
 * Cycle finding for the revision graph. Iterative (Tarjan) so that a long or hostile
 * chain of revisions cannot overflow the stack.
 */

/**
 * The groups of nodes that reach each other through `edges`: strongly connected
 * components with more than one member, plus single nodes that point at themselves.
 * Each group is returned in the order of `nodes`.
 */
export function findCycles(nodes: string[], edges: (node: string) => string[]): string[][] {
  const known = new Set(nodes);
  const position = new Map(nodes.map((n, i) => [n, i] as const));
  const succ = new Map<string, string[]>();
  for (const n of nodes)
    succ.set(
      n,
      edges(n).filter((m) => known.has(m)),
    );

  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const groups: string[][] = [];
  let counter = 0;

  const visit = (v: string) => {
    index.set(v, counter);
    low.set(v, counter);
    counter += 1;
    stack.push(v);
    onStack.add(v);
  };

  for (const root of nodes) {
    if (index.has(root)) continue;
    visit(root);
    const work: { v: string; i: number }[] = [{ v: root, i: 0 }];
    while (work.length > 0) {
      const top = work[work.length - 1];
      const next = succ.get(top.v) ?? [];
      if (top.i < next.length) {
        const w = next[top.i];
        top.i += 1;
        if (!index.has(w)) {
          visit(w);
          work.push({ v: w, i: 0 });
        } else if (onStack.has(w)) {
          low.set(top.v, Math.min(low.get(top.v) as number, index.get(w) as number));
        }
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1].v;
        low.set(parent, Math.min(low.get(parent) as number, low.get(top.v) as number));
      }
      if (low.get(top.v) === index.get(top.v)) {
        const group: string[] = [];
        let w: string;
        do {
          w = stack.pop() as string;
          onStack.delete(w);
          group.push(w);
        } while (w !== top.v);
        const selfLoop = group.length === 1 && (succ.get(top.v) ?? []).includes(top.v);
        if (group.length > 1 || selfLoop) {
          group.sort((a, b) => (position.get(a) as number) - (position.get(b) as number));
          groups.push(group);
        }
      }
    }
  }
  return groups.sort((a, b) => (position.get(a[0]) as number) - (position.get(b[0]) as number));
}
