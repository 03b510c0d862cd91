import { describe, expect, it } from 'vitest';
import { isAtEnd, visibleRange } from '../../../../renderer/components/visible-range';

describe('visibleRange', () => {
  it('renders the rows in view plus the overscan, never the whole list', () => {
    // 10,000 rows of 20 px, a 600 px viewport scrolled to row 5,000.
    const range = visibleRange(100_000, 600, 20, 10_000, 8);
    expect(range).toEqual({ start: 4992, end: 5039 });
    expect(range.end - range.start).toBeLessThan(60);
  });

  it('clamps at both ends', () => {
    expect(visibleRange(0, 600, 20, 10_000, 8)).toEqual({ start: 0, end: 39 });
    expect(visibleRange(10_000 * 20 - 600, 600, 20, 10_000, 8)).toEqual({ start: 9962, end: 10_000 });
    expect(visibleRange(-50, 600, 20, 3, 8)).toEqual({ start: 0, end: 3 });
  });

  it('handles empty lists and zero sizes', () => {
    expect(visibleRange(0, 600, 20, 0)).toEqual({ start: 0, end: 0 });
    expect(visibleRange(0, 0, 20, 5, 0)).toEqual({ start: 0, end: 1 });
    expect(visibleRange(0, 600, 0, 5)).toEqual({ start: 0, end: 0 });
  });
});

describe('isAtEnd', () => {
  it('is true at the bottom and within one row of it', () => {
    expect(isAtEnd(400, 600, 1000, 20)).toBe(true);
    expect(isAtEnd(385, 600, 1000, 20)).toBe(true);
    expect(isAtEnd(300, 600, 1000, 20)).toBe(false);
  });
});
