// A circle on the ground as a closed polygon ring, for drawing circle fences.
import type { Position } from 'geojson';
import { metersPerDegree } from './meters-per-degree';

/** Fixed-point rounds for the mid-latitude scale: the offset converges to float precision in three. */
const SCALE_ROUNDS = 3;

/**
 * The closed ring (first vertex repeated last, counter-clockwise from due east) of `steps` vertices at
 * `radiusMeters` from `center`, placed in the same local scale `distanceMeters` measures with (the
 * mid-latitude of centre and vertex), so every vertex lies on the boundary `signedDistanceToFence` sees.
 *
 * @example
 * const ring = circleRing([106.75, 22.1], 300, 64); // 65 positions, ring[0] ≈ [106.752907, 22.1]
 */
export function circleRing(center: Position, radiusMeters: number, steps = 64): Position[] {
  const [lon = NaN, lat = NaN] = center;
  const count = Math.max(3, Math.floor(steps));
  const ring: Position[] = [];
  for (let i = 0; i < count; i++) {
    const angle = (2 * Math.PI * i) / count;
    const east = radiusMeters * Math.cos(angle);
    const north = radiusMeters * Math.sin(angle);
    let scale = metersPerDegree(lat);
    for (let round = 0; round < SCALE_ROUNDS; round++) scale = metersPerDegree(lat + north / scale.y / 2);
    ring.push([lon + east / scale.x, lat + north / scale.y]);
  }
  ring.push([...(ring[0] as Position)]);
  return ring;
}
