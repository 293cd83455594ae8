// GeoJSON geometry → Well-Known Text, for CSV export that GIS tools (QGIS, PostGIS) read back.
import type { Geometry, Position } from 'geojson';

function position(p: Position): string {
  return p.map((n) => String(n)).join(' ');
}

function ring(positions: Position[]): string {
  return `(${positions.map(position).join(', ')})`;
}

function polygon(rings: Position[][]): string {
  return `(${rings.map(ring).join(', ')})`;
}

/**
 * Writes a geometry as WKT, coordinates unrounded.
 * @example
 * toWkt({ type: 'Point', coordinates: [106.7, 21.98] }); // 'POINT (106.7 21.98)'
 */
export function toWkt(geometry: Geometry | null): string {
  if (!geometry) return '';
  switch (geometry.type) {
    case 'Point':
      return `POINT (${position(geometry.coordinates)})`;
    case 'MultiPoint':
      return `MULTIPOINT (${geometry.coordinates.map((p) => `(${position(p)})`).join(', ')})`;
    case 'LineString':
      return `LINESTRING ${ring(geometry.coordinates)}`;
    case 'MultiLineString':
      return `MULTILINESTRING (${geometry.coordinates.map(ring).join(', ')})`;
    case 'Polygon':
      return `POLYGON ${polygon(geometry.coordinates)}`;
    case 'MultiPolygon':
      return `MULTIPOLYGON (${geometry.coordinates.map(polygon).join(', ')})`;
    case 'GeometryCollection':
      return `GEOMETRYCOLLECTION (${geometry.geometries.map(toWkt).join(', ')})`;
  }
}
