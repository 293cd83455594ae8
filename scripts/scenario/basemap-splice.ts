// Splices the Pingxiang border line into the basemap's China–Vietnam boundary. Natural Earth's line is quantised
// and lies 0–3.6 km from the 凭祥市 outline that data/border.geojson follows, which shows at zoom 11–12; here
// China gains the whole outline and Vietnam gains a band just outside the line's stretch of it.
import * as turf from '@turf/turf';
import type { Feature, Polygon, Position } from 'geojson';
import type { Area } from './geometry';

/** Wider than the worst distance (3.6 km) between Natural Earth's boundary and the outline here. */
export const SPLICE_BAND_KM = 5;

const KM_PER_DEG_LAT = 111.32;

/**
 * The area within bandKm of the border line on the side away from the outline (the Vietnamese side): a quad per
 * line segment plus a wedge at each vertex, unioned, minus the outline. Flat at both ends of the line, so it
 * takes nothing from the neighbouring Chinese counties beyond the line's ends.
 */
export function vietnamSideBand(
  line: readonly Position[],
  outline: Polygon,
  bandKm = SPLICE_BAND_KM,
): Area | null {
  const lat0 = line[0]?.[1] ?? 22;
  const kx = KM_PER_DEG_LAT * Math.cos((lat0 * Math.PI) / 180);
  const outer: { a: Position; b: Position }[] = [];
  const pieces: Feature<Polygon>[] = [];
  for (let i = 1; i < line.length; i++) {
    const [ax, ay] = line[i - 1] as [number, number];
    const [bx, by] = line[i] as [number, number];
    const ex = (bx - ax) * kx;
    const ey = (by - ay) * KM_PER_DEG_LAT;
    const len = Math.hypot(ex, ey);
    if (len === 0) continue;
    // unit normal in km, turned to the side the outline is not on
    let nx = -ey / len;
    let ny = ex / len;
    const probe: Position = [(ax + bx) / 2 + (nx * 0.01) / kx, (ay + by) / 2 + (ny * 0.01) / KM_PER_DEG_LAT];
    if (turf.booleanPointInPolygon(probe, outline)) [nx, ny] = [-nx, -ny];
    const dx = (nx * bandKm) / kx;
    const dy = (ny * bandKm) / KM_PER_DEG_LAT;
    const a2: Position = [ax + dx, ay + dy];
    const b2: Position = [bx + dx, by + dy];
    outer.push({ a: a2, b: b2 });
    pieces.push(turf.polygon([[[ax, ay], [bx, by], b2, a2, [ax, ay]]]));
  }
  for (let i = 1; i < outer.length; i++) {
    const v = line[i] as Position;
    const prev = (outer[i - 1] as { b: Position }).b;
    const next = (outer[i] as { a: Position }).a;
    // a gap between neighbouring quads opens at each bend; skip the degenerate wedges of straight runs
    const twiceArea =
      ((prev[0] as number) - (v[0] as number)) * ((next[1] as number) - (v[1] as number)) -
      ((next[0] as number) - (v[0] as number)) * ((prev[1] as number) - (v[1] as number));
    if (Math.abs(twiceArea) > 1e-12) pieces.push(turf.polygon([[v, prev, next, v]]));
  }
  const band = turf.union(turf.featureCollection(pieces));
  if (!band) return null;
  const outside = turf.difference(turf.featureCollection([band, turf.feature(outline)]));
  return outside ? outside.geometry : null;
}
