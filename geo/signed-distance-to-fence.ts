// Signed distance from a point to a fence's boundary: negative inside, positive outside.
import type { FenceShape } from './types';
import { distanceMeters } from './distance-meters';
import { distanceToLineMeters } from './distance-to-line-meters';
import { flatFeatureContains } from './flat-feature-contains';
import { flattenPolygons } from './flatten-polygons';

function polygonSignedDistance(
  shape: Extract<FenceShape, { type: 'polygon' }>,
  lon: number,
  lat: number,
): number {
  const geometry = shape.geometry;
  const rings = geometry.type === 'Polygon' ? geometry.coordinates : geometry.coordinates.flat();
  const distance = distanceToLineMeters(lon, lat, { type: 'MultiLineString', coordinates: rings });
  const flat = flattenPolygons({
    type: 'FeatureCollection',
    features: [{ type: 'Feature', id: 'fence', properties: null, geometry }],
  });
  return flatFeatureContains(flat, 0, lon, lat) ? -distance : distance;
}

/**
 * Signed distance in metres from (lon, lat) to the boundary of a fence shape: negative inside,
 * positive outside, 0 on the boundary. A circle is `radiusMeters` around `center`; a polygon may have
 * holes and parts; a corridor spans `widthMeters` in total, half on each side of its line.
 *
 * @example
 * signedDistanceToFence({ type: 'circle', center: [106.75, 22.1], radiusMeters: 100 }, 106.75, 22.1); // -100
 */
export function signedDistanceToFence(shape: FenceShape, lon: number, lat: number): number {
  switch (shape.type) {
    case 'circle':
      return distanceMeters(shape.center[0] ?? NaN, shape.center[1] ?? NaN, lon, lat) - shape.radiusMeters;
    case 'corridor':
      return distanceToLineMeters(lon, lat, shape.line) - shape.widthMeters / 2;
    case 'polygon':
      return polygonSignedDistance(shape, lon, lat);
  }
}
