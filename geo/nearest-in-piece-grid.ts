// The nearest piece to a point from a piece grid's candidate list.
import type { PieceGrid } from './build-piece-grid';
import { closestOnSegment } from './closest-on-segment';

/**
 * The nearest piece to (lon, lat) among the candidates of the grid cell holding it, measured in local
 * metres (kx, ky metres per degree at the point) — the same measure and tie rule as the tree search
 * (lowest feature, then lowest piece, on equal distances) — or −2 when the cell has no list (too far
 * from the lines, or outside the grid). `coords` holds ax, ay, bx, by per piece; `feature` its line.
 *
 * @example
 * const p = nearestInPieceGrid(grid, coords, feature, 106.75, 22.1, k.x, k.y); // −2: ask the tree
 */
export function nearestInPieceGrid(
  grid: PieceGrid,
  coords: Float64Array,
  feature: Uint32Array,
  lon: number,
  lat: number,
  kx: number,
  ky: number,
): number {
  const col = Math.floor((lon * grid.kx0 - grid.originX) * grid.inverseSize);
  const row = Math.floor((lat * grid.ky0 - grid.originY) * grid.inverseSize);
  if (!(col >= 0 && row >= 0 && col < grid.cols && row < grid.rows)) return -2;
  const base = grid.blocks[(row >> 3) * grid.blockCols + (col >> 3)] as number;
  if (base < 0) return -2;
  const start = grid.cellLists[base + ((row & 7) << 3) + (col & 7)] as number;
  if (start < 0) return -2;
  const c = coords;
  let [best, bestDistance] = [-1, Infinity];
  for (let k = start + 1, end = k + (grid.pieces[start] as number); k < end; k++) {
    const p = grid.pieces[k] as number;
    const [ax, ay, bx, by] = [
      c[4 * p] as number,
      c[4 * p + 1] as number,
      c[4 * p + 2] as number,
      c[4 * p + 3] as number,
    ];
    const t = closestOnSegment(lon, lat, ax, ay, bx, by, kx, ky);
    const dx = ((t === 0 ? ax : t === 1 ? bx : ax + t * (bx - ax)) - lon) * kx;
    const dy = ((t === 0 ? ay : t === 1 ? by : ay + t * (by - ay)) - lat) * ky;
    const d = Math.sqrt(dx * dx + dy * dy);
    if (d < bestDistance || (d === bestDistance && (feature[p] as number) < (feature[best] as number))) {
      best = p;
      bestDistance = d;
    }
  }
  return best;
}
