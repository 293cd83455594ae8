// Whether one feature of a flattened polygon layer holds a point (boundary included).
import type { FlatPolygons } from './types';
import { pointInFlatPolygon } from './point-in-flat-polygon';

/**
 * Whether feature `f` of a flattened layer holds (x, y), boundary included: any of its polygons,
 * tested only when the point lies in that polygon's box.
 *
 * @example
 * const flat = flattenPolygons(grids);
 * flatFeatureContains(flat, 0, 106.75, 22.1); // true when grid 0 holds the point
 */
export function flatFeatureContains(flat: FlatPolygons, f: number, x: number, y: number): boolean {
  const { polygonBoxes: boxes, polygonRings: rings } = flat;
  for (let p = flat.featurePolygons[f] as number, end = flat.featurePolygons[f + 1] as number; p < end; p++) {
    const b = p * 4;
    if (x < (boxes[b] as number) || y < (boxes[b + 1] as number)) continue;
    if (x > (boxes[b + 2] as number) || y > (boxes[b + 3] as number)) continue;
    if (pointInFlatPolygon(flat.coords, flat.ringStarts, rings[p] as number, rings[p + 1] as number, x, y)) {
      return true;
    }
  }
  return false;
}
