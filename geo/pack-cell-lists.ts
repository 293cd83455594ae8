// Packs each cell's polygon tests into one Float64Array, live edges inline, for cache-friendly lookups.
import type { FlatPolygons } from './types';
import type { CellLists, Pairs } from './build-cell-index';

/** Edge count of an item header: header mod 2^24; the rest (header / 2^24) is the item's code. */
export const EDGE_COUNT_SPAN = 16_777_216;

/** Item code: feature · 16 + ray direction · 4 + parity · 2 + (1 on the cell's last item). */
function code(feature: number, direction: number, parity: number, last: boolean): number {
  return feature * 16 + direction * 4 + parity * 2 + (last ? 1 : 0);
}

/** Writes the edge from vertex v to v + 1 at `at`, reflected for the ray (see `RayDirection`). */
function writeEdge(out: Float64Array, at: number, coords: Float64Array, v: number, direction: number): void {
  const swap = direction >= 2;
  const sign = direction === 1 || direction === 3 ? -1 : 1;
  const ux = swap ? 1 : 0;
  out[at] = sign * (coords[2 * v + ux] as number);
  out[at + 1] = coords[2 * v + 1 - ux] as number;
  out[at + 2] = sign * (coords[2 * v + 2 + ux] as number);
  out[at + 3] = coords[2 * v + 3 - ux] as number;
}

function itemLength(pairs: Pairs, item: number): number {
  return item < 0
    ? 1
    : 1 + 4 * ((pairs.edgeStarts[item + 1] ?? pairs.edges.length) - (pairs.edgeStarts[item] as number));
}

/**
 * Packs every cell list with more than one item or with a polygon to test (single "wholly inside"
 * cells need none) into one Float64Array. Per item: a header (edge count + 2^24 · code, see `code`),
 * then the item's live edges as x1, y1, x2, y2 already reflected for its ray, so a lookup reads one
 * contiguous run instead of chasing indices. A "wholly inside feature f" item is f with parity 1 and
 * no edges. `starts.get(cell)` is where the cell's first item is; cells not packed have no entry.
 *
 * @example
 * const { lists, starts } = packCellLists(flat, cellLists, pairs);
 * lists[starts.get(cell)]; // header of the cell's first item
 */
export function packCellLists(
  flat: FlatPolygons,
  lists: CellLists,
  pairs: Pairs,
): { lists: Float64Array; starts: Map<number, number> } {
  if (flat.ids.length >= 1 << 25) throw new RangeError('too many features for one locator (2^25)');
  const starts = new Map<number, number>();
  const cells = [...lists.keys()].sort((a, b) => a - b);
  let total = 0;
  for (const cell of cells) {
    const list = lists.get(cell) as number[];
    if (list.length === 1 && (list[0] as number) < 0) continue;
    starts.set(cell, total);
    for (const item of list) total += itemLength(pairs, item);
  }
  const out = new Float64Array(total);
  for (const [cell, start] of starts) {
    const list = lists.get(cell) as number[];
    let at = start;
    list.forEach((item, k) => {
      const last = k === list.length - 1;
      if (item < 0) {
        out[at++] = code(-item - 1, 0, 1, last) * EDGE_COUNT_SPAN;
        return;
      }
      const [from, to] = [pairs.edgeStarts[item] as number, pairs.edgeStarts[item + 1] ?? pairs.edges.length];
      if (to - from >= EDGE_COUNT_SPAN) throw new RangeError('too many edges of one polygon in one cell');
      const direction = pairs.direction[item] as number;
      const header = code(pairs.feature[item] as number, direction, pairs.parity[item] as number, last);
      out[at++] = header * EDGE_COUNT_SPAN + (to - from);
      for (let e = from; e < to; e++, at += 4)
        writeEdge(out, at, flat.coords, pairs.edges[e] as number, direction);
    });
  }
  return { lists: out, starts };
}
