// A sparse cell grid near polylines: per cell, the only pieces that can be nearest to a point in it.
import { metersPerDegree } from './meters-per-degree';
import { pointToSegment } from './point-to-segment';
import { rectToSegment } from './rect-to-segment';

/** Cells per block side: the grid is stored in blocks of 8 × 8 cells, only where lines pass. */
const BLOCK_BITS = 3;
const BLOCK = 1 << BLOCK_BITS;
const CELLS_PER_BLOCK = BLOCK * BLOCK;
/**
 * The cell size keeps the build bounded whatever the lines: about this many cells within the reach
 * (fewer when there are few pieces), at most this many (cell, piece) visits while building, the
 * reach at most this many cells, and the block table at most this long.
 */
const CELL_BUDGET = 1 << 18;
const CELLS_PER_PIECE = 256;
const VISIT_BUDGET = 1 << 23;
const REACH_CELLS = 16;
const MAX_BLOCKS = 1 << 22;
/** Slack on every bound: far above the rounding of the frame, far below a millimetre. */
const RELATIVE_SLACK = 1e-9;
const ABSOLUTE_SLACK = 1e-6;

/**
 * Candidate lists near the lines. Coordinates are in a frame scaled to metres at the lines'
 * mid-latitude: X = lon · kx0 − originX, Y = lat · ky0 − originY; cell (col, row) covers
 * [col · size, (col + 1) · size) × [row · size, (row + 1) · size).
 */
export interface PieceGrid {
  kx0: number;
  ky0: number;
  originX: number;
  originY: number;
  /** 1 / cell size (cells per frame metre). */
  inverseSize: number;
  cols: number;
  rows: number;
  /** Blocks per row of blocks. */
  blockCols: number;
  /** Per block (row-major): its first cell in `cellLists`, or −1 where no line passes near. */
  blocks: Int32Array;
  /** Per cell of every stored block (row-major within it): where its list starts in `pieces`, or −1. */
  cellLists: Int32Array;
  /** Lists: a count, then that many piece indices in ascending order. */
  pieces: Int32Array;
}

/**
 * Per row: the lowest and highest ratio of true local metres (at any latitude of the row) to frame
 * metres, so that frame distances bound the distances a query measures at its own latitude.
 */
function rowRatios(grid: PieceGrid, size: number, margin: number): Float64Array {
  const ratios = new Float64Array(2 * grid.rows);
  for (let row = 0; row < grid.rows; row++) {
    const lats = [row * size - margin, (row + 1) * size + margin].map((y) => (y + grid.originY) / grid.ky0);
    if ((lats[0] as number) < 0 && (lats[1] as number) > 0) lats.push(0);
    const values = lats.flatMap((lat) => {
      const k = metersPerDegree(Math.max(-90, Math.min(90, lat)));
      return [k.x / grid.kx0, k.y / grid.ky0];
    });
    ratios[2 * row] = Math.min(...values) * (1 - RELATIVE_SLACK);
    ratios[2 * row + 1] = Math.max(...values) * (1 + RELATIVE_SLACK);
  }
  return ratios;
}

interface Frame {
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
}

function chooseFrame(coords: Float64Array, count: number, kx0: number, ky0: number, reach: number): Frame {
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
    reach / REACH_CELLS,
    2 * reach * Math.sqrt(count / VISIT_BUDGET),
    Math.sqrt(((maxX - minX + 2 * reach) * (maxY - minY + 2 * reach)) / (MAX_BLOCKS * CELLS_PER_BLOCK)),
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
  return { ends, size, margin, reach, originX, originY, cols, rows };
}

/** Per piece, the cells within the reach of its box (plus one): c0, r0, c1, r1. */
function pieceRanges(frame: Frame, count: number): Int32Array {
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

/** Stores the blocks any range touches (row-major); returns how many cells they hold. */
function placeBlocks(grid: PieceGrid, ranges: Int32Array): number {
  for (let i = 0; i < ranges.length; i += 4) {
    for (
      let br = (ranges[i + 1] as number) >> BLOCK_BITS;
      br <= (ranges[i + 3] as number) >> BLOCK_BITS;
      br++
    ) {
      for (
        let bc = (ranges[i] as number) >> BLOCK_BITS;
        bc <= (ranges[i + 2] as number) >> BLOCK_BITS;
        bc++
      ) {
        grid.blocks[br * grid.blockCols + bc] = 0;
      }
    }
  }
  let cells = 0;
  for (let b = 0; b < grid.blocks.length; b++) {
    if (grid.blocks[b] === -1) continue;
    grid.blocks[b] = cells;
    cells += CELLS_PER_BLOCK;
  }
  return cells;
}

/** Pass 1: per cell, an upper bound on the frame distance from any of its points to the lines. */
function upperBounds(grid: PieceGrid, frame: Frame, ranges: Int32Array, cells: number): Float64Array {
  const { ends: e, size, margin } = frame;
  const halfDiagonal = Math.SQRT1_2 * (size + 2 * margin);
  const upper = new Float64Array(cells).fill(Infinity);
  for (let p = 0; p < ranges.length / 4; p++) {
    const [ax, ay, bx, by] = [
      e[4 * p] as number,
      e[4 * p + 1] as number,
      e[4 * p + 2] as number,
      e[4 * p + 3] as number,
    ];
    for (let row = ranges[4 * p + 1] as number; row <= (ranges[4 * p + 3] as number); row++) {
      const rowBlocks = (row >> BLOCK_BITS) * grid.blockCols;
      const rowCells = (row & (BLOCK - 1)) << BLOCK_BITS;
      for (let col = ranges[4 * p] as number; col <= (ranges[4 * p + 2] as number); col++) {
        const slot =
          (grid.blocks[rowBlocks + (col >> BLOCK_BITS)] as number) + rowCells + (col & (BLOCK - 1));
        const d = pointToSegment((col + 0.5) * size, (row + 0.5) * size, ax, ay, bx, by) + halfDiagonal;
        if (d < (upper[slot] as number)) upper[slot] = d;
      }
    }
  }
  return upper;
}

/**
 * The largest frame distance a candidate may have, per cell, from its upper bound and the frame's
 * scale error over its row; −1 where that exceeds the reach (the cell then gets no list).
 */
function candidateLimits(grid: PieceGrid, frame: Frame, upper: Float64Array): Float64Array {
  const ratios = rowRatios(grid, frame.size, frame.margin);
  const limit = new Float64Array(upper.length).fill(-1);
  for (let b = 0; b < grid.blocks.length; b++) {
    const base = grid.blocks[b] as number;
    if (base < 0) continue;
    const row0 = Math.floor(b / grid.blockCols) * BLOCK;
    for (let k = 0; k < CELLS_PER_BLOCK && row0 + (k >> BLOCK_BITS) < grid.rows; k++) {
      const row = row0 + (k >> BLOCK_BITS);
      const bound = (ratios[2 * row + 1] as number) * (upper[base + k] as number) + ABSOLUTE_SLACK;
      const reach = (bound + ABSOLUTE_SLACK) / (ratios[2 * row] as number);
      if (reach <= frame.reach) limit[base + k] = reach;
    }
  }
  return limit;
}

/** Pass 2: each cell's candidates, as count-prefixed lists in ascending piece order. */
function candidateLists(grid: PieceGrid, frame: Frame, ranges: Int32Array, limit: Float64Array): void {
  const { ends: e, size, margin } = frame;
  const side = size + 2 * margin;
  const counts = new Int32Array(limit.length);
  const found: number[] = []; // slot, piece, slot, piece, …
  for (let p = 0; p < ranges.length / 4; p++) {
    const [ax, ay, bx, by] = [
      e[4 * p] as number,
      e[4 * p + 1] as number,
      e[4 * p + 2] as number,
      e[4 * p + 3] as number,
    ];
    const [minX, minY, maxX, maxY] = [Math.min(ax, bx), Math.min(ay, by), Math.max(ax, bx), Math.max(ay, by)];
    for (let row = ranges[4 * p + 1] as number; row <= (ranges[4 * p + 3] as number); row++) {
      const y0 = row * size - margin;
      const gapY = Math.max(y0 - maxY, 0, minY - y0 - side);
      const rowBlocks = (row >> BLOCK_BITS) * grid.blockCols;
      const rowCells = (row & (BLOCK - 1)) << BLOCK_BITS;
      for (let col = ranges[4 * p] as number; col <= (ranges[4 * p + 2] as number); col++) {
        const slot =
          (grid.blocks[rowBlocks + (col >> BLOCK_BITS)] as number) + rowCells + (col & (BLOCK - 1));
        const reach = limit[slot] as number;
        if (reach < 0) continue;
        const x0 = col * size - margin;
        const gapX = Math.max(x0 - maxX, 0, minX - x0 - side);
        if (gapX * gapX + gapY * gapY > reach * reach) continue; // the piece's box is already too far
        if (rectToSegment(x0, y0, x0 + side, y0 + side, ax, ay, bx, by) > reach) continue;
        counts[slot] = (counts[slot] as number) + 1;
        found.push(slot, p);
      }
    }
  }
  const lists = new Int32Array(limit.length).fill(-1);
  let total = 0;
  for (let slot = 0; slot < counts.length; slot++) {
    if (counts[slot] === 0) continue;
    lists[slot] = total;
    total += 1 + (counts[slot] as number);
  }
  const pieces = new Int32Array(total);
  const fill = new Int32Array(limit.length);
  for (let i = 0; i < found.length; i += 2) {
    const slot = found[i] as number;
    const start = lists[slot] as number;
    pieces[start] = counts[slot] as number;
    pieces[start + 1 + (fill[slot] as number)] = found[i + 1] as number;
    fill[slot] = (fill[slot] as number) + 1;
  }
  grid.cellLists = lists;
  grid.pieces = pieces;
}

/**
 * Builds candidate lists for nearest-piece queries within `reachMeters` of the pieces (ax, ay, bx, by
 * in lon/lat per piece in `coords`), in a frame of kx0, ky0 metres per degree. For each cell near the
 * lines, an upper bound U on the distance from any of its points to the lines is known (a piece's
 * distance from the cell centre plus half the diagonal); the list keeps every piece whose distance to
 * the cell is not above U, with the frame's scale error at the cell's latitudes and a slack on both
 * sides, so the nearest piece for any point in the cell — measured at the point's own latitude — is
 * always in it. Cells whose U exceeds the reach have no list (−1), nor have cells far from every line:
 * callers fall back to a tree search there.
 *
 * @example
 * const grid = buildPieceGrid(coords, coords.length / 4, kx0, ky0, 5_000);
 * // cell of (lon, lat): col = floor((lon · kx0 − originX) · inverseSize), row likewise
 */
export function buildPieceGrid(
  coords: Float64Array,
  count: number,
  kx0: number,
  ky0: number,
  reachMeters: number,
): PieceGrid {
  if (!(reachMeters > 0 && reachMeters < Infinity)) throw new RangeError(`reach must be positive and finite`);
  const frame = chooseFrame(coords, count, kx0, ky0, reachMeters);
  const { originX, originY, cols, rows, size } = frame;
  const blockCols = Math.ceil(cols / BLOCK);
  const blocks = new Int32Array(blockCols * Math.ceil(rows / BLOCK)).fill(-1);
  const grid: PieceGrid = {
    ...{ kx0, ky0, originX, originY, inverseSize: 1 / size, cols, rows, blockCols, blocks },
    ...{ cellLists: new Int32Array(0), pieces: new Int32Array(0) },
  };
  const ranges = pieceRanges(frame, count);
  const cells = placeBlocks(grid, ranges);
  const upper = upperBounds(grid, frame, ranges, cells);
  candidateLists(grid, frame, ranges, candidateLimits(grid, frame, upper));
  return grid;
}
