// The frame of a piece grid: cell size within budgets, origin, extent, and per piece and row bounds.
import { metersPerDegree } from './meters-per-degree';

/**
 * The cell size keeps the build bounded whatever the lines: about this many cells within the reach
 * (fewer when there are few pieces), at most this many (cell, piece) visits while building, the
 * reach at most this many cells, and the whole grid (stored sparsely) at most this many cells.
 */
const CELL_BUDGET = 1 << 18;
const CELLS_PER_PIECE = 256;
const VISIT_BUDGET = 1 << 23;
const REACH_CELLS = 8;
const MAX_CELLS = 1 << 28;
/** Relative slack on the scale bounds and the cell margin: far above rounding. */
const RELATIVE_SLACK = 1e-9;

/** The frame of a piece grid and what the build needs per piece and per row. */
export interface GridFrame {
  /** Piece ends in the frame: ax, ay, bx, by per piece. */
  ends: Float64Array;
  size: number;
  /** Growth of every cell on each side, far above the frame's rounding. */
  margin: number;
  reach: number;
  originX: number;
  originY: number;
  cols: number;
  rows: number;
  /** Per piece: its box in the frame (minX, minY, maxX, maxY) and its cells within reach (c0, r0, c1, r1). */
  boxes: Float64Array;
  ranges: Int32Array;
  /** Per row: the lowest and highest ratio of local metres to frame metres (see `rowRatios`). */
  ratios: Float64Array;
}

/**
 * Per row: the lowest and highest ratio of true local metres (at any latitude of the row) to frame
 * metres, so that frame distances bound the distances a query measures at its own latitude.
 */
function rowRatios(frame: Omit<GridFrame, 'ratios'>, kx0: number, ky0: number): Float64Array {
  const { size, margin } = frame;
  const ratios = new Float64Array(2 * frame.rows);
  for (let row = 0; row < frame.rows; row++) {
    const lats = [row * size - margin, (row + 1) * size + margin].map((y) => (y + frame.originY) / ky0);
    if ((lats[0] as number) < 0 && (lats[1] as number) > 0) lats.push(0);
    const values = lats.flatMap((lat) => {
      const k = metersPerDegree(Math.max(-90, Math.min(90, lat)));
      return [k.x / kx0, k.y / ky0];
    });
    ratios[2 * row] = Math.min(...values) * (1 - RELATIVE_SLACK);
    ratios[2 * row + 1] = Math.max(...values) * (1 + RELATIVE_SLACK);
  }
  return ratios;
}

/** Each piece's box in the frame: minX, minY, maxX, maxY. */
function pieceBoxes(e: Float64Array): Float64Array {
  const boxes = new Float64Array(e.length);
  for (let i = 0; i < e.length; i += 4) {
    boxes[i] = Math.min(e[i] as number, e[i + 2] as number);
    boxes[i + 1] = Math.min(e[i + 1] as number, e[i + 3] as number);
    boxes[i + 2] = Math.max(e[i] as number, e[i + 2] as number);
    boxes[i + 3] = Math.max(e[i + 1] as number, e[i + 3] as number);
  }
  return boxes;
}

/** Per piece, the cells within the reach of its box (plus one): c0, r0, c1, r1. */
function pieceRanges(
  frame: Pick<GridFrame, 'ends' | 'size' | 'reach' | 'margin' | 'cols' | 'rows'>,
  count: number,
): Int32Array {
  const { ends: e, size } = frame;
  const grow = frame.reach + frame.margin;
  const ranges = new Int32Array(4 * count);
  for (let p = 0; p < count; p++) {
    const [ax, ay, bx, by] = [
      e[4 * p] as number,
      e[4 * p + 1] as number,
      e[4 * p + 2] as number,
      e[4 * p + 3] as number,
    ];
    ranges[4 * p] = Math.max(0, Math.floor((Math.min(ax, bx) - grow) / size) - 1);
    ranges[4 * p + 1] = Math.max(0, Math.floor((Math.min(ay, by) - grow) / size) - 1);
    ranges[4 * p + 2] = Math.min(frame.cols - 1, Math.floor((Math.max(ax, bx) + grow) / size) + 1);
    ranges[4 * p + 3] = Math.min(frame.rows - 1, Math.floor((Math.max(ay, by) + grow) / size) + 1);
  }
  return ranges;
}

/**
 * The frame of a piece grid over `count` pieces (ax, ay, bx, by in lon/lat in `coords`) scaled by kx0,
 * ky0 metres per degree: the cell size (see the budgets above), the origin and extent, and per piece
 * and per row what the build needs.
 *
 * @example
 * const frame = chooseGridFrame(coords, coords.length / 4, kx0, ky0, 5_000);
 * frame.size; // cell side in frame metres
 */
export function chooseGridFrame(
  coords: Float64Array,
  count: number,
  kx0: number,
  ky0: number,
  reach: number,
  reachCells = REACH_CELLS,
): GridFrame {
  let [minX, minY, maxX, maxY, length] = [Infinity, Infinity, -Infinity, -Infinity, 0];
  const ends = new Float64Array(4 * count);
  for (let i = 0; i < 4 * count; i += 2) {
    ends[i] = (coords[i] as number) * kx0;
    ends[i + 1] = (coords[i + 1] as number) * ky0;
    [minX, maxX] = [Math.min(minX, ends[i] as number), Math.max(maxX, ends[i] as number)];
    [minY, maxY] = [Math.min(minY, ends[i + 1] as number), Math.max(maxY, ends[i + 1] as number)];
  }
  for (let p = 0; p < count; p++) {
    const dx = (ends[4 * p + 2] as number) - (ends[4 * p] as number);
    const dy = (ends[4 * p + 3] as number) - (ends[4 * p + 1] as number);
    length += Math.sqrt(dx * dx + dy * dy);
  }
  const budget = Math.min(CELL_BUDGET, CELLS_PER_PIECE * count);
  const size = Math.max(
    Math.sqrt(((length + 2 * reach) * 2 * reach) / budget),
    reach / reachCells,
    2 * reach * Math.sqrt(count / VISIT_BUDGET),
    Math.sqrt(((maxX - minX + 2 * reach) * (maxY - minY + 2 * reach)) / MAX_CELLS),
    1e-3,
  );
  const [originX, originY] = [minX - reach - 2 * size, minY - reach - 2 * size];
  for (let i = 0; i < 4 * count; i += 2) {
    ends[i] = (ends[i] as number) - originX;
    ends[i + 1] = (ends[i + 1] as number) - originY;
  }
  const cols = Math.ceil((maxX - minX + 2 * reach + 4 * size) / size);
  const rows = Math.ceil((maxY - minY + 2 * reach + 4 * size) / size);
  const margin = 1e-4 + size * RELATIVE_SLACK;
  const frame = { ends, size, margin, reach, originX, originY, cols, rows, boxes: pieceBoxes(ends) };
  const withRanges = { ...frame, ranges: pieceRanges(frame, count) };
  return { ...withRanges, ratios: rowRatios(withRanges, kx0, ky0) };
}
