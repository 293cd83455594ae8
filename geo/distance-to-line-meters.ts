// Distance from a point to a line (no index; for a single line or a few short ones).
import type { LineInput } from './types';
import { closestOnSegment } from './closest-on-segment';
import { distanceMeters } from './distance-meters';
import { metersPerDegree } from './meters-per-degree';
import { toLineFeatures } from './to-line-features';

/**
 * Shortest distance in metres from (lon, lat) to any line in `line` (a LineString, MultiLineString,
 * feature or layer; segments straight in lon/lat), on the WGS-84 ellipsoid's local scale. Infinity
 * when there is no segment. For many lines or many queries use `createLineIndex`.
 *
 * @example
 * distanceToLineMeters(106.75, 22.101, { type: 'LineString', coordinates: [[106.7, 22.1], [106.8, 22.1]] });
 * // ≈ 110.8
 */
export function distanceToLineMeters(lon: number, lat: number, line: LineInput): number {
  const { x: kx, y: ky } = metersPerDegree(lat);
  let best = Infinity;
  for (const feature of toLineFeatures(line)) {
    for (const part of feature.parts) {
      for (let i = 0; i + 1 < part.length; i++) {
        const [ax = NaN, ay = NaN] = part[i] ?? [];
        const [bx = NaN, by = NaN] = part[i + 1] ?? [];
        const t = closestOnSegment(lon, lat, ax, ay, bx, by, kx, ky);
        best = Math.min(best, distanceMeters(lon, lat, ax + t * (bx - ax), ay + t * (by - ay)));
      }
    }
  }
  return best;
}
