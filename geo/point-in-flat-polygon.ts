// Point-in-polygon over flat rings, boundary included, answering exactly as turf.booleanPointInPolygon.
import { signOfProductDifference } from './sign-of-product-difference';

const ON_BOUNDARY = -1;
const ERROR_BOUND = 3.3306690738754716e-16; // (3 + 16ε)ε with ε = 2^-53, as in signOfProductDifference

/** Crossings of the ring [start, end) (vertex indices, ring closed) with the ray from (x, y); −1 on the boundary. */
function ringCrossings(coords: ArrayLike<number>, start: number, end: number, x: number, y: number): number {
  let crossings = 0;
  let u1 = (coords[2 * start] as number) - x;
  let v1 = (coords[2 * start + 1] as number) - y;
  for (let i = start + 1; i < end; i++) {
    const u2 = (coords[2 * i] as number) - x;
    const v2 = (coords[2 * i + 1] as number) - y;
    if (v1 === 0 && v2 === 0) {
      if ((u2 <= 0 && u1 >= 0) || (u1 <= 0 && u2 >= 0)) return ON_BOUNDARY;
    } else if ((v2 >= 0 && v1 <= 0) || (v2 <= 0 && v1 >= 0)) {
      // Same differences and the same exact orientation sign as point-in-polygon-hao, the predicate
      // Turf uses, so that points on or a rounding error away from an edge get Turf's answer.
      const p = u2 * v1;
      const q = u1 * v2;
      let f = p - q;
      if (Math.abs(f) <= ERROR_BOUND * (Math.abs(p) + Math.abs(q))) f = signOfProductDifference(u2, v1, u1, v2);
      if (f === 0) return ON_BOUNDARY;
      if ((f > 0 && v2 > 0 && v1 <= 0) || (f < 0 && v2 <= 0 && v1 > 0)) crossings++;
    }
    u1 = u2;
    v1 = v2;
  }
  return crossings;
}

/**
 * Whether (x, y) lies in the closed polygon made of rings [firstRing, endRing) (outer ring, then
 * holes; even-odd over all rings). Boundary points, hole boundaries included, count as inside. The
 * answer equals `turf.booleanPointInPolygon(point, polygon)` for every input, rounding cases included.
 *
 * @example
 * const coords = new Float64Array([0, 0, 1, 0, 1, 1, 0, 1, 0, 0]);
 * pointInFlatPolygon(coords, new Uint32Array([0, 5]), 0, 1, 0.5, 0.5); // true
 */
export function pointInFlatPolygon(
  coords: ArrayLike<number>,
  ringStarts: ArrayLike<number>,
  firstRing: number,
  endRing: number,
  x: number,
  y: number,
): boolean {
  let crossings = 0;
  for (let r = firstRing; r < endRing; r++) {
    const c = ringCrossings(coords, ringStarts[r] as number, ringStarts[r + 1] as number, x, y);
    if (c === ON_BOUNDARY) return true;
    crossings += c;
  }
  return crossings % 2 === 1;
}
