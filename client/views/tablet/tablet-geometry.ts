// Map maths for the tablet, kept out of components: the nearest of my segments, my accuracy circle, and the
// units near me, sorted by distance.
import type { Feature, LineString, MultiLineString, Polygon } from 'geojson';
import type { UnitState } from '../../../server/contract';
import { distanceMeters, distanceToLineMeters, metersPerDegree } from '../../../geo';

export type SegmentFeature = Feature<LineString | MultiLineString, Record<string, unknown>> & { id: string };

/** The id of a feature, as the layers carry it (`feature.id`, else `properties.id`). */
export function featureIdOf(feature: Feature): string {
  return String(feature.id ?? feature.properties?.id ?? '');
}

/** The segment nearest to a point, and how far it is; null when there are none. */
export function nearestSegment(
  lon: number,
  lat: number,
  segments: readonly SegmentFeature[],
): { id: string; distanceMeters: number } | null {
  let best: { id: string; distanceMeters: number } | null = null;
  for (const segment of segments) {
    const d = distanceToLineMeters(lon, lat, segment.geometry);
    if (best === null || d < best.distanceMeters) best = { id: segment.id, distanceMeters: d };
  }
  return best;
}

/** A circle of `radiusMeters` around a point as a polygon (local scale: exact enough below a few km). */
export function accuracyCircle(lon: number, lat: number, radiusMeters: number, steps = 64): Polygon {
  const k = metersPerDegree(lat);
  const ring: [number, number][] = [];
  for (let i = 0; i < steps; i++) {
    const a = (2 * Math.PI * i) / steps;
    ring.push([lon + (radiusMeters * Math.cos(a)) / k.x, lat + (radiusMeters * Math.sin(a)) / k.y]);
  }
  ring.push(ring[0] as [number, number]);
  return { type: 'Polygon', coordinates: [ring] };
}

export interface NearbyUnit {
  unit: UnitState;
  distanceMeters: number;
}

/** Other units within `radiusMeters` of a point, nearest first, at most `limit`. */
export function nearbyUnits(
  all: Iterable<UnitState>,
  lon: number,
  lat: number,
  options: { excludeId: string | null; radiusMeters: number; limit: number },
): NearbyUnit[] {
  const near: NearbyUnit[] = [];
  for (const unit of all) {
    if (unit.id === options.excludeId) continue;
    const d = distanceMeters(lon, lat, unit.lon, unit.lat);
    if (d <= options.radiusMeters) near.push({ unit, distanceMeters: d });
  }
  return near.sort((a, b) => a.distanceMeters - b.distanceMeters).slice(0, options.limit);
}

/** West, south, east, north around every position of the segments; null when there are none. */
export function boundsOf(segments: readonly SegmentFeature[]): [number, number, number, number] | null {
  let box: [number, number, number, number] | null = null;
  for (const segment of segments) {
    const parts =
      segment.geometry.type === 'LineString' ? [segment.geometry.coordinates] : segment.geometry.coordinates;
    for (const part of parts)
      for (const [x = 0, y = 0] of part) {
        box = box
          ? [Math.min(box[0], x), Math.min(box[1], y), Math.max(box[2], x), Math.max(box[3], y)]
          : [x, y, x, y];
      }
  }
  return box;
}

/** A layer feature's name in the UI language (`nameEn` in English), else the fallback. */
export function localName(properties: Record<string, unknown>, english: boolean, fallback: string): string {
  const name = english ? (properties.nameEn ?? properties.name) : properties.name;
  return typeof name === 'string' && name !== '' ? name : fallback;
}
