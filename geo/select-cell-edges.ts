// The edges of one polygon that matter for points in one cell, and the parity the others add.
import type { FlatPolygons } from './types';

/**
 * For points in the box [x0, x1] × [y0, y1], the crossing test of polygon p (rays towards −x, see
 * `edgeCrossing`) depends only on some edges. Edges wholly above, below or right of the box never
 * count and are dropped; edges wholly left of it that span its whole height count once for every
 * such point and are folded into the returned parity (0 or 1); the rest are pushed to `out` as the
 * index of their first vertex. Strict comparisons keep this exact: the box must already include the
 * safety margin around the cell.
 *
 * @example
 * const live: number[] = [];
 * const parity = selectCellEdges(flat, 0, 106.70, 22.10, 106.71, 22.11, live); // test only `live` edges
 */
export function selectCellEdges(
  flat: FlatPolygons,
  p: number,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
  out: number[],
): number {
  const { coords, ringStarts, polygonRings } = flat;
  let parity = 0;
  for (let r = polygonRings[p] as number; r < (polygonRings[p + 1] as number); r++) {
    for (let v = ringStarts[r] as number, end = (ringStarts[r + 1] as number) - 1; v < end; v++) {
      const ax = coords[2 * v] as number;
      const ay = coords[2 * v + 1] as number;
      const bx = coords[2 * v + 2] as number;
      const by = coords[2 * v + 3] as number;
      const low = Math.min(ay, by);
      const high = Math.max(ay, by);
      if (high < y0 || low > y1 || Math.min(ax, bx) > x1) continue;
      if (Math.max(ax, bx) < x0 && low < y0 && high > y1) parity ^= 1;
      else out.push(v);
    }
  }
  return parity;
}
