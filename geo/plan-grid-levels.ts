// Which candidate grids a line index keeps: the fine one near the lines, coarser ones farther out.
import type { PieceGrid } from './build-piece-grid';

/** Default reach of the coarse grids, for points far from the lines (a district, a province). */
export const FAR_GRID_METERS = 150_000;
/**
 * The coarse grids: one reaching this fraction of `farGridMeters` and one reaching all of it, each with
 * cells of about 1/32 of its reach (lists stay short for points several cells from the lines).
 */
const FAR_LEVEL_FRACTIONS = [1 / 6, 1];
const FAR_REACH_CELLS = 32;

/** One candidate grid of a line index, built when first needed. */
export interface GridLevel {
  meters: number;
  /** Cells across the reach at most (smaller cells: shorter lists, a longer build); default when unset. */
  reachCells: number | undefined;
  grid: PieceGrid | null;
}

/**
 * The grids, finest first, each reaching farther than the one before: the fine grid to `gridMeters`
 * (none when 0), then the coarse ones up to `farGridMeters` (none when 0 or not beyond the fine one).
 *
 * @example
 * planGridLevels(5_000, 150_000).map((level) => level.meters); // [5000, 25000, 150000]
 */
export function planGridLevels(gridMeters: number, farGridMeters: number): GridLevel[] {
  const levels: GridLevel[] = [];
  if (gridMeters > 0) levels.push({ meters: gridMeters, reachCells: undefined, grid: null });
  for (const fraction of FAR_LEVEL_FRACTIONS) {
    const meters = farGridMeters * fraction;
    if (meters > (levels.at(-1)?.meters ?? 0))
      levels.push({ meters, reachCells: FAR_REACH_CELLS, grid: null });
  }
  return levels;
}
