// All pairs of points within a distance, through a kd-tree (not O(n²)).
import KDBush from 'kdbush';
import { distanceMeters } from './distance-meters';
import { metersPerDegree } from './meters-per-degree';

/** Pairs (a[k], b[k]) with a[k] < b[k], at meters[k] metres apart. */
export interface Links {
  a: number[];
  b: number[];
  meters: number[];
}

/**
 * Every pair of points at most `radiusMeters` apart, as index pairs into `points`. The points go into
 * a kdbush tree in a frame scaled to metres; the search radius is widened for the latitude spread so
 * that no pair is missed, and each pair is then measured on the ellipsoid (`distanceMeters`).
 *
 * @example
 * findUnitLinks([{ lon: 106.75, lat: 22.1 }, { lon: 106.7503, lat: 22.1 }], 50);
 * // { a: [0], b: [1], meters: [30.96…] }
 */
export function findUnitLinks(points: readonly { lon: number; lat: number }[], radiusMeters: number): Links {
  const links: Links = { a: [], b: [], meters: [] };
  if (points.length < 2) return links;
  let minLat = Infinity;
  let maxLat = -Infinity;
  for (const p of points) [minLat, maxLat] = [Math.min(minLat, p.lat), Math.max(maxLat, p.lat)];
  const k0 = metersPerDegree((minLat + maxLat) / 2);
  let ratio = 1;
  for (const lat of [minLat, maxLat]) {
    const k = metersPerDegree(Math.max(-89.999, Math.min(89.999, lat)));
    ratio = Math.min(ratio, k.x / k0.x, k.y / k0.y);
  }
  const searchRadius = (radiusMeters / ratio) * 1.001;
  const tree = new KDBush(points.length);
  for (const p of points) tree.add(p.lon * k0.x, p.lat * k0.y);
  tree.finish();
  points.forEach((p, i) => {
    for (const j of tree.within(p.lon * k0.x, p.lat * k0.y, searchRadius)) {
      if (j <= i) continue;
      const q = points[j] as { lon: number; lat: number };
      const meters = distanceMeters(p.lon, p.lat, q.lon, q.lat);
      if (meters > radiusMeters) continue;
      links.a.push(i);
      links.b.push(j);
      links.meters.push(meters);
    }
  });
  return links;
}
