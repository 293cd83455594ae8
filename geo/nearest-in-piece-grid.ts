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
  const fx = lon * grid.kx0 - grid.originX;
  const fy = lat * grid.ky0 - grid.originY;
  const col = Math.floor(fx * grid.inverseSize);
  const row = Math.floor(fy * grid.inverseSize);
  if (!(col >= 0 && row >= 0 && col < grid.cols && row < grid.rows)) return -2;
  const base = grid.blocks[(row >> 3) * grid.blockCols + (col >> 3)] as number;
  if (base < 0) return -2;
  const start = grid.cellLists[base + ((row & 7) << 3) + (col & 7)] as number;
  if (start < 0) return -2;
  // Candidates come nearest the cell's centre first: one at centre distance D is at least D − e from the
  // point (e: the point's own distance from the centre), in local metres at least ratio × that.
  const ex = fx - (col + 0.5) * grid.size;
  const ey = fy - (row + 0.5) * grid.size;
  const e = Math.sqrt(ex * ex + ey * ey);
  const ratio = grid.rowRatios[row] as number;
  const { pieces, centreDistances } = grid;
  const c = coords;
  let [best, bestDistance] = [-1, Infinity];
  for (let k = start + 1, end = k + (pieces[start] as number); k < end; k++) {
    if (((centreDistances[k] as number) - e) * ratio > bestDistance) break;
    const p = pieces[k] as number;
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
    const f = feature[p] as number;
    const fBest = best < 0 ? Infinity : (feature[best] as number);
    if (d < bestDistance || (d === bestDistance && (f < fBest || (f === fBest && p < best)))) {
      best = p;
      bestDistance = d;
    }
  }
  return best;
}
