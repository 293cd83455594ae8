// One edge's contribution to the point-in-polygon crossing count, with Turf's exact boundary rule.
import { signOfProductDifference } from './sign-of-product-difference';

const ERROR_BOUND = 3.3306690738754716e-16; // (3 + 16ε)ε with ε = 2^-53, as in signOfProductDifference

/**
 * How the edge (x1, y1)→(x2, y2) meets the horizontal ray from (x, y) towards −x: −1 when the point is
 * on the edge, 1 when the ray crosses it, 0 otherwise. The same differences and the same exact
 * orientation sign as point-in-polygon-hao (the predicate under `turf.booleanPointInPolygon`), so
 * points on or a rounding error away from an edge get Turf's answer.
 *
 * @example
 * edgeCrossing(0, -1, 0, 1, 1, 0); // 1: the ray from (1, 0) crosses the edge x = 0
 * edgeCrossing(0, -1, 0, 1, 0, 0); // -1: (0, 0) lies on it
 */
export function edgeCrossing(x1: number, y1: number, x2: number, y2: number, x: number, y: number): number {
  const u1 = x1 - x;
  const v1 = y1 - y;
  const u2 = x2 - x;
  const v2 = y2 - y;
  if (v1 === 0 && v2 === 0) return (u2 <= 0 && u1 >= 0) || (u1 <= 0 && u2 >= 0) ? -1 : 0;
  if (!((v2 >= 0 && v1 <= 0) || (v2 <= 0 && v1 >= 0))) return 0;
  const p = u2 * v1;
  const q = u1 * v2;
  let f = p - q;
  if (Math.abs(f) <= ERROR_BOUND * (Math.abs(p) + Math.abs(q))) f = signOfProductDifference(u2, v1, u1, v2);
  if (f === 0) return -1;
  return (f > 0 && v2 > 0 && v1 <= 0) || (f < 0 && v2 <= 0 && v1 > 0) ? 1 : 0;
}
