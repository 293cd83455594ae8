// Positions along a polyline by distance walked, with a sideways offset: moves simulated patrols along paths.
import type { Position } from 'geojson';

const EARTH_RADIUS_M = 6_371_008.8;
const RAD = Math.PI / 180;

export interface PathPoint {
  lon: number;
  lat: number;
  headingDeg: number;
}

export interface PathWalker {
  readonly lengthMeters: number;
  /**
   * The point `distanceMeters` along the path, back and forth (ping-pong) past its ends, shifted
   * `offsetMeters` to the right of the direction of travel.
   */
  pointAt(distanceMeters: number, offsetMeters?: number): PathPoint;
}

function legMeters(a: Position, b: Position): number {
  const meanLat = ((a[1]! + b[1]!) / 2) * RAD;
  const dx = (b[0]! - a[0]!) * RAD * Math.cos(meanLat);
  const dy = (b[1]! - a[1]!) * RAD;
  return Math.hypot(dx, dy) * EARTH_RADIUS_M;
}

/**
 * Builds a walker over a LineString's coordinates (local flat-earth legs: fine for paths of a few km).
 * @example
 * const walker = createPathWalker([[106.70, 21.98], [106.71, 21.99]]);
 * walker.pointAt(100).lat; // ≈ 21.9806
 */
export function createPathWalker(coordinates: Position[]): PathWalker {
  if (coordinates.length < 2) throw new Error('a path needs at least two positions');
  const cumulative = [0];
  for (let i = 1; i < coordinates.length; i++) {
    cumulative.push(cumulative[i - 1]! + legMeters(coordinates[i - 1]!, coordinates[i]!));
  }
  const lengthMeters = cumulative[cumulative.length - 1]!;

  return {
    lengthMeters,
    pointAt(distanceMeters, offsetMeters = 0) {
      const period = 2 * lengthMeters;
      const wrapped = ((distanceMeters % period) + period) % period;
      const forward = wrapped <= lengthMeters;
      const along = forward ? wrapped : period - wrapped;
      let i = 1;
      while (i < cumulative.length - 1 && cumulative[i]! < along) i++;
      const a = coordinates[i - 1]!;
      const b = coordinates[i]!;
      const leg = cumulative[i]! - cumulative[i - 1]!;
      const f = leg > 0 ? (along - cumulative[i - 1]!) / leg : 0;
      const cosLat = Math.cos(a[1]! * RAD);
      const east = (b[0]! - a[0]!) * cosLat;
      const north = b[1]! - a[1]!;
      const norm = Math.hypot(east, north) || 1;
      const sign = forward ? 1 : -1;
      // Right of travel is (north, −east) rotated from the travel direction (east, north).
      const shiftDeg = offsetMeters / (EARTH_RADIUS_M * RAD);
      const lon = a[0]! + (b[0]! - a[0]!) * f + (sign * (north / norm) * shiftDeg) / cosLat;
      const lat = a[1]! + (b[1]! - a[1]!) * f + sign * (-east / norm) * shiftDeg;
      const heading = (Math.atan2(sign * east, sign * north) / RAD + 360) % 360;
      return { lon, lat, headingDeg: heading };
    },
  };
}
