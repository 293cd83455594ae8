// A coarse raster that says in O(1) whether a point may lie within a distance of some lines.
import type { Position } from 'geojson';
import type { LineInput } from './types';
import { metersPerDegree } from './meters-per-degree';
import { toLineFeatures } from './to-line-features';

const MAX_CELLS = 1 << 22;

/** Answers "may (lon, lat) be within the distance?": false is certain, true means "measure it". */
export interface ProximityMask {
  mayBeNear(lon: number, lat: number): boolean;
}

function extentOf(input: LineInput): [number, number, number, number] {
  const e: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const feature of toLineFeatures(input)) {
    for (const [x = NaN, y = NaN] of feature.parts.flat()) {
      [e[0], e[1], e[2], e[3]] = [Math.min(e[0], x), Math.min(e[1], y), Math.max(e[2], x), Math.max(e[3], y)];
    }
  }
  return e;
}

interface MaskGrid {
  minX: number;
  minY: number;
  size: number;
  cols: number;
  rows: number;
  growX: number;
  growY: number;
  marked: Uint8Array;
}

/** Marks the cells under the box of piece a→b grown by (growX, growY). */
function markPiece(grid: MaskGrid, a: Position | undefined, b: Position | undefined): void {
  const [ax = NaN, ay = NaN] = a ?? [];
  const [bx = NaN, by = NaN] = b ?? [];
  const c0 = Math.max(0, Math.floor((Math.min(ax, bx) - grid.growX - grid.minX) / grid.size));
  const c1 = Math.min(grid.cols - 1, Math.floor((Math.max(ax, bx) + grid.growX - grid.minX) / grid.size));
  const r0 = Math.max(0, Math.floor((Math.min(ay, by) - grid.growY - grid.minY) / grid.size));
  const r1 = Math.min(grid.rows - 1, Math.floor((Math.max(ay, by) + grid.growY - grid.minY) / grid.size));
  for (let r = r0; r <= r1; r++) grid.marked.fill(1, r * grid.cols + c0, r * grid.cols + c1 + 1);
}

/**
 * Rasterises lines grown by `meters` into cells a quarter of `meters` wide: each piece marks every
 * cell that its box, grown by `meters` (in degrees at the lowest scale over the lines' latitudes, so
 * never too little), touches. A point in an unmarked cell is certainly farther than `meters` from
 * every line; the classifier uses it to skip the nearest-line search for most fixes.
 *
 * @example
 * const mask = buildProximityMask(borderLine, 2_000);
 * if (mask.mayBeNear(lon, lat)) distance = border.nearest(lon, lat, 2_000)?.distanceMeters ?? null;
 */
export function buildProximityMask(input: LineInput, meters: number): ProximityMask {
  const [x0, y0, x1, y1] = extentOf(input);
  if (!(x0 <= x1) || !Number.isFinite(meters)) return { mayBeNear: () => x0 <= x1 };
  const k = [y0, y1].map((lat) => metersPerDegree(Math.max(-89.9, Math.min(89.9, lat))));
  // 1 % more than the lowest scale over the lines' latitudes asks for: points just beyond them are covered too.
  const [growX, growY] = [
    (1.01 * meters) / Math.min(...k.map((s) => s.x)),
    (1.01 * meters) / Math.min(...k.map((s) => s.y)),
  ];
  const [minX, minY] = [x0 - growX, y0 - growY];
  // Cells a quarter of the distance wide: marked cells then hug the lines closely.
  const size = Math.max(
    growX / 4,
    growY / 4,
    Math.sqrt(((x1 - x0 + 2 * growX) * (y1 - y0 + 2 * growY)) / MAX_CELLS),
  );
  const cols = Math.ceil((x1 - x0 + 2 * growX) / size) + 1;
  const rows = Math.ceil((y1 - y0 + 2 * growY) / size) + 1;
  const marked = new Uint8Array(cols * rows);
  const grid = { minX, minY, size, cols, rows, growX, growY, marked };
  for (const feature of toLineFeatures(input)) {
    for (const part of feature.parts)
      for (let i = 0; i + 1 < part.length; i++) markPiece(grid, part[i], part[i + 1]);
  }
  const mayBeNear = (lon: number, lat: number): boolean => {
    const c = Math.floor((lon - minX) / size);
    const r = Math.floor((lat - minY) / size);
    return c >= 0 && r >= 0 && c < cols && r < rows && marked[r * cols + c] === 1;
  };
  return { mayBeNear };
}
