// The size of a typical feature of a polygon layer, for choosing a grid's cell size.
import type { FlatPolygons } from './types';

/**
 * The median area of a flattened layer's feature bounding boxes (square degrees); 0 for an empty layer.
 *
 * @example
 * medianBoxArea(flattenPolygons(grids)); // about 1e-4 for cells of 0.01°
 */
export function medianBoxArea(flat: FlatPolygons): number {
  const boxes = flat.featureBoxes;
  const areas: number[] = [];
  for (let b = 0; b < boxes.length; b += 4) {
    const area =
      ((boxes[b + 2] as number) - (boxes[b] as number)) *
      ((boxes[b + 3] as number) - (boxes[b + 1] as number));
    if (area > 0) areas.push(area);
  }
  areas.sort((a, b) => a - b);
  return areas[areas.length >> 1] ?? 0;
}
