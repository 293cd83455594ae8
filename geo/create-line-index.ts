// Nearest-line and within-distance queries over many lines (border, segments, corridors).
import type { LineIndex, LineInput, NearestLine } from './types';
import type { LineFeature } from './to-line-features';
import type { PieceTree } from './build-piece-tree';
import { buildPieceTree } from './build-piece-tree';
import { closestOnSegment } from './closest-on-segment';
import { distanceMeters } from './distance-meters';
import { metersPerDegree } from './meters-per-degree';
import { toLineFeatures } from './to-line-features';

/** Widens frame-unit search radii for the local frame's own approximation (far below 1 % here). */
const SAFETY = 0.99;
/** Nearest-line answers are exact up to this distance; beyond it they may be 0.1 % farther than the nearest. */
const EXACT_WITHIN_METERS = 2_000;
const RELATIVE_ERROR = 0.001;

/** Every two-vertex piece of every line, packed. */
interface Pieces {
  count: number;
  /** ax, ay, bx, by per piece (lon/lat). */
  coords: Float64Array;
  /** Bounding box per piece in the index frame (lon·kx0, lat·ky0). */
  boxes: Float64Array;
  feature: Uint32Array;
  part: Uint32Array;
  /** Metres along the feature at the piece's start, and the piece's length. */
  along: Float64Array;
  length: Float64Array;
}

function collectPieces(features: LineFeature[], lengths: Float64Array): Pieces {
  const coords: number[] = [];
  const [feature, part, along, length]: [number[], number[], number[], number[]] = [[], [], [], []];
  features.forEach((line, f) => {
    let total = 0;
    line.parts.forEach((positions, p) => {
      for (let i = 0; i + 1 < positions.length; i++) {
        const [ax = NaN, ay = NaN] = positions[i] ?? [];
        const [bx = NaN, by = NaN] = positions[i + 1] ?? [];
        const meters = distanceMeters(ax, ay, bx, by);
        coords.push(ax, ay, bx, by);
        feature.push(f);
        part.push(p);
        along.push(total);
        length.push(meters);
        total += meters;
      }
    });
    lengths[f] = total;
  });
  const count = feature.length;
  return {
    ...{ count, coords: Float64Array.from(coords), boxes: new Float64Array(count * 4) },
    ...{ feature: Uint32Array.from(feature), part: Uint32Array.from(part) },
    ...{ along: Float64Array.from(along), length: Float64Array.from(length) },
  };
}

function buildTree(pieces: Pieces, kx0: number, ky0: number): PieceTree {
  const { coords: c, boxes } = pieces;
  for (let p = 0; p < pieces.count; p++) {
    const [ax, ay, bx, by] = [c[4 * p], c[4 * p + 1], c[4 * p + 2], c[4 * p + 3]] as number[] as [number, number, number, number];
    boxes.set([Math.min(ax, bx) * kx0, Math.min(ay, by) * ky0, Math.max(ax, bx) * kx0, Math.max(ay, by) * ky0], 4 * p);
  }
  return buildPieceTree(boxes, pieces.count);
}

/**
 * Writes into `out` the closest point of piece p to (lon, lat): [t, lon, lat]. The ends are written
 * verbatim, so two pieces sharing a vertex tie exactly (and the lower feature index wins).
 */
function closestPoint(pieces: Pieces, p: number, lon: number, lat: number, kx: number, ky: number, out: Float64Array): void {
  const c = pieces.coords;
  const ax = c[4 * p] as number;
  const ay = c[4 * p + 1] as number;
  const bx = c[4 * p + 2] as number;
  const by = c[4 * p + 3] as number;
  const t = closestOnSegment(lon, lat, ax, ay, bx, by, kx, ky);
  out[0] = t;
  out[1] = t === 0 ? ax : t === 1 ? bx : ax + t * (bx - ax);
  out[2] = t === 0 ? ay : t === 1 ? by : ay + t * (by - ay);
}

/** Query state shared by the measuring callback: set before each search, so no closure per query. */
interface Probe {
  lon: number;
  lat: number;
  kx: number;
  ky: number;
  point: Float64Array;
}

function toHit(pieces: Pieces, ids: string[], p: number, probe: Probe): NearestLine {
  closestPoint(pieces, p, probe.lon, probe.lat, probe.kx, probe.ky, probe.point);
  const [t = 0, x = NaN, y = NaN] = probe.point;
  const featureIndex = pieces.feature[p] as number;
  return {
    featureIndex,
    id: ids[featureIndex] as string,
    partIndex: pieces.part[p] as number,
    distanceMeters: distanceMeters(probe.lon, probe.lat, x, y),
    alongMeters: (pieces.along[p] as number) + t * (pieces.length[p] as number),
  };
}

/**
 * Indexes lines (a layer, a feature or a bare geometry) for nearest-line queries. A packed box tree
 * (`buildPieceTree`) holds every two-vertex piece in a frame scaled to metres at the layer's
 * mid-latitude; the search is best-first in the query's local frame and stops when no remaining box
 * can hold a nearer piece; the distance returned is on the ellipsoid (`distanceMeters`). Equal distances (a point nearest to the
 * vertex two segments share) go to the lowest feature index.
 *
 * @example
 * const segments = createLineIndex(segmentLayer);
 * segments.nearest(106.75, 22.1)?.id; // 'seg-03'
 * segments.within(106.75, 22.1, 50).map((hit) => hit.id); // segments whose 50 m corridor holds the point
 */
export function createLineIndex(input: LineInput): LineIndex {
  const features = toLineFeatures(input);
  const ids = features.map((feature) => feature.id);
  const lengthsMeters = new Float64Array(features.length);
  const pieces = collectPieces(features, lengthsMeters);
  let [minY, maxY] = [Infinity, -Infinity];
  for (let i = 1; i < pieces.coords.length; i += 2) {
    [minY, maxY] = [Math.min(minY, pieces.coords[i] as number), Math.max(maxY, pieces.coords[i] as number)];
  }
  const { x: kx0, y: ky0 } = metersPerDegree(pieces.count > 0 ? (minY + maxY) / 2 : 0);
  const tree = buildTree(pieces, kx0, ky0);
  const probe: Probe = { lon: 0, lat: 0, kx: 1, ky: 1, point: new Float64Array(3) };
  const aim = (lon: number, lat: number): number => {
    const k = metersPerDegree(lat);
    [probe.lon, probe.lat, probe.kx, probe.ky] = [lon, lat, k.x, k.y];
    return Math.min(k.x / kx0, k.y / ky0) * SAFETY;
  };
  const measure = (p: number): number => {
    closestPoint(pieces, p, probe.lon, probe.lat, probe.kx, probe.ky, probe.point);
    const dx = ((probe.point[1] as number) - probe.lon) * probe.kx;
    const dy = ((probe.point[2] as number) - probe.lat) * probe.ky;
    return Math.sqrt(dx * dx + dy * dy);
  };
  const rank = (p: number): number => pieces.feature[p] as number;
  const search = { x: 0, y: 0, ratio: 1, maxDistance: Infinity, exactWithin: EXACT_WITHIN_METERS, relativeError: RELATIVE_ERROR };

  const nearest = (lon: number, lat: number, maxMeters = Infinity): NearestLine | null => {
    search.ratio = aim(lon, lat);
    [search.x, search.y, search.maxDistance] = [lon * kx0, lat * ky0, maxMeters / SAFETY];
    const p = tree.nearest(search, measure, rank);
    if (p < 0) return null;
    const hit = toHit(pieces, ids, p, probe);
    return hit.distanceMeters <= maxMeters ? hit : null;
  };
  const within = (lon: number, lat: number, maxMeters: number): NearestLine[] => {
    const r = maxMeters / aim(lon, lat);
    const best = new Map<number, NearestLine>();
    for (const p of tree.search(lon * kx0 - r, lat * ky0 - r, lon * kx0 + r, lat * ky0 + r)) {
      const hit = toHit(pieces, ids, p, probe);
      const key = hit.featureIndex * 65536 + hit.partIndex;
      const previous = best.get(key);
      if (hit.distanceMeters <= maxMeters && (previous === undefined || hit.distanceMeters < previous.distanceMeters)) best.set(key, hit);
    }
    return [...best.values()].sort((a, b) => a.featureIndex - b.featureIndex || a.partIndex - b.partIndex);
  };
  return { nearest, within, ids, lengthsMeters };
}
