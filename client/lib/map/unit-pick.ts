// Which unit was clicked: the nearest drawn unit within a few pixels, whichever way the units layer draws them
// (symbols, the WebGL layer, replay) — read from the unit table, since a custom layer has no features to query.
import type { Map as MapLibreMap } from 'maplibre-gl';
import { LIVE, type UnitTable } from '../state/unit-table';
import { toDisplayPosition } from './basemap-gcj02';

/** The id of the unit drawn nearest to the point, within `slop` pixels, or null. */
export function unitAt(
  map: MapLibreMap,
  table: UnitTable,
  point: { x: number; y: number },
  slop: number,
  gcj02Display: boolean,
): string | null {
  // Only units inside the click's box are projected: a click costs a pass over the table, not 50,000 projections.
  const a = map.unproject([point.x - slop, point.y - slop]);
  const b = map.unproject([point.x + slop, point.y + slop]);
  const west = Math.min(a.lng, b.lng);
  const east = Math.max(a.lng, b.lng);
  const south = Math.min(a.lat, b.lat);
  const north = Math.max(a.lat, b.lat);
  let best: string | null = null;
  let bestDistance = slop * slop;
  for (let slot = 0; slot < table.highWater; slot++) {
    if (!((table.flags[slot] as number) & LIVE)) continue;
    const [lon, lat] = toDisplayPosition(table.lonAt(slot), table.latAt(slot), gcj02Display);
    if (lon < west || lon > east || lat < south || lat > north) continue;
    const at = map.project([lon, lat]);
    const distance = (at.x - point.x) ** 2 + (at.y - point.y) ** 2;
    if (distance <= bestDistance) {
      bestDistance = distance;
      best = table.ids[slot] ?? null;
    }
  }
  return best;
}
