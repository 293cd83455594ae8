// The locator's cell index: every ray direction's edge selection and packed lists answer as the full test.
import type { Position } from 'geojson';
import { describe, expect, it } from 'vitest';
import {
  buildCellIndex,
  chooseRay,
  edgeCrossing,
  flattenPolygons,
  pointInFlatPolygon,
  selectCellEdges,
} from '../../geo';
import type { FlatPolygons, RayDirection } from '../../geo';
import { loadCountries, createMeshLayer } from './support/layers';
import { createRandom } from './support/random';

/** The point (x, y) seen from ray `direction`: the same reflection the packed lists use. */
function reflect(direction: RayDirection, x: number, y: number): [number, number] {
  if (direction === 0) return [x, y];
  if (direction === 1) return [-x, y];
  if (direction === 2) return [y, x];
  return [-y, x];
}

/** Whether polygon p holds (x, y) according to its selected edges in the box only. */
function boxedContains(
  flat: FlatPolygons,
  p: number,
  box: number[],
  direction: RayDirection,
  x: number,
  y: number,
) {
  const [x0 = NaN, y0 = NaN, x1 = NaN, y1 = NaN] = box;
  const live: number[] = [];
  let crossings = selectCellEdges(flat, p, x0, y0, x1, y1, live, direction);
  const [u, v] = reflect(direction, x, y);
  for (const e of live) {
    const [ax, ay] = reflect(direction, flat.coords[2 * e] as number, flat.coords[2 * e + 1] as number);
    const [bx, by] = reflect(direction, flat.coords[2 * e + 2] as number, flat.coords[2 * e + 3] as number);
    const c = edgeCrossing(ax, ay, bx, by, u, v);
    if (c < 0) return true;
    crossings += c;
  }
  return (crossings & 1) === 1;
}

/** Four consecutive numbers of a typed array (an edge, or a box). */
function quad(array: Float64Array, at: number): [number, number, number, number] {
  const [a = NaN, b = NaN, c = NaN, d = NaN] = array.subarray(at, at + 4);
  return [a, b, c, d];
}

/** Random points in the box, and points on (or a rounding error off) the polygon's edges inside it. */
function probes(flat: FlatPolygons, p: number, box: number[], random: () => number): Position[] {
  const [x0 = NaN, y0 = NaN, x1 = NaN, y1 = NaN] = box;
  const points: Position[] = Array.from({ length: 40 }, () => [
    x0 + random() * (x1 - x0),
    y0 + random() * (y1 - y0),
  ]);
  const first = flat.ringStarts[flat.polygonRings[p] as number] as number;
  const end = flat.ringStarts[flat.polygonRings[p + 1] as number] as number;
  for (let v = first; v + 1 < end; v++) {
    const [ax, ay, bx, by] = quad(flat.coords, 2 * v);
    const t = random() < 0.3 ? 0 : random();
    const [x, y] = [ax + t * (bx - ax), ay + t * (by - ay)];
    if (x >= x0 && x <= x1 && y >= y0 && y <= y1) points.push([x, y]);
  }
  return points;
}

describe('selectCellEdges along each of the four rays', () => {
  it('answers as pointInFlatPolygon for points in the box, boundary points included (mesh and countries)', () => {
    const random = createRandom(77);
    const layers = [
      createMeshLayer({ cols: 8, rows: 8, holeFraction: 0.2, exclaveFraction: 0.1, seed: 5 }),
      loadCountries('110m'),
    ];
    let checked = 0;
    let inside = 0;
    for (const layer of layers) {
      const flat = flattenPolygons(layer);
      const polygons = flat.polygonRings.length - 1;
      for (let trial = 0; trial < 400; trial++) {
        const p = Math.floor(random() * polygons);
        const [bx0, by0, bx1, by1] = quad(flat.polygonBoxes, 4 * p);
        const w = (bx1 - bx0) * (0.02 + random() * 0.3);
        const h = (by1 - by0) * (0.02 + random() * 0.3);
        const x0 = bx0 - w + random() * (bx1 - bx0 + w);
        const y0 = by0 - h + random() * (by1 - by0 + h);
        const box = [x0, y0, x0 + w, y0 + h];
        const rings = [flat.polygonRings[p] as number, flat.polygonRings[p + 1] as number] as const;
        for (const [x = NaN, y = NaN] of probes(flat, p, box, random)) {
          const expected = pointInFlatPolygon(flat.coords, flat.ringStarts, rings[0], rings[1], x, y);
          if (expected) inside++;
          for (const direction of [0, 1, 2, 3] as const) {
            expect(boxedContains(flat, p, box, direction, x, y), `${p} ${direction} (${x}, ${y})`).toBe(
              expected,
            );
            checked++;
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(100_000);
    expect(inside).toBeGreaterThan(checked / 40);
  }, 60_000);
});

describe('chooseRay', () => {
  it('picks a ray that leaves the fewest live edges, as selectCellEdges counts them', () => {
    const random = createRandom(78);
    const flat = flattenPolygons(loadCountries('110m'));
    const polygons = flat.polygonRings.length - 1;
    const picked = [0, 0, 0, 0];
    for (let trial = 0; trial < 3_000; trial++) {
      const p = Math.floor(random() * polygons);
      const [bx0, by0, bx1, by1] = quad(flat.polygonBoxes, 4 * p);
      const [w, h] = [(bx1 - bx0) * random() * 0.2, (by1 - by0) * random() * 0.2];
      const [x0, y0] = [bx0 + random() * (bx1 - bx0), by0 + random() * (by1 - by0)];
      const counts = ([0, 1, 2, 3] as const).map((direction) => {
        const live: number[] = [];
        selectCellEdges(flat, p, x0, y0, x0 + w, y0 + h, live, direction);
        return live.length;
      });
      const chosen = chooseRay(flat, p, x0, y0, x0 + w, y0 + h);
      expect(counts[chosen]).toBe(Math.min(...counts));
      picked[chosen] = (picked[chosen] as number) + 1;
    }
    // Every ray wins somewhere: the choice is not a constant.
    expect(picked.every((count) => count > 50)).toBe(true);
  });
});

describe('buildCellIndex', () => {
  it('answers most cells with one read and packs the rest with few edges each', () => {
    const cells = buildCellIndex(
      flattenPolygons(createMeshLayer({ cols: 24, rows: 25, pointsPerSide: 6, seed: 11 })),
    );
    const decided = cells.cellValue.filter((v) => v >= 0).length;
    expect(decided / cells.cellValue.length).toBeGreaterThan(0.65);
    // About two items per list cell, each with about two edges: well under 32 doubles per list cell.
    const listCells = cells.cellValue.filter((v) => v <= -4).length;
    expect(cells.lists.length / listCells).toBeLessThan(32);
  });
});
