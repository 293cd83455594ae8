// The Pingxiang border line: the stretch of the 凭祥市 outline that faces Vietnam, found as the longest run
// of outline vertices lying within a few km of the Natural Earth China–Vietnam boundary. Ordered west to
// east along the boundary (as China's boundary markers are numbered): from the northern end, south past
// 友谊关, then east.
import type { Polygon, Position } from 'geojson';
import { samePos } from './geometry';
import { distanceKm, lineLengthKm } from './linear';

export interface BorderOptions {
  /** Outline vertices within this distance of the Natural Earth line count as border-facing. */
  thresholdKm: number;
  /** Shorter runs of farther vertices between border-facing ones are bridged. */
  maxGapVertices: number;
}

export const BORDER_DEFAULTS: BorderOptions = { thresholdKm: 5, maxGapVertices: 20 };

function distanceToLinesKm(p: Position, lines: readonly Position[][]): number {
  return Math.min(...lines.map((l) => distanceKm(p, l)));
}

export function extractBorderLine(
  outline: Polygon,
  neLines: readonly Position[][],
  options: BorderOptions = BORDER_DEFAULTS,
): Position[] {
  const closed = outline.coordinates[0] ?? [];
  const ring = samePos(closed[0], closed[closed.length - 1]) ? closed.slice(0, -1) : closed.slice();
  const n = ring.length;
  const near = ring.map((p) => distanceToLinesKm(p, neLines) <= options.thresholdKm);
  if (near.every(Boolean)) throw new Error('the whole outline is near the boundary');
  // start the circular scan just after the longest stretch of far vertices, so that no run wraps around
  let start = 0;
  let longest = 0;
  for (let i = 0; i < n; i++) {
    if (near[i] || !near[(i + 1) % n]) continue; // i: the last far vertex of a stretch
    let len = 0;
    while (len < n && !near[(i - len + n) % n]) len++;
    if (len > longest) {
      longest = len;
      start = (i + 1) % n;
    }
  }
  const order = Array.from({ length: n }, (_, i) => (start + i) % n);
  const runs: [number, number][] = []; // [first, last] positions in `order`
  let gap = Infinity;
  order.forEach((idx, k) => {
    if (!near[idx]) {
      gap++;
      return;
    }
    const last = runs[runs.length - 1];
    if (last && gap <= options.maxGapVertices) last[1] = k;
    else runs.push([k, k]);
    gap = 0;
  });
  let best: Position[] = [];
  for (const [a, b] of runs) {
    const coords = order.slice(a, b + 1).map((i) => ring[i] as Position);
    if (lineLengthKm(coords) > lineLengthKm(best)) best = coords;
  }
  if (best.length < 2) throw new Error('no part of the outline is near the boundary');
  const first = best[0] as Position;
  const last = best[best.length - 1] as Position;
  // begin at the northern end (the boundary arrives there from the west)
  if ((first[1] as number) < (last[1] as number)) best.reverse();
  return best.map((p) => [p[0] as number, p[1] as number]);
}
