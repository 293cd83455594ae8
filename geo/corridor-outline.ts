// The ground a corridor fence covers (everything within half its width of its line), as a polygon to draw.
import { featureCollection, polygon, union } from '@turf/turf';
import type { LineString, MultiLineString, MultiPolygon, Polygon, Position } from 'geojson';
import { circleRing } from './circle-ring';
import { metersPerDegree } from './meters-per-degree';

type Xy = [number, number];

/** A stadium (a segment's rectangle with half-discs on both ends), counter-clockwise, in local metres. */
function capsule(a: Xy, b: Xy, radius: number, steps: number): Xy[] {
  const theta = Math.atan2(b[1] - a[1], b[0] - a[0]);
  const ring: Xy[] = [];
  const arc = (c: Xy, from: number): void => {
    for (let i = 0; i <= steps; i++) {
      const angle = from + (Math.PI * i) / steps;
      ring.push([c[0] + radius * Math.cos(angle), c[1] + radius * Math.sin(angle)]);
    }
  };
  arc(b, theta - Math.PI / 2);
  arc(a, theta + Math.PI / 2);
  ring.push([...(ring[0] as Xy)]);
  return ring;
}

/**
 * The area within `widthMeters / 2` of a LineString or MultiLineString (round ends and joins) — what
 * `signedDistanceToFence` counts as inside a corridor fence — as a Polygon, or a MultiPolygon when parts lie
 * apart. Built in a local metric frame at the line's mean latitude (exact to about 1e-5 over a few km):
 * one capsule per segment (`steps` vertices per half-disc), unioned.
 *
 * @example
 * corridorOutline({ type: 'LineString', coordinates: [[106.75, 22.1], [106.76, 22.1]] }, 100);
 * // { type: 'Polygon', coordinates: [[...]] } — a 1.03 km × 100 m stadium
 */
export function corridorOutline(
  line: LineString | MultiLineString,
  widthMeters: number,
  steps = 16,
): Polygon | MultiPolygon {
  const parts: Position[][] = line.type === 'LineString' ? [line.coordinates] : line.coordinates;
  const points = parts.flat();
  const lon0 = points.reduce((sum, p) => sum + (p[0] ?? NaN), 0) / points.length;
  const lat0 = points.reduce((sum, p) => sum + (p[1] ?? NaN), 0) / points.length;
  const k = metersPerDegree(lat0);
  const toXy = (p: Position): Xy => [((p[0] ?? NaN) - lon0) * k.x, ((p[1] ?? NaN) - lat0) * k.y];
  const toLonLat = ([x, y]: Position): Position => [lon0 + (x ?? NaN) / k.x, lat0 + (y ?? NaN) / k.y];
  const radius = widthMeters / 2;
  const half = Math.max(2, Math.floor(steps));
  const capsules = parts.flatMap((part) =>
    part.slice(1).flatMap((end, i) => {
      const a = toXy(part[i] as Position);
      const b = toXy(end);
      return a[0] === b[0] && a[1] === b[1] ? [] : [polygon([capsule(a, b, radius, half)])];
    }),
  );
  if (capsules.length === 0)
    return { type: 'Polygon', coordinates: [circleRing(points[0] ?? [NaN, NaN], radius)] };
  const merged = capsules.length === 1 ? capsules[0] : union(featureCollection(capsules));
  const geometry = merged?.geometry ?? { type: 'Polygon', coordinates: [] };
  if (geometry.type === 'Polygon')
    return { type: 'Polygon', coordinates: geometry.coordinates.map((ring) => ring.map(toLonLat)) };
  return {
    type: 'MultiPolygon',
    coordinates: geometry.coordinates.map((poly) => poly.map((ring) => ring.map(toLonLat))),
  };
}
