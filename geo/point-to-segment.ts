// Planar distance from a point to a segment, in a metric frame.
/**
 * Planar distance from (x, y) to the segment (ax, ay)–(bx, by), in whatever metric frame the
 * coordinates are in (for lon/lat use `closestOnSegment` with the local scale instead).
 *
 * @example
 * pointToSegment(1, 1, 0, 0, 2, 0); // 1
 */
export function pointToSegment(x: number, y: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const lengthSquared = dx * dx + dy * dy;
  let t = lengthSquared === 0 ? 0 : ((x - ax) * dx + (y - ay) * dy) / lengthSquared;
  t = t <= 0 ? 0 : t >= 1 ? 1 : t;
  const ex = ax + t * dx - x;
  const ey = ay + t * dy - y;
  return Math.sqrt(ex * ex + ey * ey);
}
