// At low zoom units are counted, not drawn: one cell per ~80 screen pixels (fixed on the ground for a zoom
// level, so panning does not reshuffle counts), each with its counts by kind, placed at its units' mean.
import type { FeatureCollection, Point } from 'geojson';
import { LIVE, STALE, type UnitTable } from '../../state/unit-table';
import { toDisplayPosition } from '../basemap-gcj02';

export interface UnitCell {
  lon: number;
  lat: number;
  military: number;
  police: number;
  civilian: number;
  /** Stale units of any kind (counted here, not under their kind, as in the unit counts). */
  stale: number;
  total: number;
}

/** MapLibre tiles are 512 px: the world is 512 · 2^zoom px wide. */
const WORLD_PX = 512;
export const CELL_PX = 80;

/**
 * The cell size in degrees at a zoom level (its integer part: cells change only when the level does) and
 * latitude: as wide as CELL_PX on screen, and as high, since Mercator stretches latitude by sec(latitude).
 */
export function cellSize(zoom: number, latitude: number, cellPx = CELL_PX): { lon: number; lat: number } {
  const lon = (cellPx * 360) / (WORLD_PX * 2 ** Math.floor(zoom));
  return { lon, lat: lon * Math.cos((Math.max(-85, Math.min(85, latitude)) * Math.PI) / 180) };
}

/** Counts the table's units per cell; cells in first-seen order. */
export function aggregateUnits(table: UnitTable, size: { lon: number; lat: number }): UnitCell[] {
  const cells: UnitCell[] = [];
  const indexOf = new Map<number, number>();
  for (let slot = 0; slot < table.highWater; slot++) {
    const flags = table.flags[slot] as number;
    if (!(flags & LIVE)) continue;
    const lon = table.lon[slot] as number;
    const lat = table.lat[slot] as number;
    // A numeric key (no string per unit): columns and rows within ±2^24 (cells ≥ 0.00002° cover the world).
    const key =
      (Math.floor(lon / size.lon) + 0x1000000) * 0x2000000 + (Math.floor(lat / size.lat) + 0x1000000);
    let index = indexOf.get(key);
    if (index === undefined) {
      index = cells.length;
      indexOf.set(key, index);
      cells.push({ lon: 0, lat: 0, military: 0, police: 0, civilian: 0, stale: 0, total: 0 });
    }
    const cell = cells[index] as UnitCell;
    cell.lon += lon;
    cell.lat += lat;
    cell.total++;
    if (flags & STALE) cell.stale++;
    else {
      const kind = table.kind[slot];
      if (kind === 0) cell.military++;
      else if (kind === 1) cell.police++;
      else cell.civilian++;
    }
  }
  for (const cell of cells) {
    cell.lon /= cell.total;
    cell.lat /= cell.total;
  }
  return cells;
}

export function cellCollection(cells: UnitCell[], gcj02Display = false): FeatureCollection<Point> {
  return {
    type: 'FeatureCollection',
    features: cells.map((cell, index) => {
      const { lon, lat, ...counts } = cell;
      return {
        type: 'Feature',
        id: index,
        geometry: { type: 'Point', coordinates: toDisplayPosition(lon, lat, gcj02Display) },
        properties: counts,
      };
    }),
  };
}
