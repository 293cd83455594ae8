// Builds the uniform cell grid behind createLocator: per cell, which features can hold its points.
import type { CellIndex, FlatPolygons } from './types';
import { flatFeatureContains } from './flat-feature-contains';

const MAX_CELLS = 1 << 21;
const MAX_SIDE = 1 << 13;
const CROWDED_ITEMS = 24;

interface Grid {
  minX: number;
  minY: number;
  cols: number;
  rows: number;
  cellWidth: number;
  cellHeight: number;
  /** Safety margin around every cell, in cell units: far above any rounding error. */
  marginX: number;
  marginY: number;
}

/** Feature f's range of cells: [c0, c0 + width) × [r0, r0 + height). */
interface Range {
  c0: number;
  r0: number;
  width: number;
  height: number;
}

function layerExtent(flat: FlatPolygons): [number, number, number, number] {
  const e: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  const boxes = flat.featureBoxes;
  for (let b = 0; b < boxes.length; b += 4) {
    e[0] = Math.min(e[0], boxes[b] as number);
    e[1] = Math.min(e[1], boxes[b + 1] as number);
    e[2] = Math.max(e[2], boxes[b + 2] as number);
    e[3] = Math.max(e[3], boxes[b + 3] as number);
  }
  return e;
}

function chooseGrid(flat: FlatPolygons, cellsPerFeature: number): Grid & { maxX: number; maxY: number } {
  const [minX, minY, maxX, maxY] = layerExtent(flat);
  if (!(minX <= maxX)) {
    return { minX, minY, maxX, maxY, cols: 1, rows: 1, cellWidth: 1, cellHeight: 1, marginX: 0, marginY: 0 };
  }
  const target = Math.min(MAX_CELLS, Math.max(1, flat.ids.length * cellsPerFeature, flat.coords.length / 2));
  const width = Math.max(maxX - minX, (maxY - minY) * 1e-3, 1e-9);
  const height = Math.max(maxY - minY, (maxX - minX) * 1e-3, 1e-9);
  const side = Math.sqrt((width * height) / target);
  const cols = Math.min(MAX_SIDE, Math.max(1, Math.ceil(width / side)));
  const rows = Math.min(MAX_SIDE, Math.max(1, Math.ceil(height / side)));
  const cellWidth = width / cols;
  const cellHeight = height / rows;
  const margin = 1e-6 * Math.max(cellWidth, cellHeight) + 1e-11;
  return {
    ...{ minX, minY, maxX: minX + width, maxY: minY + height, cols, rows, cellWidth, cellHeight },
    ...{ marginX: margin / cellWidth, marginY: margin / cellHeight },
  };
}

function featureRange(flat: FlatPolygons, grid: Grid, f: number): Range | null {
  const box = flat.featureBoxes.subarray(f * 4, f * 4 + 4);
  const [x0 = NaN, y0 = NaN, x1 = NaN, y1 = NaN] = box;
  if (!(x0 <= x1)) return null;
  const col = (x: number, m: number): number =>
    Math.min(grid.cols - 1, Math.max(0, Math.floor((x - grid.minX) / grid.cellWidth + m)));
  const row = (y: number, m: number): number =>
    Math.min(grid.rows - 1, Math.max(0, Math.floor((y - grid.minY) / grid.cellHeight + m)));
  const c0 = col(x0, -grid.marginX);
  const r0 = row(y0, -grid.marginY);
  return { c0, r0, width: col(x1, grid.marginX) - c0 + 1, height: row(y1, grid.marginY) - r0 + 1 };
}

/** Marks every cell of `range` whose margin-grown rectangle the edge touches. */
function markEdge(grid: Grid, range: Range, marks: Uint8Array, coords: Float64Array, at: number): void {
  const gx0 = ((coords[at] as number) - grid.minX) / grid.cellWidth - range.c0;
  const gy0 = ((coords[at + 1] as number) - grid.minY) / grid.cellHeight - range.r0;
  const gx1 = ((coords[at + 2] as number) - grid.minX) / grid.cellWidth - range.c0;
  const gy1 = ((coords[at + 3] as number) - grid.minY) / grid.cellHeight - range.r0;
  const lo = Math.min(gx0, gx1);
  const hi = Math.max(gx0, gx1);
  const slope = gx1 === gx0 ? 0 : (gy1 - gy0) / (gx1 - gx0);
  const yAt = (x: number): number => gy0 + (x - gx0) * slope;
  const colEnd = Math.min(range.width - 1, Math.floor(hi + grid.marginX));
  for (let c = Math.max(0, Math.floor(lo - grid.marginX)); c <= colEnd; c++) {
    const xa = Math.max(lo, c - grid.marginX);
    const xb = Math.min(hi, c + 1 + grid.marginX);
    const ya = gx1 === gx0 ? gy0 : yAt(xa);
    const yb = gx1 === gx0 ? gy1 : yAt(xb);
    const rowEnd = Math.min(range.height - 1, Math.floor(Math.max(ya, yb) + grid.marginY));
    for (let r = Math.max(0, Math.floor(Math.min(ya, yb) - grid.marginY)); r <= rowEnd; r++) {
      marks[r * range.width + c] = 1;
    }
  }
}

function markFeature(flat: FlatPolygons, grid: Grid, range: Range, f: number): Uint8Array {
  const marks = new Uint8Array(range.width * range.height);
  const { coords, ringStarts, polygonRings } = flat;
  const firstRing = polygonRings[flat.featurePolygons[f] as number] as number;
  const endRing = polygonRings[flat.featurePolygons[f + 1] as number] as number;
  for (let r = firstRing; r < endRing; r++) {
    for (let v = ringStarts[r] as number, end = (ringStarts[r + 1] as number) - 1; v < end; v++) {
      markEdge(grid, range, marks, coords, 2 * v);
    }
  }
  return marks;
}

/**
 * Adds feature f to the cells it may cover. A run of unmarked cells in a row holds no boundary, so
 * one point-in-polygon test at the run's first cell centre decides the whole run.
 */
function addFeature(flat: FlatPolygons, grid: Grid, f: number, lists: number[][], closed: Uint8Array): void {
  const range = featureRange(flat, grid, f);
  if (range === null) return;
  const marks = markFeature(flat, grid, range, f);
  for (let r = 0; r < range.height; r++) {
    let inside: boolean | null = null;
    for (let c = 0; c < range.width; c++) {
      const cell = (range.r0 + r) * grid.cols + range.c0 + c;
      if (marks[r * range.width + c] === 1) {
        inside = null;
        if (closed[cell] === 0) (lists[cell] ??= []).push(f);
        continue;
      }
      const x = grid.minX + (range.c0 + c + 0.5) * grid.cellWidth;
      const y = grid.minY + (range.r0 + r + 0.5) * grid.cellHeight;
      inside ??= flatFeatureContains(flat, f, x, y);
      if (inside && closed[cell] === 0) {
        (lists[cell] ??= []).push(-(f + 1));
        closed[cell] = 1;
      }
    }
  }
}

function pack(grid: Grid & { maxX: number; maxY: number }, lists: number[][]): CellIndex {
  const cells = grid.cols * grid.rows;
  const cellStarts = new Uint32Array(cells + 1);
  const crowded = new Uint8Array(cells);
  for (let cell = 0; cell < cells; cell++) {
    const length = lists[cell]?.length ?? 0;
    cellStarts[cell + 1] = (cellStarts[cell] as number) + length;
    if (length > CROWDED_ITEMS) crowded[cell] = 1;
  }
  const items = new Int32Array(cellStarts[cells] as number);
  for (let cell = 0; cell < cells; cell++) items.set(lists[cell] ?? [], cellStarts[cell] as number);
  return {
    ...{ minX: grid.minX, minY: grid.minY, maxX: grid.maxX, maxY: grid.maxY, cols: grid.cols, rows: grid.rows },
    ...{ invCellWidth: 1 / grid.cellWidth, invCellHeight: 1 / grid.cellHeight, cellStarts, items, crowded },
  };
}

/**
 * Builds a uniform grid over a flattened layer (about `cellsPerFeature` cells per feature). Each cell
 * lists, in feature order, the features whose boundary passes near it, ending with the first feature
 * that covers it entirely; features after that one can never win the cell and are left out.
 *
 * @example
 * const cells = buildCellIndex(flattenPolygons(grids));
 * cells.cols * cells.rows; // number of cells
 */
export function buildCellIndex(flat: FlatPolygons, cellsPerFeature = 64): CellIndex {
  const grid = chooseGrid(flat, cellsPerFeature);
  const lists: number[][] = new Array<number[]>(grid.cols * grid.rows);
  const closed = new Uint8Array(grid.cols * grid.rows);
  for (let f = 0; f < flat.ids.length; f++) addFeature(flat, grid, f, lists, closed);
  return pack(grid, lists);
}
