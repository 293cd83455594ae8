// The edges of one polygon that matter for points in one cell, and the parity the others add.
import type { FlatPolygons } from './types';

/**
 * The ray a crossing test casts from the point, as a reflection of the plane that turns it into the
 * ray towards −x that `edgeCrossing` casts: 0 towards −x (x, y), 1 towards +x (−x, y), 2 towards −y
 * (y, x), 3 towards +y (−y, x). Negation and swapping are exact, so every ray gives Turf's answer.
 */
export type RayDirection = 0 | 1 | 2 | 3;

/**
 * For points in the box [x0, x1] × [y0, y1], the crossing test of polygon p along the ray `direction`
 * (see `RayDirection`) depends only on some edges. Edges wholly beyond the box across the ray, or on
 * the side the ray does not go, never count and are dropped; edges wholly on the ray's side that span
 * the box's whole width across the ray count once for every such point and are folded into the
 * returned parity (0 or 1); the rest are pushed to `out` as the index of their first vertex. Strict
 * comparisons keep this exact: the box must already include the safety margin around the cell.
 *
 * @example
 * const live: number[] = [];
 * const parity = selectCellEdges(flat, 0, 106.70, 22.10, 106.71, 22.11, live); // test only `live` edges
 * selectCellEdges(flat, 0, 106.70, 22.10, 106.71, 22.11, [], 1); // the same with a ray towards +x
 */
export function selectCellEdges(
  flat: FlatPolygons,
  p: number,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
  out: number[],
  direction: RayDirection = 0,
): number {
  const { coords, ringStarts, polygonRings } = flat;
  // In the reflected frame the ray goes towards −u; the box is [u0, u1] × [v0, v1] there.
  const swap = direction >= 2;
  const sign = direction === 1 || direction === 3 ? -1 : 1;
  const [a0, a1] = swap ? [y0, y1] : [x0, x1];
  const [u0, u1] = sign === 1 ? [a0, a1] : [-a1, -a0];
  const [v0, v1] = swap ? [x0, x1] : [y0, y1];
  const ux = swap ? 1 : 0;
  let parity = 0;
  for (let r = polygonRings[p] as number; r < (polygonRings[p + 1] as number); r++) {
    for (let v = ringStarts[r] as number, end = (ringStarts[r + 1] as number) - 1; v < end; v++) {
      const au = sign * (coords[2 * v + ux] as number);
      const av = coords[2 * v + 1 - ux] as number;
      const bu = sign * (coords[2 * v + 2 + ux] as number);
      const bv = coords[2 * v + 3 - ux] as number;
      const low = Math.min(av, bv);
      const high = Math.max(av, bv);
      if (high < v0 || low > v1 || Math.min(au, bu) > u1) continue;
      if (Math.max(au, bu) < u0 && low < v0 && high > v1) parity ^= 1;
      else out.push(v);
    }
  }
  return parity;
}
