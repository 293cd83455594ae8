// Classification of a fix: grid, police sector, border distance, border zone and nearest segment.
import type { Classification, Classifier, ClassifierOptions } from './types';
import { buildProximityMask } from './build-proximity-mask';
import { createLineIndex } from './create-line-index';
import { createLocator } from './create-locator';

/** Border distances up to this are answered from a candidate grid, farther ones by a tree search. */
const BORDER_GRID_METERS = 5_000;

/**
 * Builds a classifier over the grid, sector, segment and border layers (indexes are built once per
 * layer version). `classify` returns the grid and sector holding the fix (see `createLocator` for
 * boundaries), the distance to the border line in metres (ellipsoidal, within 0.25 % of the
 * geodesic), whether that is within `borderZoneMeters` (default 500), and — only inside the zone —
 * the nearest border segment. With `maxBorderDistanceMeters` set (never below the zone width),
 * fixes farther than that get `borderDistanceMeters: null`, most of them without any nearest-line
 * search (a coarse raster of the border grown by that distance rules them out first).
 *
 * @example
 * const classifier = createClassifier({ grids, sectors, segments, borderLine: border });
 * classifier.classify(106.7512, 22.1034);
 * // { gridId: 'g-12', sectorId: 's-3', segmentId: 'seg-07', borderDistanceMeters: 212.4, inBorderZone: true }
 */
export function createClassifier(options: ClassifierOptions): Classifier {
  const zone = options.borderZoneMeters ?? 500;
  const maxDistance = Math.max(zone, options.maxBorderDistanceMeters ?? Infinity);
  const grids = createLocator(options.grids);
  const sectors = createLocator(options.sectors);
  // Candidate grids as far as the questions go: segments only inside the zone, the border up to the limit.
  const segments = createLineIndex(options.segments, { gridMeters: 2 * zone });
  const border =
    options.borderLine === null
      ? null
      : createLineIndex(options.borderLine, { gridMeters: Math.min(maxDistance, BORDER_GRID_METERS) });
  // With a distance limit, a coarse raster rules out most fixes before any nearest-line search.
  const mask =
    options.borderLine !== null && Number.isFinite(maxDistance)
      ? buildProximityMask(options.borderLine, maxDistance)
      : null;
  const classify = (lon: number, lat: number): Classification => {
    const near = mask === null || mask.mayBeNear(lon, lat);
    const hit = near ? (border?.nearest(lon, lat, maxDistance) ?? null) : null;
    const inBorderZone = hit !== null && hit.distanceMeters <= zone;
    return {
      gridId: grids.locate(lon, lat),
      sectorId: sectors.locate(lon, lat),
      segmentId: inBorderZone ? (segments.nearest(lon, lat)?.id ?? null) : null,
      borderDistanceMeters: hit?.distanceMeters ?? null,
      inBorderZone,
    };
  };
  return { classify };
}
