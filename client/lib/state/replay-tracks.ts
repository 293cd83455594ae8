// Replayed positions: each unit's fixes from /api/history as columns, sampled at any instant. Between two fixes
// close in time the unit moves in a straight line; across a longer gap it stays at its last fix (history keeps
// a fix only when the unit moved, so a gap is a halt or an outage, and either way it was last seen there).
import type { Feature, FeatureCollection, LineString } from 'geojson';
import type { UnitKind } from '../../../server/contract';

export interface HistoryFix {
  unitId: string;
  t: number;
  lon: number;
  lat: number;
  headingDeg: number | null;
  speedMps: number | null;
}

/** Fixes further apart than this are not interpolated between. */
export const MAX_INTERPOLATION_GAP_MS = 120_000;

export interface UnitTrack {
  id: string;
  t: Float64Array;
  lon: Float64Array;
  lat: Float64Array;
  /** NaN for none. */
  heading: Float32Array;
  speed: Float32Array;
  length: number;
  /** The index of the last sample's fix, where the next search starts (replay mostly moves forward). */
  cursor: number;
}

export interface Sample {
  lon: number;
  lat: number;
  headingDeg: number | null;
  speedMps: number | null;
  /** Time of the fix at or before the instant. */
  t: number;
}

/** One batch of fixes grouped by unit, as columns: done once per fetched chunk. */
export function groupFixes(fixes: readonly HistoryFix[]): Map<string, UnitTrack> {
  const counts = new Map<string, number>();
  for (const fix of fixes) counts.set(fix.unitId, (counts.get(fix.unitId) ?? 0) + 1);
  const tracks = new Map<string, UnitTrack>();
  for (const [id, n] of counts) tracks.set(id, emptyTrack(id, n));
  let unordered = false;
  for (const fix of fixes) {
    const track = tracks.get(fix.unitId) as UnitTrack;
    const i = track.length;
    if (i > 0) {
      const previous = track.t[i - 1] as number;
      if (fix.t === previous) continue;
      if (fix.t < previous) unordered = true;
    }
    track.t[i] = fix.t;
    track.lon[i] = fix.lon;
    track.lat[i] = fix.lat;
    track.heading[i] = fix.headingDeg ?? NaN;
    track.speed[i] = fix.speedMps ?? NaN;
    track.length = i + 1;
  }
  if (unordered) for (const track of tracks.values()) sortTrack(track);
  return tracks;
}

function emptyTrack(id: string, n: number): UnitTrack {
  return {
    id,
    t: new Float64Array(n),
    lon: new Float64Array(n),
    lat: new Float64Array(n),
    heading: new Float32Array(n),
    speed: new Float32Array(n),
    length: 0,
    cursor: 0,
  };
}

/**
 * Each unit's track across grouped batches given in time order (chunks of disjoint time ranges): column
 * copies per unit and batch, never per fix, so re-merging when a chunk arrives or leaves stays cheap.
 */
export function mergeTracks(groups: readonly ReadonlyMap<string, UnitTrack>[]): Map<string, UnitTrack> {
  const parts = new Map<string, UnitTrack[]>();
  for (const group of groups)
    for (const [id, track] of group) {
      const list = parts.get(id);
      if (list) list.push(track);
      else parts.set(id, [track]);
    }
  const merged = new Map<string, UnitTrack>();
  for (const [id, list] of parts) {
    if (list.length === 1) {
      const only = list[0] as UnitTrack;
      merged.set(id, { ...only, cursor: 0 });
      continue;
    }
    const out = emptyTrack(
      id,
      list.reduce((n, part) => n + part.length, 0),
    );
    for (const part of list) {
      const from = part.length;
      // Disjoint chunks can still meet at one instant (a fix on a boundary): keep the first.
      const skip = out.length > 0 && part.t[0] === out.t[out.length - 1] ? 1 : 0;
      out.t.set(part.t.subarray(skip, from), out.length);
      out.lon.set(part.lon.subarray(skip, from), out.length);
      out.lat.set(part.lat.subarray(skip, from), out.length);
      out.heading.set(part.heading.subarray(skip, from), out.length);
      out.speed.set(part.speed.subarray(skip, from), out.length);
      out.length += from - skip;
    }
    if (list.some((part, i) => i > 0 && (part.t[0] as number) < ((list[i - 1] as UnitTrack).t[0] as number)))
      sortTrack(out);
    merged.set(id, out);
  }
  return merged;
}

/** Tracks from batches of fixes (each in time order, batches in time order); equal times keep the first. */
export function buildTracks(batches: readonly (readonly HistoryFix[])[]): Map<string, UnitTrack> {
  return mergeTracks(batches.map(groupFixes));
}

function sortTrack(track: UnitTrack): void {
  const order = Array.from({ length: track.length }, (_, i) => i).sort(
    (a, b) => (track.t[a] as number) - (track.t[b] as number),
  );
  const columns = [track.t, track.lon, track.lat, track.heading, track.speed] as const;
  const copies = columns.map((column) => column.slice(0, track.length));
  let length = 0;
  for (const i of order) {
    if (length > 0 && (copies[0] as Float64Array)[i] === track.t[length - 1]) continue;
    columns.forEach((column, c) => (column[length] = copies[c]?.[i] as number));
    length++;
  }
  track.length = length;
}

/** The index of the last fix at or before `at`, or −1 when the track starts later. */
export function fixIndexAt(track: UnitTrack, at: number): number {
  const { t, length } = track;
  if (length === 0 || at < (t[0] as number)) return -1;
  let i = Math.min(track.cursor, length - 1);
  // Forward steps from the cursor cover ordinary play; anything else is a binary search.
  if ((t[i] as number) <= at) {
    for (let step = 0; step < 8; step++) {
      if (i + 1 >= length || (t[i + 1] as number) > at) return (track.cursor = i);
      i++;
    }
  }
  let lo = 0;
  let hi = length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((t[mid] as number) <= at) lo = mid;
    else hi = mid - 1;
  }
  return (track.cursor = lo);
}

const toDegrees = 180 / Math.PI;

/** The unit's place at `at` into `out`; false before its first fix. */
export function sampleTrack(track: UnitTrack, at: number, out: Sample): boolean {
  const i = fixIndexAt(track, at);
  if (i < 0) return false;
  const t0 = track.t[i] as number;
  const lon0 = track.lon[i] as number;
  const lat0 = track.lat[i] as number;
  const heading = track.heading[i] as number;
  const speed = track.speed[i] as number;
  out.t = t0;
  out.lon = lon0;
  out.lat = lat0;
  out.headingDeg = Number.isNaN(heading) ? null : heading;
  out.speedMps = Number.isNaN(speed) ? null : speed;
  if (i + 1 >= track.length) return true;
  const t1 = track.t[i + 1] as number;
  if (t1 - t0 > MAX_INTERPOLATION_GAP_MS || at === t0) return true;
  const f = (at - t0) / (t1 - t0);
  const lon1 = track.lon[i + 1] as number;
  const lat1 = track.lat[i + 1] as number;
  out.lon = lon0 + (lon1 - lon0) * f;
  out.lat = lat0 + (lat1 - lat0) * f;
  if (out.headingDeg === null && (lon1 !== lon0 || lat1 !== lat0)) {
    // No reported heading: the direction of travel (flat-earth bearing, fine over a few hundred metres).
    const east = (lon1 - lon0) * Math.cos((lat0 * Math.PI) / 180);
    out.headingDeg = (Math.atan2(east, lat1 - lat0) * toDegrees + 360) % 360;
  }
  return true;
}

/** The trail behind the unit: its fixes in (at − trailMs, at] and its sampled place, oldest first. */
export function trailCoordinates(track: UnitTrack, at: number, trailMs: number, head: Sample): number[][] {
  const i = fixIndexAt(track, at);
  if (i < 0) return [];
  const coordinates: number[][] = [];
  let start = i;
  while (start > 0 && (track.t[start - 1] as number) > at - trailMs) start--;
  if ((track.t[start] as number) <= at - trailMs) return [];
  for (let k = start; k <= i; k++) coordinates.push([track.lon[k] as number, track.lat[k] as number]);
  const last = coordinates[coordinates.length - 1];
  if (!last || last[0] !== head.lon || last[1] !== head.lat) coordinates.push([head.lon, head.lat]);
  return coordinates.length >= 2 ? coordinates : [];
}

export type TrailFeature = Feature<LineString, { unitId: string; kind: UnitKind }>;

export function trailCollection(features: TrailFeature[]): FeatureCollection<LineString> {
  return { type: 'FeatureCollection', features };
}
