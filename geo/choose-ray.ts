// Which of the four crossing-test rays leaves a polygon the fewest live edges in a cell.
import type { FlatPolygons } from './types';
import type { RayDirection } from './select-cell-edges';

/**
 * The ray (see `RayDirection`) along which `selectCellEdges` would keep the fewest live edges of
 * polygon p for the box [x0, x1] × [y0, y1]; −x on ties. One pass over the edges counts all four:
 * an edge is live along a ray unless it lies wholly beyond the box across the ray, wholly on the side
 * the ray does not go, or wholly on the ray's side spanning the box (the same tests, unreflected).
 *
 * @example
 * chooseRay(flat, 0, 106.70, 22.10, 106.71, 22.11); // 1: the polygon's edges here lie east of the box
 */
export function chooseRay(
  flat: FlatPolygons,
  p: number,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
): RayDirection {
  const { coords, ringStarts, polygonRings } = flat;
  let [west, east, south, north] = [0, 0, 0, 0];
  for (let r = polygonRings[p] as number; r < (polygonRings[p + 1] as number); r++) {
    for (let v = ringStarts[r] as number, end = (ringStarts[r + 1] as number) - 1; v < end; v++) {
      const ax = coords[2 * v] as number;
      const ay = coords[2 * v + 1] as number;
      const bx = coords[2 * v + 2] as number;
      const by = coords[2 * v + 3] as number;
      const [lowX, highX, lowY, highY] = [
        Math.min(ax, bx),
        Math.max(ax, bx),
        Math.min(ay, by),
        Math.max(ay, by),
      ];
      if (!(highY < y0 || lowY > y1)) {
        const spansY = lowY < y0 && highY > y1;
        if (!(lowX > x1) && !(highX < x0 && spansY)) west++;
        if (!(highX < x0) && !(lowX > x1 && spansY)) east++;
      }
      if (!(highX < x0 || lowX > x1)) {
        const spansX = lowX < x0 && highX > x1;
        if (!(lowY > y1) && !(highY < y0 && spansX)) south++;
        if (!(highY < y0) && !(lowY > y1 && spansX)) north++;
      }
    }
  }
  const fewest = Math.min(west, east, south, north);
  return fewest === west ? 0 : fewest === east ? 1 : fewest === south ? 2 : 3;
}
