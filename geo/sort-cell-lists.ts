// Orders each cell's candidates by their distance from the cell's centre, so a query can stop early.
import type { GridFrame } from './choose-grid-frame';
import { pointToSegment } from './point-to-segment';

/** Cells per block side (as in build-piece-grid). */
const BLOCK_BITS = 3;
const BLOCK = 1 << BLOCK_BITS;
/** Shaved off each stored distance so rounding can only make the bound looser. */
const ABSOLUTE_SLACK = 1e-6;
const RELATIVE_SLACK = 1e-12;

/**
 * Sorts every list (count-prefixed runs in `pieces`, found through `blocks` and `cellLists`) by the frame
 * distance from the cell's centre to the piece, ascending (ties by piece), and returns those distances,
 * slightly rounded down, aligned with `pieces` (0 at each count). A query at frame distance e from the centre
 * then knows every later piece is at least (distance − e) away in the frame, and can stop once that, scaled
 * to local metres, exceeds the best it has.
 *
 * @example
 * const centreDistances = sortCellLists(frame, blocks, blockCols, cellLists, pieces);
 */
export function sortCellLists(
  frame: Pick<GridFrame, 'ends' | 'size' | 'rows'>,
  blocks: Int32Array,
  blockCols: number,
  cellLists: Int32Array,
  pieces: Int32Array,
): Float64Array {
  const { ends: e, size } = frame;
  const distances = new Float64Array(pieces.length);
  for (let b = 0; b < blocks.length; b++) {
    const base = blocks[b] as number;
    if (base < 0) continue;
    const [row0, col0] = [Math.floor(b / blockCols) * BLOCK, (b % blockCols) * BLOCK];
    for (let k = 0; k < BLOCK * BLOCK; k++) {
      const start = cellLists[base + k] as number;
      if (start === undefined || start < 0) continue;
      const cx = (col0 + (k & (BLOCK - 1)) + 0.5) * size;
      const cy = (row0 + (k >> BLOCK_BITS) + 0.5) * size;
      const count = pieces[start] as number;
      // Insertion sort in place: lists are short (tens of pieces).
      for (let i = start + 1; i <= start + count; i++) {
        const p = pieces[i] as number;
        const [ax, ay, bx, by] = [
          e[4 * p] as number,
          e[4 * p + 1] as number,
          e[4 * p + 2] as number,
          e[4 * p + 3] as number,
        ];
        const d = pointToSegment(cx, cy, ax, ay, bx, by) * (1 - RELATIVE_SLACK) - ABSOLUTE_SLACK;
        let j = i;
        for (; j > start + 1; j--) {
          const [dj, pj] = [distances[j - 1] as number, pieces[j - 1] as number];
          if (dj < d || (dj === d && pj < p)) break;
          distances[j] = dj;
          pieces[j] = pj;
        }
        distances[j] = d;
        pieces[j] = p;
      }
    }
  }
  return distances;
}
