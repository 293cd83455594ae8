// Any fence shape as the polygon to draw on a map: circles and corridors outlined, polygons as they are.
import type { MultiPolygon, Polygon } from 'geojson';
import { circleRing } from './circle-ring';
import { corridorOutline } from './corridor-outline';
import type { FenceShape } from './types';

/**
 * The area a fence shape covers, as GeoJSON to draw (a circle as a 64-gon on its radius, a corridor as the
 * union of its segments' capsules, a polygon unchanged).
 *
 * @example
 * fenceOutline({ type: 'circle', center: [106.75, 22.1], radiusMeters: 300 }).coordinates[0].length; // 65
 */
export function fenceOutline(shape: FenceShape): Polygon | MultiPolygon {
  switch (shape.type) {
    case 'circle':
      return { type: 'Polygon', coordinates: [circleRing(shape.center, shape.radiusMeters)] };
    case 'corridor':
      return corridorOutline(shape.line, shape.widthMeters);
    case 'polygon':
      return shape.geometry;
  }
}
