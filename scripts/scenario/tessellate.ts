// Divides an outline into `count` cells: random seeds inside it, relaxed by Lloyd's algorithm (centroids
// estimated from a fixed cloud of sample points), Voronoi cells clipped to the outline. Works in a local
// equirectangular projection so that cells are compact in metres, not in degrees.
import * as turf from '@turf/turf';
import type { BBox, Feature, Polygon, Position } from 'geojson';
import { localProjection, polygonsOf, roundTo, type Area } from './geometry';
import type { Rng } from './prng';

export interface Cell {
  /** The clipped cell in WGS-84, coordinates rounded to 1e-7° so neighbours share identical vertices. */
  geometry: Area;
  /** The Voronoi seed, WGS-84. */
  center: Position;
}

const GRID_DIGITS = 7;
const SAMPLES_PER_CELL = 40;

function mapArea(g: Area, f: (p: Position) => Position): Area {
  return g.type === 'Polygon'
    ? { type: 'Polygon', coordinates: g.coordinates.map((ring) => ring.map(f)) }
    : { type: 'MultiPolygon', coordinates: g.coordinates.map((pl) => pl.map((ring) => ring.map(f))) };
}

function orient(a: Position, b: Position, c: Position): number {
  const v =
    ((b[0] as number) - (a[0] as number)) * ((c[1] as number) - (a[1] as number)) -
    ((b[1] as number) - (a[1] as number)) * ((c[0] as number) - (a[0] as number));
  return v > 0 ? 1 : v < 0 ? -1 : 0;
}

/** True when segments ab and cd touch or cross (collinear overlap counts too). */
function segmentsMeet(a: Position, b: Position, c: Position, d: Position): boolean {
  const o1 = orient(a, b, c);
  const o2 = orient(a, b, d);
  const o3 = orient(c, d, a);
  const o4 = orient(c, d, b);
  if (o1 === 0 || o2 === 0 || o3 === 0 || o4 === 0) return true; // conservative: let the exact clipper decide
  return o1 !== o2 && o3 !== o4;
}

/** A convex cell lies inside the outline when all its corners do and no outline edge meets a cell edge. */
function cellInside(cell: Position[], outline: Feature<Polygon>, edges: [Position, Position][]): boolean {
  if (!cell.every((p) => turf.booleanPointInPolygon(p, outline, { ignoreBoundary: true }))) return false;
  const xs = cell.map((p) => p[0] as number);
  const ys = cell.map((p) => p[1] as number);
  const [minX, maxX, minY, maxY] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  for (const [c, d] of edges) {
    if (Math.max(c[0] as number, d[0] as number) < minX || Math.min(c[0] as number, d[0] as number) > maxX)
      continue;
    if (Math.max(c[1] as number, d[1] as number) < minY || Math.min(c[1] as number, d[1] as number) > maxY)
      continue;
    for (let i = 0; i + 1 < cell.length; i++)
      if (segmentsMeet(cell[i] as Position, cell[i + 1] as Position, c, d)) return false;
  }
  return true;
}

function clippedCells(points: Position[], outline: Feature<Polygon>, bbox: BBox): Area[] {
  const ring = outline.geometry.coordinates[0] ?? [];
  const edges = ring.slice(1).map((p, i): [Position, Position] => [ring[i] as Position, p]);
  const cells = turf.voronoi(turf.featureCollection(points.map((p) => turf.point(p))), { bbox });
  return cells.features.map((cell, i) => {
    if (!cell) throw new Error(`voronoi lost the cell of seed ${i} (duplicate seed?)`);
    if (cellInside(cell.geometry.coordinates[0] ?? [], outline, edges)) return cell.geometry;
    const clipped = turf.intersect(turf.featureCollection<Area>([cell, outline]));
    if (!clipped) throw new Error(`cell ${i} lies outside the outline`);
    return clipped.geometry;
  });
}

function dist2(a: Position, b: Position): number {
  const dx = (a[0] as number) - (b[0] as number);
  const dy = (a[1] as number) - (b[1] as number);
  return dx * dx + dy * dy;
}

/** Lloyd relaxation: each seed moves to the mean of the sample points nearest to it. */
function relax(seeds: Position[], samples: readonly Position[], outline: Feature<Polygon>): Position[] {
  const sum = seeds.map(() => [0, 0, 0]);
  for (const s of samples) {
    let best = 0;
    let bestD = Infinity;
    for (let i = 0; i < seeds.length; i++) {
      const d = dist2(s, seeds[i] as Position);
      if (d < bestD) {
        bestD = d;
        best = i;
      }
    }
    const acc = sum[best] as number[];
    acc[0] = (acc[0] as number) + (s[0] as number);
    acc[1] = (acc[1] as number) + (s[1] as number);
    acc[2] = (acc[2] as number) + 1;
  }
  return seeds.map((p, i) => {
    const [sx, sy, n] = sum[i] as [number, number, number];
    if (!n) return p;
    const mean: Position = [sx / n, sy / n];
    return turf.booleanPointInPolygon(mean, outline) ? mean : p;
  });
}

function randomInside(outline: Feature<Polygon>, n: number, rng: Rng): Position[] {
  const [x0, y0, x1, y1] = turf.bbox(outline);
  const out: Position[] = [];
  while (out.length < n) {
    const p: Position = [rng.range(x0, x1), rng.range(y0, y1)];
    if (turf.booleanPointInPolygon(p, outline)) out.push(p);
  }
  return out;
}

/** Tessellates `outline` (WGS-84) into exactly `count` cells. */
export function tessellate(outlineWgs: Polygon, count: number, rng: Rng, iterations: number): Cell[] {
  const [, minLat, , maxLat] = turf.bbox(outlineWgs);
  const proj = localProjection((minLat + maxLat) / 2);
  const outline = turf.feature(proj.area(outlineWgs) as Polygon);
  const [x0, y0, x1, y1] = turf.bbox(outline);
  const margin = Math.max(x1 - x0, y1 - y0) * 0.05;
  const bbox: BBox = [x0 - margin, y0 - margin, x1 + margin, y1 + margin];

  let seeds = randomInside(outline, count, rng);
  const samples = randomInside(outline, count * SAMPLES_PER_CELL, rng);
  for (let it = 0; it < iterations; it++) seeds = relax(seeds, samples, outline);
  const round = (p: Position): Position => {
    const q = proj.inv(p);
    return [roundTo(q[0] as number, GRID_DIGITS), roundTo(q[1] as number, GRID_DIGITS)];
  };
  return clippedCells(seeds, outline, bbox).map((g, i) => ({
    geometry: mapArea(g, round),
    center: proj.inv(seeds[i] as Position),
  }));
}

function vertexKey(p: Position): string {
  return `${p[0]},${p[1]}`;
}

/** Cells are neighbours when they share at least two vertices (an edge, not just a corner). */
export function adjacency(geometries: readonly Area[]): number[][] {
  const owners = new Map<string, number[]>();
  geometries.forEach((g, i) => {
    const seen = new Set<string>();
    for (const poly of polygonsOf(g))
      for (const ring of poly)
        for (const p of ring) {
          const key = vertexKey(p);
          if (seen.has(key)) continue;
          seen.add(key);
          const list = owners.get(key);
          if (list) list.push(i);
          else owners.set(key, [i]);
        }
  });
  const shared = geometries.map(() => new Map<number, number>());
  for (const list of owners.values())
    for (const a of list) for (const b of list) if (a !== b) shared[a]?.set(b, (shared[a]?.get(b) ?? 0) + 1);
  return shared.map((m) =>
    [...m.entries()]
      .filter(([, n]) => n >= 2)
      .map(([j]) => j)
      .sort((a, b) => a - b),
  );
}

/**
 * A cell clipped by a concave outline can fall apart into pieces. Keeps each cell's largest piece and hands
 * every other piece to the neighbour it shares most vertices with, so that every cell is one polygon.
 */
export function mergeStrayPieces(cells: Cell[]): Cell[] {
  const out = cells.map((c) => ({ ...c }));
  for (const [i, cell] of out.entries()) {
    if (cell.geometry.type !== 'MultiPolygon') continue;
    const pieces = cell.geometry.coordinates
      .map((rings): Polygon => ({ type: 'Polygon', coordinates: rings }))
      .sort((a, b) => turf.area(b) - turf.area(a));
    cell.geometry = pieces[0] as Polygon;
    for (const piece of pieces.slice(1)) {
      const adj = adjacency([piece, ...out.map((c) => c.geometry)])[0] ?? [];
      const keys = new Set(polygonsOf(piece).flat(2).map(vertexKey));
      const score = (j: number): number =>
        polygonsOf((out[j] as Cell).geometry)
          .flat(2)
          .filter((p) => keys.has(vertexKey(p))).length;
      const candidates = adj.map((k) => k - 1).filter((j) => j !== i);
      const target = candidates.sort((a, b) => score(b) - score(a) || a - b)[0];
      if (target === undefined) throw new Error(`cell ${i}: a piece touches no other cell`);
      const t = out[target] as Cell;
      const merged = turf.union(turf.featureCollection([turf.feature(t.geometry), turf.feature(piece)]));
      if (!merged) throw new Error('union failed');
      t.geometry = merged.geometry;
    }
  }
  return out;
}
