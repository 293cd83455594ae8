// A representative point of a polygon feature that lies inside it (for routes, labels and locating by id).
import { pointOnFeature } from '@turf/turf';
import type { Feature, MultiPolygon, Polygon, Position } from 'geojson';

/**
 * A point guaranteed to lie on the polygon (its centroid when that is inside, else a point on the surface).
 * @example
 * labelPoint(grid); // [116.4102, 39.9123]
 */
export function labelPoint(feature: Feature<Polygon | MultiPolygon>): Position {
  return pointOnFeature(feature).geometry.coordinates;
}
