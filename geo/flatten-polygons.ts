// Packs a polygon layer into flat typed arrays for fast point-in-polygon.
import type { FlatPolygons, PolygonLayer } from './types';
import type { Position } from 'geojson';
import { featureId } from './feature-id';

function polygonsOf(layer: PolygonLayer, index: number): Position[][][] {
  const geometry = layer.features[index]?.geometry;
  if (!geometry) return [];
  return geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
}

function growBox(box: Float64Array, at: number, x: number, y: number): void {
  if (x < (box[at] as number)) box[at] = x;
  if (y < (box[at + 1] as number)) box[at + 1] = y;
  if (x > (box[at + 2] as number)) box[at + 2] = x;
  if (y > (box[at + 3] as number)) box[at + 3] = y;
}

function emptyBoxes(count: number): Float64Array {
  const boxes = new Float64Array(count * 4);
  for (let i = 0; i < count; i++) boxes.set([Infinity, Infinity, -Infinity, -Infinity], i * 4);
  return boxes;
}

function countParts(layer: PolygonLayer): { polygons: number; rings: number; vertices: number } {
  let polygons = 0;
  let rings = 0;
  let vertices = 0;
  for (let f = 0; f < layer.features.length; f++) {
    for (const polygon of polygonsOf(layer, f)) {
      polygons++;
      rings += polygon.length;
      for (const ring of polygon) vertices += ring.length;
    }
  }
  return { polygons, rings, vertices };
}

/**
 * Flattens a Polygon/MultiPolygon layer: one Float64Array of ring vertices plus ring, polygon and
 * feature offsets and boxes. Throws a TypeError when a feature has no id (validate layers first).
 *
 * @example
 * const flat = flattenPolygons(grids);
 * flat.ids[0]; // id of the first grid
 */
export function flattenPolygons(layer: PolygonLayer): FlatPolygons {
  const count = countParts(layer);
  const n = layer.features.length;
  const flat: FlatPolygons = {
    coords: new Float64Array(count.vertices * 2),
    ringStarts: new Uint32Array(count.rings + 1),
    polygonRings: new Uint32Array(count.polygons + 1),
    polygonBoxes: emptyBoxes(count.polygons),
    featurePolygons: new Uint32Array(n + 1),
    featureBoxes: emptyBoxes(n),
    ids: [],
  };
  let vertex = 0;
  let ring = 0;
  let polygon = 0;
  for (let f = 0; f < n; f++) {
    const id = featureId(layer.features[f] as PolygonLayer['features'][number]);
    if (id === null) throw new TypeError(`feature ${f} has no id (feature.id or properties.id)`);
    flat.ids.push(id);
    for (const rings of polygonsOf(layer, f)) {
      for (const positions of rings) {
        for (const position of positions) {
          const x = position[0] as number;
          const y = position[1] as number;
          flat.coords[2 * vertex] = x;
          flat.coords[2 * vertex + 1] = y;
          growBox(flat.polygonBoxes, polygon * 4, x, y);
          growBox(flat.featureBoxes, f * 4, x, y);
          vertex++;
        }
        flat.ringStarts[++ring] = vertex;
      }
      flat.polygonRings[++polygon] = ring;
    }
    flat.featurePolygons[f + 1] = polygon;
  }
  return flat;
}
