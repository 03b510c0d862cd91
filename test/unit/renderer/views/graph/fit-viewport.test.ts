import { describe, expect, it } from 'vitest';
import { fitViewport, type FitOptions } from '../../../../../renderer/views/graph/fit-viewport';

const options: FitOptions = { nodeWidth: 100, nodeHeight: 50, labelSpace: 20, readableZoom: 0.66, maxZoom: 1.1, padding: 16, bottomReserved: 40 };
const canvas = { width: 500, height: 400 };

/** Where a node's box lands on screen under a viewport. */
function onScreen(node: { x: number; y: number }, v: { x: number; y: number; zoom: number }) {
  return { left: node.x * v.zoom + v.x, top: node.y * v.zoom + v.y, right: (node.x + 100) * v.zoom + v.x, bottom: (node.y + 50) * v.zoom + v.y };
}

describe('fitViewport', () => {
  it('shows the whole graph, lanes without a pin included, when it fits at the readable zoom (using less padding if need be)', () => {
    // Four columns 620 wide: at 0.66 that is 409 px, inside 500 only with less than the preferred padding.
    const all = [0, 1, 2, 3].map((c) => ({ x: c * 160, y: 0 })).concat([{ x: 0, y: 200 }]);
    const pinned = [{ x: 0, y: 200 }];
    const v = fitViewport(all, pinned, canvas, options);
    expect(v).not.toBeNull();
    expect(v!.zoom).toBeGreaterThanOrEqual(0.66);
    for (const node of all) {
      const box = onScreen(node, v!);
      expect(box.left).toBeGreaterThanOrEqual(0);
      expect(box.right).toBeLessThanOrEqual(canvas.width);
      expect(box.top).toBeGreaterThanOrEqual(0);
      expect(box.bottom).toBeLessThanOrEqual(canvas.height - options.bottomReserved);
    }
  });

  it('fits the pinned nodes when the whole graph would need a zoom below the readable one', () => {
    const all = Array.from({ length: 12 }, (_, c) => ({ x: c * 160, y: 0 })).concat([{ x: 0, y: 300 }]);
    const pinned = [
      { x: 0, y: 300 },
      { x: 160, y: 0 },
    ];
    const v = fitViewport(all, pinned, canvas, options)!;
    expect(v.zoom).toBeGreaterThanOrEqual(0.66);
    for (const node of pinned) {
      const box = onScreen(node, v);
      expect(box.left).toBeGreaterThanOrEqual(0);
      expect(box.right).toBeLessThanOrEqual(canvas.width);
    }
    expect(onScreen(all[11], v).left).toBeGreaterThan(canvas.width);
  });

  it('never zooms in past the maximum on a tiny graph, and gives nothing for an empty one', () => {
    expect(fitViewport([{ x: 0, y: 0 }], [], canvas, options)!.zoom).toBe(1.1);
    expect(fitViewport([], [], canvas, options)).toBeNull();
  });
});
