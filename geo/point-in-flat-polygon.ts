// Point-in-polygon over flat rings, boundary included, answering exactly as turf.booleanPointInPolygon.
import { edgeCrossing } from './edge-crossing';

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
  coords: Float64Array,
  ringStarts: Uint32Array,
  firstRing: number,
  endRing: number,
  x: number,
  y: number,
): boolean {
  let crossings = 0;
  for (let r = firstRing; r < endRing; r++) {
    for (
      let i = 2 * (ringStarts[r] as number), end = 2 * (ringStarts[r + 1] as number) - 2;
      i < end;
      i += 2
    ) {
      const c = edgeCrossing(
        coords[i] as number,
        coords[i + 1] as number,
        coords[i + 2] as number,
        coords[i + 3] as number,
        x,
        y,
      );
      if (c < 0) return true;
      crossings += c;
    }
  }
  return (crossings & 1) === 1;
}
