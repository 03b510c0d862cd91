/**
 * Where the canvas opens: the whole graph when all of it fits at a readable zoom (a
 * project the size of the real Skeldir backend is read at a glance, lanes without a head
 * included), else the revisions a person looks for first (heads, current rows, target).
 * Pure arithmetic over node positions so it is unit-tested without a browser.
 */
export interface FitOptions {
  nodeWidth: number;
  nodeHeight: number;
  /** Room above the topmost node for its lane's name. */
  labelSpace: number;
  /** Never zoom out below this (ids stay readable) nor in above maxZoom. */
  readableZoom: number;
  maxZoom: number;
  /** Preferred margin inside the canvas; a fit may use less, down to zero, rather than go below the readable zoom. */
  padding: number;
  /** Canvas rows kept clear at the bottom (the zoom buttons). */
  bottomReserved: number;
}

export interface FitViewport {
  x: number;
  y: number;
  zoom: number;
}

interface Bounds {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

function boundsOf(nodes: readonly { x: number; y: number }[], o: FitOptions): Bounds | null {
  if (nodes.length === 0) return null;
  return {
    minX: Math.min(...nodes.map((n) => n.x)),
    minY: Math.min(...nodes.map((n) => n.y)) - o.labelSpace,
    maxX: Math.max(...nodes.map((n) => n.x + o.nodeWidth)),
    maxY: Math.max(...nodes.map((n) => n.y + o.nodeHeight)),
  };
}

/** Whether the bounds fit the canvas whole at the readable zoom. */
function fitsReadable(b: Bounds, canvas: { width: number; height: number }, o: FitOptions): boolean {
  return (b.maxX - b.minX) * o.readableZoom <= canvas.width && (b.maxY - b.minY) * o.readableZoom <= canvas.height - o.bottomReserved;
}

function centred(b: Bounds, canvas: { width: number; height: number }, o: FitOptions): FitViewport {
  const usable = canvas.height - o.bottomReserved;
  const fitted = Math.min((canvas.width - 2 * o.padding) / (b.maxX - b.minX), (usable - 2 * o.padding) / (b.maxY - b.minY));
  const zoom = Math.min(o.maxZoom, Math.max(o.readableZoom, fitted));
  return { x: canvas.width / 2 - ((b.minX + b.maxX) / 2) * zoom, y: usable / 2 - ((b.minY + b.maxY) / 2) * zoom, zoom };
}

/** `all`: every laid-out node; `wanted`: the pinned ones (empty: fit all, even if that means panning). */
export function fitViewport(
  all: readonly { x: number; y: number }[],
  wanted: readonly { x: number; y: number }[],
  canvas: { width: number; height: number },
  options: FitOptions,
): FitViewport | null {
  const whole = boundsOf(all, options);
  if (!whole) return null;
  const pinned = boundsOf(wanted, options);
  return centred(pinned && !fitsReadable(whole, canvas, options) ? pinned : whole, canvas, options);
}
