// Land boundaries between the basemap's countries: the ring edges with another country just outside them (coasts
// have water there, the extent's clip edges nothing). Found by probing, not by matching vertices: the clipping that
// puts 藏南 in China noded China's and India's sides of that line differently.
import type { Feature, Position } from 'geojson';
import { createLocator } from '../../geo/create-locator';
import { chainEdges, vertexKey } from './basemap-mesh';
import { polygonsOf, type Area } from './geometry';

/** How far outside an edge's midpoint to probe, in degrees (~20 m): past the output rounding, inside any neighbour. */
const PROBE_DEG = 2e-4;

export interface Boundaries {
  /** Lines along China's land boundary. */
  china: Position[][];
  /** Lines between two other countries, each drawn once. */
  other: Position[][];
}

/** The country just outside edge a→b of a ring wound per RFC 7946 (outside is on the right), or null. */
function outsideOf(
  a: Position,
  b: Position,
  locate: (lon: number, lat: number) => string | null,
): string | null {
  const [ax, ay] = a as [number, number];
  const [bx, by] = b as [number, number];
  const len = Math.hypot(bx - ax, by - ay);
  if (len === 0) return null;
  return locate((ax + bx) / 2 + ((by - ay) / len) * PROBE_DEG, (ay + by) / 2 - ((bx - ax) / len) * PROBE_DEG);
}

export function landBoundaries(
  countries: readonly Feature<Area, { id: string }>[],
  chinaId: string,
): Boundaries {
  const locator = createLocator({ type: 'FeatureCollection', features: [...countries] });
  const locate = (lon: number, lat: number): string | null => locator.locate(lon, lat);
  const china: [string, string][] = [];
  const other: [string, string][] = [];
  for (const country of countries) {
    const own = country.properties.id;
    for (const ring of polygonsOf(country.geometry).flat())
      for (let i = 1; i < ring.length; i++) {
        const a = ring[i - 1] as Position;
        const b = ring[i] as Position;
        const neighbour = outsideOf(a, b, locate);
        if (neighbour === null || neighbour === own) continue;
        const edge: [string, string] = [vertexKey(a), vertexKey(b)];
        // China's side draws its boundary; between two others, the side with the smaller id draws it
        if (own === chinaId) china.push(edge);
        else if (neighbour !== chinaId && own < neighbour) other.push(edge);
      }
  }
  return { china: chainEdges(china), other: chainEdges(other) };
}
