// Display-only datum shift for GCJ-02 basemaps: our data stays WGS-84; features are shifted as they are handed to
// the map, and positions read back from the map (clicks, queried features) are shifted back.
import type { Geometry, Position } from 'geojson';
import { gcj02ToWgs84, wgs84ToGcj02 } from '../../../geo';

/** A WGS-84 [lon, lat] as the map should draw it: shifted to GCJ-02 when the basemap is GCJ-02, else unchanged. */
export function toDisplayPosition(lon: number, lat: number, gcj02Display: boolean): [number, number] {
  return gcj02Display ? wgs84ToGcj02(lon, lat) : [lon, lat];
}

/** The inverse, for a position read from the map (a click, a rendered feature) before it goes to the server. */
export function fromDisplayPosition(lon: number, lat: number, gcj02Display: boolean): [number, number] {
  return gcj02Display ? gcj02ToWgs84(lon, lat) : [lon, lat];
}

function shiftPositions<T>(coords: T, shift: (p: Position) => Position): T {
  if (Array.isArray(coords) && typeof coords[0] === 'number') return shift(coords as Position) as T;
  return (coords as unknown[]).map((c) => shiftPositions(c, shift)) as T;
}

/** A geometry for display; a new object when shifted, the same one when not (no copy on WGS-84 basemaps). */
export function toDisplayGeometry<G extends Geometry>(geometry: G, gcj02Display: boolean): G {
  if (!gcj02Display) return geometry;
  const shift = (p: Position): Position => [...wgs84ToGcj02(p[0] as number, p[1] as number), ...p.slice(2)];
  if (geometry.type === 'GeometryCollection')
    return { ...geometry, geometries: geometry.geometries.map((g) => toDisplayGeometry(g, true)) };
  return { ...geometry, coordinates: shiftPositions(geometry.coordinates, shift) };
}

/** Every feature of a collection for display (StaticLayer's data before addSource / setData). */
export function toDisplayCollection<C extends { features: { geometry: Geometry | null }[] }>(
  collection: C,
  gcj02Display: boolean,
): C {
  if (!gcj02Display) return collection;
  return {
    ...collection,
    features: collection.features.map((f) =>
      f.geometry ? { ...f, geometry: toDisplayGeometry(f.geometry, true) } : f,
    ),
  };
}
