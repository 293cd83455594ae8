// Generated real-ish layers for tests and benchmarks: jittered grid meshes with shared edges, holes,
// exclaves and overlaps near Pingxiang (Guangxi), and real country polygons from world-atlas.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type {
  Feature,
  FeatureCollection,
  LineString,
  MultiLineString,
  MultiPolygon,
  Polygon,
  Position,
} from 'geojson';
import type { GeometryCollection, Topology } from 'topojson-specification';
import { feature as topoFeature, mesh } from 'topojson-client';
import { createRandom } from './random';

export type PolygonFeature = Feature<Polygon | MultiPolygon, { id: string }>;

export interface MeshOptions {
  cols: number;
  rows: number;
  /** South-west corner and cell size in degrees. */
  west?: number;
  south?: number;
  cellDegrees?: number;
  /** Intermediate vertices per cell side (a cell then has about 4 × (pointsPerSide + 1) + 1 vertices). */
  pointsPerSide?: number;
  seed?: number;
  /** Punch a hole holding its own feature in about this fraction of the cells. */
  holeFraction?: number;
  /** Join about this fraction of cells with the cell two to the east into one MultiPolygon. */
  exclaveFraction?: number;
  /** Shuffle feature order so that index order is not spatial. */
  shuffle?: boolean;
}

/** Lattice corner (i, j), jittered. */
function corners(o: Required<MeshOptions>, random: () => number): Position[][] {
  const result: Position[][] = [];
  for (let i = 0; i <= o.cols; i++) {
    const column: Position[] = [];
    for (let j = 0; j <= o.rows; j++) {
      const edge = i === 0 || j === 0 || i === o.cols || j === o.rows;
      const jx = edge ? 0 : (random() - 0.5) * 0.4 * o.cellDegrees;
      const jy = edge ? 0 : (random() - 0.5) * 0.4 * o.cellDegrees;
      column.push([o.west + i * o.cellDegrees + jx, o.south + j * o.cellDegrees + jy]);
    }
    result.push(column);
  }
  return result;
}

/** Interior points of the side a→b, wiggled across the side; shared verbatim by both neighbours. */
function side(a: Position, b: Position, o: Required<MeshOptions>, random: () => number): Position[] {
  const points: Position[] = [];
  const [ax = 0, ay = 0] = a;
  const [bx = 0, by = 0] = b;
  for (let k = 1; k <= o.pointsPerSide; k++) {
    const t = k / (o.pointsPerSide + 1);
    const wiggle = (random() - 0.5) * 0.12 * o.cellDegrees;
    points.push([
      ax + t * (bx - ax) - (wiggle * (by - ay)) / o.cellDegrees,
      ay + t * (by - ay) + (wiggle * (bx - ax)) / o.cellDegrees,
    ]);
  }
  return points;
}

function cellRing(c: Position[][], sides: Map<string, Position[]>, i: number, j: number): Position[] {
  const at = (x: number, y: number): Position => c[x]?.[y] as Position;
  const path = (x0: number, y0: number, x1: number, y1: number): Position[] => {
    const forward = sides.get(`${x0},${y0},${x1},${y1}`);
    return forward ?? [...(sides.get(`${x1},${y1},${x0},${y0}`) as Position[])].reverse();
  };
  return [
    at(i, j),
    ...path(i, j, i + 1, j),
    at(i + 1, j),
    ...path(i + 1, j, i + 1, j + 1),
    at(i + 1, j + 1),
    ...path(i + 1, j + 1, i, j + 1),
    at(i, j + 1),
    ...path(i, j + 1, i, j),
    at(i, j),
  ];
}

function buildSides(
  c: Position[][],
  o: Required<MeshOptions>,
  random: () => number,
): Map<string, Position[]> {
  const sides = new Map<string, Position[]>();
  for (let i = 0; i <= o.cols; i++) {
    for (let j = 0; j <= o.rows; j++) {
      const here = c[i]?.[j] as Position;
      if (i < o.cols) sides.set(`${i},${j},${i + 1},${j}`, side(here, c[i + 1]?.[j] as Position, o, random));
      if (j < o.rows) sides.set(`${i},${j},${i},${j + 1}`, side(here, c[i]?.[j + 1] as Position, o, random));
    }
  }
  return sides;
}

/** A small quadrilateral hole around the middle of a cell (reversed: holes run clockwise). */
function holeRing(ring: Position[], size: number): Position[] {
  const xs = ring.map((p) => p[0] as number);
  const ys = ring.map((p) => p[1] as number);
  const cx = (Math.min(...xs) + Math.max(...xs)) / 2;
  const cy = (Math.min(...ys) + Math.max(...ys)) / 2;
  const h = size / 2;
  return [
    [cx - h, cy - h],
    [cx - h, cy + h],
    [cx + h, cy + h],
    [cx + h, cy - h],
    [cx - h, cy - h],
  ];
}

/**
 * A grid mesh: cols × rows cells whose neighbours share edges vertex for vertex (as real grid layers
 * do), some with a hole holding its own feature, some joined with a cell two columns away.
 */
export function createMeshLayer(
  options: MeshOptions,
): FeatureCollection<Polygon | MultiPolygon, { id: string }> {
  const o: Required<MeshOptions> = {
    ...{ west: 106.6, south: 21.9, cellDegrees: 0.01, pointsPerSide: 5, seed: 1 },
    ...{ holeFraction: 0, exclaveFraction: 0, shuffle: true },
    ...options,
  };
  const random = createRandom(o.seed);
  const c = corners(o, random);
  const sides = buildSides(c, o, random);
  const features: PolygonFeature[] = [];
  const joined = new Set<string>();
  for (let i = 0; i < o.cols; i++) {
    for (let j = 0; j < o.rows; j++) {
      if (joined.has(`${i},${j}`)) continue;
      const ring = cellRing(c, sides, i, j);
      const id = `g-${i}-${j}`;
      if (random() < o.holeFraction) {
        const hole = holeRing(ring, o.cellDegrees * 0.3);
        features.push(polygonFeature(id, [ring, hole]));
        features.push(polygonFeature(`${id}-enclave`, [[...hole].reverse()]));
      } else if (i + 2 < o.cols && !joined.has(`${i + 2},${j}`) && random() < o.exclaveFraction) {
        joined.add(`${i + 2},${j}`);
        const geometry: MultiPolygon = {
          type: 'MultiPolygon',
          coordinates: [[ring], [cellRing(c, sides, i + 2, j)]],
        };
        features.push({ type: 'Feature', id, properties: { id }, geometry });
      } else features.push(polygonFeature(id, [ring]));
    }
  }
  if (o.shuffle) shuffleInPlace(features, random);
  return { type: 'FeatureCollection', features };
}

function polygonFeature(id: string, coordinates: Position[][]): PolygonFeature {
  return { type: 'Feature', id, properties: { id }, geometry: { type: 'Polygon', coordinates } };
}

export function shuffleInPlace<T>(items: T[], random: () => number): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
}

function readTopology(resolution: '10m' | '50m' | '110m'): Topology {
  const require = createRequire(import.meta.url);
  const path = require.resolve(`world-atlas/countries-${resolution}.json`);
  return JSON.parse(readFileSync(path, 'utf8')) as Topology;
}

/** World countries (real shapes: exclaves, holes such as Lesotho in South Africa, shared borders). */
export function loadCountries(
  resolution: '10m' | '50m' | '110m',
): FeatureCollection<Polygon | MultiPolygon, { id: string }> {
  const topology = readTopology(resolution);
  const countries = topoFeature(
    topology,
    topology.objects['countries'] as GeometryCollection<{ name: string }>,
  );
  const features: PolygonFeature[] = [];
  countries.features.forEach((f, index) => {
    if (f.geometry?.type !== 'Polygon' && f.geometry?.type !== 'MultiPolygon') return;
    const id = `${f.properties.name}-${index}`;
    features.push({ type: 'Feature', id, properties: { id }, geometry: f.geometry });
  });
  return { type: 'FeatureCollection', features };
}

/** The China–Vietnam border line from world-atlas (Pingxiang sits on it). */
export function loadChinaVietnamBorder(resolution: '10m' | '50m' = '10m'): MultiLineString {
  const topology = readTopology(resolution);
  const countries = topology.objects['countries'] as GeometryCollection;
  const pair = (a: { id?: string | number }, b: { id?: string | number }): boolean =>
    (a.id === '156' && b.id === '704') || (a.id === '704' && b.id === '156');
  return mesh(topology, countries, pair);
}

/** Splits a line into `count` consecutive LineString features sharing their end vertices. */
export function splitLine(
  line: Position[],
  count: number,
  prefix = 'seg',
): FeatureCollection<LineString, { id: string }> {
  const features: Feature<LineString, { id: string }>[] = [];
  const step = (line.length - 1) / count;
  for (let k = 0; k < count; k++) {
    const from = Math.round(k * step);
    const to = Math.round((k + 1) * step);
    const id = `${prefix}-${String(k + 1).padStart(2, '0')}`;
    features.push({
      type: 'Feature',
      id,
      properties: { id },
      geometry: { type: 'LineString', coordinates: line.slice(from, to + 1) },
    });
  }
  return { type: 'FeatureCollection', features };
}

/** Inserts points so that no piece of the line is longer than `maxDegrees`. */
export function densify(line: Position[], maxDegrees: number): Position[] {
  const out: Position[] = [];
  for (let i = 0; i + 1 < line.length; i++) {
    const [ax = 0, ay = 0] = line[i] as Position;
    const [bx = 0, by = 0] = line[i + 1] as Position;
    const n = Math.max(1, Math.ceil(Math.hypot(bx - ax, by - ay) / maxDegrees));
    for (let k = 0; k < n; k++) out.push([ax + ((bx - ax) * k) / n, ay + ((by - ay) * k) / n]);
  }
  out.push(line[line.length - 1] as Position);
  return out;
}
