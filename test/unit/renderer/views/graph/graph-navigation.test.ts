import { describe, expect, it } from 'vitest';
import { neighbour } from '../../../../../renderer/views/graph/graph-keyboard';
import { cornerBox, minimapClear, minimapCorner, MINIMAP_SIZE } from '../../../../../renderer/views/graph/minimap-corner';

describe('arrow keys on the lane layout', () => {
  //   a
  //   b   c
  //   d
  const nodes = [
    { key: 'a', x: 0, y: 0, row: 0 },
    { key: 'b', x: 0, y: 100, row: 1 },
    { key: 'c', x: 200, y: 100, row: 1 },
    { key: 'd', x: 0, y: 200, row: 2 },
  ];
  const edges = [
    { source: 'a', target: 'b' },
    { source: 'a', target: 'c' },
    { source: 'b', target: 'd' },
  ];

  it('moves up to a parent, down to the child nearest in x, sideways within the row', () => {
    expect(neighbour(nodes, edges, 'b', 'up')).toBe('a');
    expect(neighbour(nodes, edges, 'a', 'down')).toBe('b');
    expect(neighbour(nodes, edges, 'b', 'right')).toBe('c');
    expect(neighbour(nodes, edges, 'c', 'left')).toBe('b');
  });

  it('falls back to the nearest row when a node has no parent or child that way', () => {
    expect(neighbour(nodes, edges, 'c', 'down')).toBe('d');
    expect(neighbour(nodes, edges, 'a', 'up')).toBeNull();
    expect(neighbour(nodes, edges, 'c', 'right')).toBeNull();
  });
});

describe('the minimap corner', () => {
  const canvas = { width: 600, height: 400 };

  it('stays bottom-right when nothing is under it, and moves when the selected node would be', () => {
    expect(minimapCorner(canvas, [{ x: 10, y: 10, width: 100, height: 40 }])).toBe('bottom-right');
    const under = cornerBox('bottom-right', canvas);
    const selected = { x: under.x + 10, y: under.y + 10, width: 100, height: 40 };
    const corner = minimapCorner(canvas, [selected], ['bottom-left']);
    expect(corner).not.toBe('bottom-right');
    expect(minimapClear(corner, canvas, selected)).toBe(true);
  });

  it('keeps the selected node clear before the other pinned ones', () => {
    const everywhere = (['bottom-right', 'top-right', 'bottom-left', 'top-left'] as const).map((c) => cornerBox(c, canvas));
    const selected = everywhere[1];
    const corner = minimapCorner(canvas, [selected, ...everywhere]);
    expect(minimapClear(corner, canvas, selected)).toBe(true);
    expect(MINIMAP_SIZE.width).toBeLessThan(canvas.width / 2);
  });
});
