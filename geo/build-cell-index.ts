// Builds the uniform cell grid behind createLocator: per cell, which features can hold its points.
import type { FlatPolygons } from './types';
import type { RayDirection } from './select-cell-edges';
import { chooseRay } from './choose-ray';
import { flatFeatureContains } from './flat-feature-contains';
import { medianBoxArea } from './median-box-area';
import { packCellLists } from './pack-cell-lists';
import { selectCellEdges } from './select-cell-edges';

/** A uniform grid of cells over a polygon layer: per cell, the features to test in index order. */
export interface CellIndex {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
  cols: number;
  rows: number;
  /** Cells per degree along x and y. */
  invCellWidth: number;
  invCellHeight: number;
  /**
   * What a cell says at once: ≥ 0, the feature that holds all of it (nothing before it reaches it);
   * EMPTY_CELL, no feature; CROWDED_CELL, so many items that a bounding-box tree answers faster;
   * LIST_CELL or below, test the items at `lists[LIST_CELL − value]` (see `packCellLists`). One read
   * answers most points, one more contiguous read most of the rest.
   */
  cellValue: Int32Array;
  /** Every list cell's items, each with its live edges inline (see `packCellLists`). */
  lists: Float64Array;
}

/** `CellIndex.cellValue` codes (LIST_CELL and every value below it point into `lists`). */
export const EMPTY_CELL = -1;
export const CROWDED_CELL = -3;
export const LIST_CELL = -4;

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

/** (cell, polygon) pairs under construction: per pair its feature, parity, ray and live edges. */
export interface Pairs {
  feature: number[];
  parity: number[];
  direction: RayDirection[];
  edgeStarts: number[];
  /** First vertex index of each live edge (the edge runs to the next vertex). */
  edges: number[];
}

/** The lists of the cells any feature reaches, by cell (row-major index); cells far from all have none. */
export type CellLists = Map<number, number[]>;

function listOf(lists: CellLists, cell: number): number[] {
  let list = lists.get(cell);
  if (list === undefined) lists.set(cell, (list = []));
  return list;
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
  // About cellsPerFeature cells over a typical feature, not over the layer: a layer in two far-apart areas
  // (a district in Beijing and one on the border) would otherwise get cells larger than its features.
  const typical = medianBoxArea(flat);
  const byFeatureSize = typical > 0 ? (((maxX - minX) * (maxY - minY)) / typical) * cellsPerFeature : 0;
  const target = Math.min(
    MAX_CELLS,
    Math.max(1, flat.ids.length * cellsPerFeature, flat.coords.length / 2, byFeatureSize),
  );
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

/** The grid column (axis 0) or row (axis 1) of coordinate v shifted by m cells, clamped to the grid. */
function cellOf(grid: Grid, axis: 0 | 1, v: number, m: number): number {
  const [min, size, count] =
    axis === 0 ? [grid.minX, grid.cellWidth, grid.cols] : [grid.minY, grid.cellHeight, grid.rows];
  return Math.min(count - 1, Math.max(0, Math.floor((v - min) / size + m)));
}

function featureRange(flat: FlatPolygons, grid: Grid, f: number): Range | null {
  const box = flat.featureBoxes;
  if (!((box[4 * f] as number) <= (box[4 * f + 2] as number))) return null;
  const c0 = cellOf(grid, 0, box[4 * f] as number, -grid.marginX);
  const r0 = cellOf(grid, 1, box[4 * f + 1] as number, -grid.marginY);
  const c1 = cellOf(grid, 0, box[4 * f + 2] as number, grid.marginX);
  const r1 = cellOf(grid, 1, box[4 * f + 3] as number, grid.marginY);
  return { c0, r0, width: c1 - c0 + 1, height: r1 - r0 + 1 };
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
  const colEnd = Math.min(range.width - 1, Math.floor(hi + grid.marginX));
  for (let c = Math.max(0, Math.floor(lo - grid.marginX)); c <= colEnd; c++) {
    const xa = Math.max(lo, c - grid.marginX);
    const xb = Math.min(hi, c + 1 + grid.marginX);
    const ya = gx1 === gx0 ? gy0 : gy0 + (xa - gx0) * slope;
    const yb = gx1 === gx0 ? gy1 : gy0 + (xb - gx0) * slope;
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

/** Adds one pair per polygon of f that reaches the (margin-grown) cell, unless the cell is already decided. */
function addPairs(
  flat: FlatPolygons,
  grid: Grid,
  f: number,
  col: number,
  row: number,
  list: number[],
  pairs: Pairs,
): void {
  const mx = grid.marginX * grid.cellWidth;
  const my = grid.marginY * grid.cellHeight;
  const x0 = grid.minX + col * grid.cellWidth - mx;
  const y0 = grid.minY + row * grid.cellHeight - my;
  const x1 = x0 + grid.cellWidth + 2 * mx;
  const y1 = y0 + grid.cellHeight + 2 * my;
  const boxes = flat.polygonBoxes;
  for (let p = flat.featurePolygons[f] as number; p < (flat.featurePolygons[f + 1] as number); p++) {
    if ((boxes[4 * p] as number) > x1 || (boxes[4 * p + 1] as number) > y1) continue;
    if ((boxes[4 * p + 2] as number) < x0 || (boxes[4 * p + 3] as number) < y0) continue;
    const start = pairs.edges.length;
    const direction = chooseRay(flat, p, x0, y0, x1, y1);
    const parity = selectCellEdges(flat, p, x0, y0, x1, y1, pairs.edges, direction);
    if (parity === 0 && pairs.edges.length === start) continue; // the polygon misses this cell
    list.push(pairs.feature.length);
    pairs.feature.push(f);
    pairs.parity.push(parity);
    pairs.direction.push(direction);
    pairs.edgeStarts.push(start);
  }
}

/**
 * Adds feature f to the cells it may cover. A run of unmarked cells in a row holds no boundary, so
 * one point-in-polygon test at the run's first cell centre decides the whole run.
 */
function addFeature(
  flat: FlatPolygons,
  grid: Grid,
  f: number,
  lists: CellLists,
  closed: Uint8Array,
  pairs: Pairs,
): void {
  const range = featureRange(flat, grid, f);
  if (range === null) return;
  const marks = markFeature(flat, grid, range, f);
  for (let r = 0; r < range.height; r++) {
    let inside: boolean | null = null;
    for (let c = 0; c < range.width; c++) {
      const col = range.c0 + c;
      const row = range.r0 + r;
      const cell = row * grid.cols + col;
      if (marks[r * range.width + c] === 1) {
        inside = null;
        if (closed[cell] === 0) addPairs(flat, grid, f, col, row, listOf(lists, cell), pairs);
        continue;
      }
      inside ??= flatFeatureContains(
        flat,
        f,
        grid.minX + (col + 0.5) * grid.cellWidth,
        grid.minY + (row + 0.5) * grid.cellHeight,
      );
      if (inside && closed[cell] === 0) {
        listOf(lists, cell).push(-(f + 1));
        closed[cell] = 1;
      }
    }
  }
}

function pack(
  flat: FlatPolygons,
  grid: Grid & { maxX: number; maxY: number },
  lists: CellLists,
  pairs: Pairs,
): CellIndex {
  const cellValue = new Int32Array(grid.cols * grid.rows).fill(EMPTY_CELL);
  const packed = packCellLists(flat, lists, pairs);
  for (const [cell, list] of lists) {
    const only = list.length === 1 ? (list[0] as number) : 0;
    if (list.length === 0) cellValue[cell] = EMPTY_CELL;
    else if (only < 0) cellValue[cell] = -only - 1;
    else if (list.length > CROWDED_ITEMS) cellValue[cell] = CROWDED_CELL;
    else cellValue[cell] = LIST_CELL - (packed.starts.get(cell) as number);
  }
  return {
    ...{
      minX: grid.minX,
      minY: grid.minY,
      maxX: grid.maxX,
      maxY: grid.maxY,
      cols: grid.cols,
      rows: grid.rows,
    },
    ...{
      invCellWidth: 1 / grid.cellWidth,
      invCellHeight: 1 / grid.cellHeight,
      cellValue,
      lists: packed.lists,
    },
  };
}

/**
 * Builds a uniform grid over a flattened layer (about `cellsPerFeature` cells per feature). Each cell
 * lists, in feature order, the polygons whose boundary passes near it — each with only the edges that
 * can matter there (`selectCellEdges`, along whichever of four rays leaves the fewest) — ending with
 * the first feature that covers it entirely; features after that one can never win the cell and are
 * left out.
 *
 * @example
 * const cells = buildCellIndex(flattenPolygons(grids));
 * cells.cols * cells.rows; // number of cells
 */
export function buildCellIndex(flat: FlatPolygons, cellsPerFeature = 64): CellIndex {
  const grid = chooseGrid(flat, cellsPerFeature);
  const lists: CellLists = new Map();
  const closed = new Uint8Array(grid.cols * grid.rows);
  const pairs: Pairs = { feature: [], parity: [], direction: [], edgeStarts: [], edges: [] };
  for (let f = 0; f < flat.ids.length; f++) addFeature(flat, grid, f, lists, closed, pairs);
  return pack(flat, grid, lists, pairs);
}
