// A sparse cell grid near polylines: per cell, the only pieces that can be nearest to a point in it.
import type { GridFrame } from './choose-grid-frame';
import { chooseGridFrame } from './choose-grid-frame';
import { pointToSegment } from './point-to-segment';
import { sortCellLists } from './sort-cell-lists';

/** Cells per block side: the grid is stored in blocks of 8 × 8 cells, only where lines pass. */
const BLOCK_BITS = 3;
const BLOCK = 1 << BLOCK_BITS;
const CELLS_PER_BLOCK = BLOCK * BLOCK;
/** Slack on the bounds: far above the rounding of the frame, far below a millimetre. */
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
  /** Lists: a count, then that many piece indices, nearest the cell's centre first (see sortCellLists). */
  pieces: Int32Array;
  /** Aligned with `pieces`: each candidate's frame distance from its cell's centre (rounded down). */
  centreDistances: Float64Array;
  /** Cell side in frame metres. */
  size: number;
  /** Per row, the lowest ratio of local metres (at any latitude of the row) to frame metres. */
  rowRatios: Float64Array;
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

/**
 * Writes into `span` the columns of `row` whose cells lie within the reach of piece p's box (the range
 * clipped to the reach's circle): [first, last], empty when first > last.
 */
function rowSpan(
  frame: GridFrame,
  ranges: Int32Array,
  boxes: Float64Array,
  p: number,
  row: number,
  span: Int32Array,
): void {
  const { size, margin } = frame;
  const y0 = row * size - margin;
  const gapY = Math.max(
    y0 - (boxes[4 * p + 3] as number),
    0,
    (boxes[4 * p + 1] as number) - y0 - size - 2 * margin,
  );
  const grow = Math.sqrt(Math.max(0, frame.reach * frame.reach - gapY * gapY)) + margin;
  span[0] = Math.max(ranges[4 * p] as number, Math.floor(((boxes[4 * p] as number) - grow) / size) - 1);
  span[1] = Math.min(
    ranges[4 * p + 2] as number,
    Math.floor(((boxes[4 * p + 2] as number) + grow) / size) + 1,
  );
}

/** Pass 1: per cell, an upper bound on the frame distance from any of its points to the lines. */
function upperBounds(
  grid: PieceGrid,
  frame: GridFrame,
  ranges: Int32Array,
  boxes: Float64Array,
  cells: number,
): Float64Array {
  const { ends: e, size, margin } = frame;
  const { blocks, blockCols } = grid;
  const halfDiagonal = Math.SQRT1_2 * (size + 2 * margin);
  const upper = new Float64Array(cells).fill(Infinity);
  const span = new Int32Array(2);
  for (let p = 0; p < ranges.length / 4; p++) {
    const [ax, ay, bx, by] = [
      e[4 * p] as number,
      e[4 * p + 1] as number,
      e[4 * p + 2] as number,
      e[4 * p + 3] as number,
    ];
    const [minX, minY, maxX, maxY] = [
      boxes[4 * p] as number,
      boxes[4 * p + 1] as number,
      boxes[4 * p + 2] as number,
      boxes[4 * p + 3] as number,
    ];
    for (let row = ranges[4 * p + 1] as number; row <= (ranges[4 * p + 3] as number); row++) {
      const rowBlocks = (row >> BLOCK_BITS) * blockCols;
      const rowCells = (row & (BLOCK - 1)) << BLOCK_BITS;
      const cy = (row + 0.5) * size;
      const gapY = Math.max(cy - maxY, 0, minY - cy);
      rowSpan(frame, ranges, boxes, p, row, span);
      for (let col = span[0] as number, last = span[1] as number; col <= last; col++) {
        const slot = (blocks[rowBlocks + (col >> BLOCK_BITS)] as number) + rowCells + (col & (BLOCK - 1));
        const cx = (col + 0.5) * size;
        const gapX = Math.max(cx - maxX, 0, minX - cx);
        const room = (upper[slot] as number) - halfDiagonal;
        if (gapX * gapX + gapY * gapY >= room * room && room >= 0) continue; // this piece cannot do better
        const d = pointToSegment(cx, cy, ax, ay, bx, by) + halfDiagonal;
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
function candidateLimits(grid: PieceGrid, frame: GridFrame, upper: Float64Array): Float64Array {
  const { ratios } = frame;
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
function candidateLists(
  grid: PieceGrid,
  frame: GridFrame,
  ranges: Int32Array,
  boxes: Float64Array,
  limit: Float64Array,
): void {
  const { ends: e, size, margin } = frame;
  const side = size + 2 * margin;
  const half = side / 2;
  const halfDiagonal = Math.SQRT1_2 * side;
  const { blocks, blockCols } = grid;
  const span = new Int32Array(2);
  const counts = new Int32Array(limit.length);
  let found = new Int32Array(1 << 16); // slot, piece, slot, piece, …
  let used = 0;
  for (let p = 0; p < ranges.length / 4; p++) {
    const [ax, ay, bx, by] = [
      e[4 * p] as number,
      e[4 * p + 1] as number,
      e[4 * p + 2] as number,
      e[4 * p + 3] as number,
    ];
    const [minX, minY, maxX, maxY] = [
      boxes[4 * p] as number,
      boxes[4 * p + 1] as number,
      boxes[4 * p + 2] as number,
      boxes[4 * p + 3] as number,
    ];
    for (let row = ranges[4 * p + 1] as number; row <= (ranges[4 * p + 3] as number); row++) {
      const y0 = row * size - margin;
      const gapY = Math.max(y0 - maxY, 0, minY - y0 - side);
      const rowBlocks = (row >> BLOCK_BITS) * blockCols;
      const rowCells = (row & (BLOCK - 1)) << BLOCK_BITS;
      rowSpan(frame, ranges, boxes, p, row, span);
      for (let col = span[0] as number, last = span[1] as number; col <= last; col++) {
        const slot = (blocks[rowBlocks + (col >> BLOCK_BITS)] as number) + rowCells + (col & (BLOCK - 1));
        const reach = limit[slot] as number;
        if (reach < 0) continue;
        const x0 = col * size - margin;
        const gapX = Math.max(x0 - maxX, 0, minX - x0 - side);
        if (gapX * gapX + gapY * gapY > reach * reach) continue; // the piece's box is already too far
        // A second lower bound, for slanted pieces whose box is much larger than they are.
        if (pointToSegment(x0 + half, y0 + half, ax, ay, bx, by) - halfDiagonal > reach) continue;
        counts[slot] = (counts[slot] as number) + 1;
        if (used === found.length) {
          const grown = new Int32Array(2 * found.length);
          grown.set(found);
          found = grown;
        }
        found[used++] = slot;
        found[used++] = p;
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
  for (let i = 0; i < used; i += 2) {
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
  reachCells?: number,
): PieceGrid {
  if (!(reachMeters > 0 && reachMeters < Infinity)) throw new RangeError(`reach must be positive and finite`);
  const frame = chooseGridFrame(coords, count, kx0, ky0, reachMeters, reachCells);
  const { originX, originY, cols, rows, size } = frame;
  const blockCols = Math.ceil(cols / BLOCK);
  const blocks = new Int32Array(blockCols * Math.ceil(rows / BLOCK)).fill(-1);
  const grid: PieceGrid = {
    ...{ kx0, ky0, originX, originY, inverseSize: 1 / size, cols, rows, blockCols, blocks },
    ...{
      cellLists: new Int32Array(0),
      pieces: new Int32Array(0),
      centreDistances: new Float64Array(0),
      size,
    },
    rowRatios: frame.ratios.filter((_, i) => i % 2 === 0),
  };
  const { ranges, boxes } = frame;
  const cells = placeBlocks(grid, ranges);
  const upper = upperBounds(grid, frame, ranges, boxes, cells);
  candidateLists(grid, frame, ranges, boxes, candidateLimits(grid, frame, upper));
  grid.centreDistances = sortCellLists(frame, blocks, blockCols, grid.cellLists, grid.pieces);
  return grid;
}
