// Point location in a polygon layer (grids, areas, sectors): which feature holds a point.
import Flatbush from 'flatbush';
import type { Locator, PolygonLayer } from './types';
import { buildCellIndex, CROWDED_CELL, EMPTY_CELL, LIST_CELL } from './build-cell-index';
import { edgeCrossing } from './edge-crossing';
import { flatFeatureContains } from './flat-feature-contains';
import { flattenPolygons } from './flatten-polygons';
import { EDGE_COUNT_SPAN } from './pack-cell-lists';

/** A flatbush tree over the non-empty feature boxes, and the feature index of each tree item. */
function buildFeatureTree(boxes: Float64Array): { tree: Flatbush | null; featureOf: number[] } {
  const featureOf: number[] = [];
  for (let b = 0; b < boxes.length; b += 4)
    if ((boxes[b] as number) <= (boxes[b + 2] as number)) featureOf.push(b / 4);
  if (featureOf.length === 0) return { tree: null, featureOf };
  const tree = new Flatbush(featureOf.length);
  for (const f of featureOf) {
    const box = boxes.subarray(f * 4, f * 4 + 4);
    tree.add(box[0] as number, box[1] as number, box[2], box[3]);
  }
  tree.finish();
  return { tree, featureOf };
}

/**
 * Answers a list cell: its items in order, each a polygon's folded parity plus its live edges along
 * the item's ray (reflected at build time, so the point is reflected the same way here). Returns the
 * feature of the first item that holds the point, or −1.
 */
function searchList(lists: Float64Array, at: number, x: number, y: number): number {
  for (;;) {
    const header = lists[at] as number;
    const code = (header / EDGE_COUNT_SPAN) | 0;
    const end = at + 1 + 4 * (header - code * EDGE_COUNT_SPAN);
    const direction = (code >> 2) & 3;
    const u = direction === 0 ? x : direction === 1 ? -x : direction === 2 ? y : -y;
    const v = direction < 2 ? y : x;
    let crossings = code >> 1;
    for (at++; at < end; at += 4) {
      const c = edgeCrossing(
        lists[at] as number,
        lists[at + 1] as number,
        lists[at + 2] as number,
        lists[at + 3] as number,
        u,
        v,
      );
      if (c < 0) return code >>> 4;
      crossings += c;
    }
    if ((crossings & 1) === 1) return code >>> 4;
    if ((code & 1) === 1) return -1;
  }
}

/**
 * Builds a locator for a Polygon/MultiPolygon layer (holes supported). `locate` returns the id
 * (`feature.id`, else `properties.id`) of the feature whose closed polygon holds the point, or null.
 *
 * The rule for points on a boundary: a polygon holds its boundary (as in Turf), and when several
 * features hold a point — an edge or vertex shared by neighbouring grids, or overlapping features —
 * the one with the lowest index in the collection wins. So the answer is always the first feature,
 * in input order, for which `turf.booleanPointInPolygon` is true.
 *
 * How: the polygons are packed into Float64Arrays; a uniform cell grid lists per cell only the
 * polygons whose boundary passes near it, each with the few edges that matter in that cell stored
 * inline (one contiguous read), and a cell wholly inside a feature answers without any test. A flatbush tree over the feature boxes
 * answers in the rare cells crowded with candidates.
 * Throws a TypeError if a feature has no id (run `validateLayer` first).
 *
 * @example
 * const locator = createLocator(grids);
 * locator.locate(106.7512, 22.1034); // 'grid-017' or null outside every grid
 */
export function createLocator(layer: PolygonLayer): Locator {
  const flat = flattenPolygons(layer);
  const cells = buildCellIndex(flat);
  const { minX, minY, maxX, maxY, cols, rows, invCellWidth, invCellHeight } = cells;
  const { cellValue, lists } = cells;
  const ids = flat.ids;
  const { tree, featureOf } = buildFeatureTree(flat.featureBoxes);
  const locateInTree = (lon: number, lat: number): string | null => {
    let best = -1;
    for (const k of tree?.search(lon, lat, lon, lat) ?? []) {
      const f = featureOf[k] as number;
      if ((best === -1 || f < best) && flatFeatureContains(flat, f, lon, lat)) best = f;
    }
    return best === -1 ? null : (ids[best] as string);
  };

  const locate = (lon: number, lat: number): string | null => {
    if (!(lon >= minX && lon <= maxX && lat >= minY && lat <= maxY)) return null;
    const col = Math.min(cols - 1, ((lon - minX) * invCellWidth) | 0);
    const row = Math.min(rows - 1, ((lat - minY) * invCellHeight) | 0);
    const cell = row * cols + col;
    const value = cellValue[cell] as number;
    if (value >= 0) return ids[value] as string;
    if (value === EMPTY_CELL) return null;
    if (value === CROWDED_CELL) return locateInTree(lon, lat);
    const f = searchList(lists, LIST_CELL - value, lon, lat);
    return f < 0 ? null : (ids[f] as string);
  };
  return { locate };
}
