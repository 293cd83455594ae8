// Planar distance from a rectangle to a segment, in a metric frame (cell lists of line indexes).
import { pointToSegment } from './point-to-segment';

/** Distance in the frame from (x, y) to the rectangle [x0, x1] × [y0, y1]; 0 inside. */
function pointToRect(x: number, y: number, x0: number, y0: number, x1: number, y1: number): number {
  const ex = Math.max(x0 - x, 0, x - x1);
  const ey = Math.max(y0 - y, 0, y - y1);
  return Math.sqrt(ex * ex + ey * ey);
}

/** Liang–Barsky: whether the segment (ax, ay)–(bx, by) meets the rectangle [x0, x1] × [y0, y1]. */
function segmentMeetsRect(
  x0: number,
  y0: number,
  x1: number,
  y1: number,
  ax: number,
  ay: number,
  bx: number,
  by: number,
): boolean {
  const dx = bx - ax;
  const dy = by - ay;
  let t0 = 0;
  let t1 = 1;
  if (dx === 0) {
    if (ax < x0 || ax > x1) return false;
  } else {
    const ta = (x0 - ax) / dx;
    const tb = (x1 - ax) / dx;
    t0 = Math.max(t0, Math.min(ta, tb));
    t1 = Math.min(t1, Math.max(ta, tb));
  }
  if (dy === 0) {
    if (ay < y0 || ay > y1) return false;
  } else {
    const ta = (y0 - ay) / dy;
    const tb = (y1 - ay) / dy;
    t0 = Math.max(t0, Math.min(ta, tb));
    t1 = Math.min(t1, Math.max(ta, tb));
  }
  return t0 <= t1;
}

/**
 * Planar distance from the rectangle [x0, x1] × [y0, y1] to the segment (ax, ay)–(bx, by): 0 when
 * they meet, else the least of the ends' distances to the rectangle and the corners' to the segment.
 *
 * @example
 * rectToSegment(0, 0, 1, 1, 2, 0, 2, 5); // 1
 * rectToSegment(0, 0, 1, 1, -1, 0.5, 3, 0.5); // 0: the segment crosses the rectangle
 */
export function rectToSegment(
  x0: number,
  y0: number,
  x1: number,
  y1: number,
  ax: number,
  ay: number,
  bx: number,
  by: number,
): number {
  if (segmentMeetsRect(x0, y0, x1, y1, ax, ay, bx, by)) return 0;
  return Math.min(
    pointToRect(ax, ay, x0, y0, x1, y1),
    pointToRect(bx, by, x0, y0, x1, y1),
    pointToSegment(x0, y0, ax, ay, bx, by),
    pointToSegment(x1, y0, ax, ay, bx, by),
    pointToSegment(x0, y1, ax, ay, bx, by),
    pointToSegment(x1, y1, ax, ay, bx, by),
  );
}
