// createLineIndex's candidate grid: every list holds the nearest piece, and nearest() equals a full scan.
import type { FeatureCollection, LineString, MultiLineString, Position } from 'geojson';
import { describe, expect, it } from 'vitest';
import {
  buildPieceGrid,
  closestOnSegment,
  createLineIndex,
  distanceMeters,
  metersPerDegree,
} from '../../geo';
import type { LineInput, PieceGrid } from '../../geo';
import { densify, loadChinaVietnamBorder } from './support/layers';
import { createRandom } from './support/random';

interface Pieces {
  coords: Float64Array;
  feature: number[];
  count: number;
}

function piecesOf(lines: Position[][][]): Pieces {
  const coords: number[] = [];
  const feature: number[] = [];
  lines.forEach((parts, f) => {
    for (const part of parts) {
      for (let i = 0; i + 1 < part.length; i++) {
        coords.push(...(part[i] as Position), ...(part[i + 1] as Position));
        feature.push(f);
      }
    }
  });
  return { coords: Float64Array.from(coords), feature, count: feature.length };
}

/** The point of piece p closest to (lon, lat) in the local frame there. */
function closest(
  pieces: Pieces,
  p: number,
  lon: number,
  lat: number,
  k = metersPerDegree(lat),
): [number, number] {
  const { x: kx, y: ky } = k;
  const [ax = NaN, ay = NaN, bx = NaN, by = NaN] = pieces.coords.subarray(4 * p, 4 * p + 4);
  const t = closestOnSegment(lon, lat, ax, ay, bx, by, kx, ky);
  return [t === 0 ? ax : t === 1 ? bx : ax + t * (bx - ax), t === 0 ? ay : t === 1 ? by : ay + t * (by - ay)];
}

/** The measure createLineIndex ranks pieces by: local metres at the query's latitude. */
function measure(pieces: Pieces, p: number, lon: number, lat: number, k = metersPerDegree(lat)): number {
  const { x: kx, y: ky } = k;
  const [x, y] = closest(pieces, p, lon, lat, k);
  const [dx, dy] = [(x - lon) * kx, (y - lat) * ky];
  return Math.sqrt(dx * dx + dy * dy);
}

/** The best of some pieces: least measure, then lowest feature, then lowest piece. */
function best(pieces: Pieces, candidates: Iterable<number>, lon: number, lat: number): number {
  let [found, distance] = [-1, Infinity];
  const k = metersPerDegree(lat);
  for (const p of candidates) {
    const d = measure(pieces, p, lon, lat, k);
    const [feature, foundFeature] = [pieces.feature[p] as number, pieces.feature[found] as number];
    const tie = d === distance && (feature < foundFeature || (feature === foundFeature && p < found));
    if (d < distance || tie) [found, distance] = [p, d];
  }
  return found;
}

/** The list of the grid cell holding (lon, lat), or null where the grid has none. */
function listAt(grid: PieceGrid, lon: number, lat: number): number[] | null {
  const col = Math.floor((lon * grid.kx0 - grid.originX) * grid.inverseSize);
  const row = Math.floor((lat * grid.ky0 - grid.originY) * grid.inverseSize);
  if (!(col >= 0 && row >= 0 && col < grid.cols && row < grid.rows)) return null;
  const base = grid.blocks[(row >> 3) * grid.blockCols + (col >> 3)] as number;
  if (base < 0) return null;
  const start = grid.cellLists[base + ((row & 7) << 3) + (col & 7)] as number;
  if (start < 0) return null;
  return Array.from(grid.pieces.subarray(start + 1, start + 1 + (grid.pieces[start] as number)));
}

/** Points near random vertices (some exactly on one), spread over `spreadMeters`, and some anywhere. */
function probes(lines: Position[][][], spreadMeters: number, count: number, seed: number): Position[] {
  const random = createRandom(seed);
  const vertices = lines.flat(2);
  const xs = vertices.map((v) => v[0] as number);
  const ys = vertices.map((v) => v[1] as number);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  return Array.from({ length: count }, (_, i): Position => {
    const [vx = 0, vy = 0] = vertices[Math.floor(random() * vertices.length)] as Position;
    if (i % 10 === 0) return [vx, vy];
    if (i % 10 === 1) return [x0 + random() * (x1 - x0), y0 + random() * (y1 - y0)];
    const k = metersPerDegree(vy);
    const r = spreadMeters * Math.sqrt(random());
    const a = random() * 2 * Math.PI;
    return [vx + (r * Math.cos(a)) / k.x, vy + (r * Math.sin(a)) / k.y];
  });
}

/** A zigzag at high latitudes, where a degree of longitude shrinks by a third over the line. */
function northernZigzag(): Position[][][] {
  const random = createRandom(8);
  const line: Position[] = [];
  for (let i = 0; i < 600; i++) line.push([20 + i * 0.01 + random() * 0.02, 48 + i * 0.02 + random() * 0.05]);
  return [[line]];
}

/** 300 short lines in random directions, some sharing an end with the one before, one of zero length. */
function scatteredLines(): Position[][][] {
  const random = createRandom(9);
  const lines: Position[][][] = [];
  let previous: Position = [106.7, 22.1];
  for (let i = 0; i < 300; i++) {
    const start: Position = i % 3 === 0 ? previous : [106.5 + random() * 0.5, 21.9 + random() * 0.4];
    const end: Position =
      i === 7 ? start : [start[0]! + (random() - 0.5) * 0.02, start[1]! + (random() - 0.5) * 0.02];
    lines.push([[start, end]]);
    previous = end;
  }
  return lines;
}

function border(): Position[][][] {
  return [[densify(loadChinaVietnamBorder('10m').coordinates[0] as Position[], 0.0055)]];
}

const datasets: [string, () => Position[][][]][] = [
  ['the China–Vietnam border (2,000 pieces)', border],
  ['a zigzag at 48–60° N', northernZigzag],
  ['300 scattered short lines with shared ends', scatteredLines],
];

describe('buildPieceGrid', () => {
  for (const [name, make] of datasets) {
    // The fine grid's reaches, then the far grids' (cells of 1/32 of the reach) that createLineIndex adds.
    for (const [reach, reachCells, meanList] of [
      [500, undefined, 12],
      [5_000, undefined, 12],
      [25_000, 32, 40],
      [150_000, 32, 80],
    ] as const) {
      it(`every list holds the nearest piece: ${name}, reach ${reach} m`, () => {
        const lines = make();
        const pieces = piecesOf(lines);
        const k = metersPerDegree(
          lines.flat(2).reduce((sum, v) => sum + (v[1] as number), 0) / lines.flat(2).length,
        );
        const grid = buildPieceGrid(pieces.coords, pieces.count, k.x, k.y, reach, reachCells);
        const all = Array.from({ length: pieces.count }, (_, p) => p);
        let [listed, candidates] = [0, 0];
        for (const [lon = NaN, lat = NaN] of probes(lines, 1.2 * reach, 2_500, reach)) {
          const list = listAt(grid, lon, lat);
          if (list === null) continue;
          listed++;
          candidates += list.length;
          expect(best(pieces, list, lon, lat), `(${lon}, ${lat})`).toBe(best(pieces, all, lon, lat));
        }
        // Most points within the reach are answered from short lists.
        expect(listed).toBeGreaterThan(1_500);
        expect(candidates / listed).toBeLessThan(meanList);
      }, 60_000);
    }
  }
});

describe('createLineIndex.nearest', () => {
  for (const [name, make] of datasets) {
    it(`equals a scan of every piece, ties to the lowest feature: ${name}`, () => {
      const lines = make();
      const pieces = piecesOf(lines);
      const layer: FeatureCollection<LineString | MultiLineString> = {
        type: 'FeatureCollection',
        features: lines.map((parts, f) => ({
          type: 'Feature',
          id: `line-${f}`,
          properties: {},
          geometry:
            parts.length === 1
              ? { type: 'LineString', coordinates: parts[0] as Position[] }
              : { type: 'MultiLineString', coordinates: parts },
        })),
      };
      const index = createLineIndex(layer);
      const all = Array.from({ length: pieces.count }, (_, p) => p);
      for (const [lon = NaN, lat = NaN] of probes(lines, 3_000, 2_000, 4)) {
        const hit = index.nearest(lon, lat);
        const expected = best(pieces, all, lon, lat);
        const distance = distanceMeters(lon, lat, ...closest(pieces, expected, lon, lat));
        if (measure(pieces, expected, lon, lat) > 2_000) {
          // Beyond 2 km, outside the grid, the tree may return a line up to 0.1 % farther (and the
          // reported distance, at the mid-latitude, differs a little more from the ranking measure).
          expect(hit?.distanceMeters ?? NaN).toBeLessThanOrEqual(distance * 1.002);
          continue;
        }
        expect(hit?.featureIndex, `(${lon}, ${lat})`).toBe(pieces.feature[expected]);
        expect(hit?.distanceMeters).toBe(distance);
      }
    }, 60_000);
  }

  it('ranks by local metres where the frame is far off: at 75° N in a layer reaching down to 30° N', () => {
    // The grid's frame is scaled at the layer's mid-latitude (52.5° N), where a degree of longitude is
    // 2.4 times longer than at 75° N: in that frame the line 1,000 m east looks farther than the one
    // 1,200 m north. The lists must still keep it.
    const k = metersPerDegree(75);
    const [lon, lat] = [10, 75];
    const line = (id: string, coordinates: Position[]) => ({
      type: 'Feature' as const,
      id,
      properties: {},
      geometry: { type: 'LineString' as const, coordinates },
    });
    const index = createLineIndex({
      type: 'FeatureCollection',
      features: [
        // 1,000 pieces far south: they set the frame's latitude, and make the cells small (about 50 m).
        line(
          'south',
          Array.from({ length: 1_001 }, (_, i): Position => [10 + i * 5e-4, 30]),
        ),
        line('north', [
          [lon - 0.05, lat + 1_200 / k.y],
          [lon + 0.05, lat + 1_200 / k.y],
        ]),
        line('east', [
          [lon + 1_000 / k.x, lat - 0.05],
          [lon + 1_000 / k.x, lat + 0.05],
        ]),
      ],
    });
    for (let i = 0; i < 50; i++) {
      const [x, y] = [lon + ((i % 7) - 3) * (20 / k.x), lat + (Math.floor(i / 7) - 3) * (20 / k.y)];
      expect(index.nearest(x, y)?.id).toBe('east');
    }
    expect(index.nearest(lon, lat)?.distanceMeters).toBeCloseTo(1_000, 0);
  });

  it('answers the same with and without the grids (gridMeters and farGridMeters 0)', () => {
    const lines = border();
    const input: LineInput = { type: 'LineString', coordinates: lines[0]?.[0] as Position[] };
    const [withGrid, treeOnly] = [
      createLineIndex(input),
      createLineIndex(input, { gridMeters: 0, farGridMeters: 0 }),
    ];
    for (const [lon = NaN, lat = NaN] of probes(lines, 1_500, 2_000, 6)) {
      expect(withGrid.nearest(lon, lat)).toEqual(treeOnly.nearest(lon, lat));
    }
  }, 60_000);
});
