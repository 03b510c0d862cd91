/**
 * Where the minimap goes so it never covers the selected node: the first corner, in
 * order of preference, whose box does not overlap the node's box on screen.
 */
export type Corner = 'bottom-right' | 'top-right' | 'bottom-left' | 'top-left';

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export const MINIMAP_SIZE = { width: 160, height: 110 };
/** React Flow's panel margin around the minimap. */
const MARGIN = 15;
const PREFERENCE: Corner[] = ['bottom-right', 'top-right', 'bottom-left', 'top-left'];

export function cornerBox(corner: Corner, canvas: { width: number; height: number }): Box {
  const { width, height } = MINIMAP_SIZE;
  const x = corner.endsWith('right') ? canvas.width - MARGIN - width : MARGIN;
  const y = corner.startsWith('bottom') ? canvas.height - MARGIN - height : MARGIN;
  return { x, y, width, height };
}

function overlaps(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/** The corner for the minimap; `avoid` are screen boxes (canvas coordinates) to keep clear, most important first. */
export function minimapCorner(canvas: { width: number; height: number }, avoid: readonly Box[], blocked: readonly Corner[] = []): Corner {
  const open = PREFERENCE.filter((c) => !blocked.includes(c));
  for (let keep = avoid.length; keep > 0; keep--) {
    const found = open.find((c) => avoid.slice(0, keep).every((box) => !overlaps(cornerBox(c, canvas), box)));
    if (found) return found;
  }
  return open[0] ?? 'bottom-right';
}

/** Whether the minimap in `corner` leaves `box` uncovered. */
export function minimapClear(corner: Corner, canvas: { width: number; height: number }, box: Box): boolean {
  return !overlaps(cornerBox(corner, canvas), box);
}
