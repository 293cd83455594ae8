// At low zoom units are counted, not drawn: one cell per ~120 screen pixels (fixed on the ground for a zoom
// level, so panning does not reshuffle counts), each with its counts by kind, placed at its units' mean.
import type { FeatureCollection, Point } from 'geojson';
import { LIVE, POSITION_FIELDS as F, POSITION_STRIDE, STALE, type UnitTable } from '../../state/unit-table';
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
export const CELL_PX = 120;

/**
 * The cell size in degrees at a zoom level (its integer part: cells change only when the level does) and
 * latitude: as wide as CELL_PX on screen, and as high, since Mercator stretches latitude by sec(latitude).
 */
export function cellSize(zoom: number, latitude: number, cellPx = CELL_PX): { lon: number; lat: number } {
  const lon = (cellPx * 360) / (WORLD_PX * 2 ** Math.floor(zoom));
  return { lon, lat: lon * Math.cos((Math.max(-85, Math.min(85, latitude)) * Math.PI) / 180) };
}

/** Beyond this many cells in the units' bounding grid, cells are keyed in a Map instead of an array. */
const DENSE_CELLS = 1 << 22;

/** Counts the table's units per cell; cells in row-major order of the grid. */
export function aggregateUnits(table: UnitTable, size: { lon: number; lat: number }): UnitCell[] {
  const { pos, flags, kind } = table;
  // Pass 1: the grid the units span (typed arrays indexed by cell beat a Map keyed by cell at 50,000 units).
  let minCol = Infinity;
  let maxCol = -Infinity;
  let minRow = Infinity;
  let maxRow = -Infinity;
  for (let slot = 0; slot < table.highWater; slot++) {
    if (!((flags[slot] as number) & LIVE)) continue;
    const o = slot * POSITION_STRIDE;
    const col = Math.floor((pos[o + F.lon] as number) / size.lon);
    const row = Math.floor((pos[o + F.lat] as number) / size.lat);
    if (col < minCol) minCol = col;
    if (col > maxCol) maxCol = col;
    if (row < minRow) minRow = row;
    if (row > maxRow) maxRow = row;
  }
  if (minCol === Infinity) return [];
  const cols = maxCol - minCol + 1;
  const cellCount = cols * (maxRow - minRow + 1);
  if (cellCount > DENSE_CELLS) return aggregateSparse(table, size);
  const sumLon = new Float64Array(cellCount);
  const sumLat = new Float64Array(cellCount);
  // Per cell: military, police, civilian, stale.
  const counts = new Uint32Array(cellCount * 4);
  for (let slot = 0; slot < table.highWater; slot++) {
    const f = flags[slot] as number;
    if (!(f & LIVE)) continue;
    const x = pos[slot * POSITION_STRIDE + F.lon] as number;
    const y = pos[slot * POSITION_STRIDE + F.lat] as number;
    const cell = (Math.floor(y / size.lat) - minRow) * cols + (Math.floor(x / size.lon) - minCol);
    sumLon[cell] = (sumLon[cell] as number) + x;
    sumLat[cell] = (sumLat[cell] as number) + y;
    const counter = cell * 4 + (f & STALE ? 3 : (kind[slot] as number));
    counts[counter] = (counts[counter] as number) + 1;
  }
  const cells: UnitCell[] = [];
  for (let cell = 0; cell < cellCount; cell++) {
    const at = cell * 4;
    const military = counts[at] as number;
    const police = counts[at + 1] as number;
    const civilian = counts[at + 2] as number;
    const stale = counts[at + 3] as number;
    const total = military + police + civilian + stale;
    if (total === 0) continue;
    cells.push({
      lon: (sumLon[cell] as number) / total,
      lat: (sumLat[cell] as number) / total,
      military,
      police,
      civilian,
      stale,
      total,
    });
  }
  return cells;
}

/** The same counts keyed in a Map, for units spread over more cells than an array should hold. */
function aggregateSparse(table: UnitTable, size: { lon: number; lat: number }): UnitCell[] {
  const cells: UnitCell[] = [];
  const indexOf = new Map<number, number>();
  for (let slot = 0; slot < table.highWater; slot++) {
    const flags = table.flags[slot] as number;
    if (!(flags & LIVE)) continue;
    const lon = table.lonAt(slot);
    const lat = table.latAt(slot);
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

/** Same counts in every cell, and no cell moved by more than `tolerance` degrees. */
export function sameCells(a: readonly UnitCell[], b: readonly UnitCell[], tolerance: number): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as UnitCell;
    const y = b[i] as UnitCell;
    if (
      x.military !== y.military ||
      x.police !== y.police ||
      x.civilian !== y.civilian ||
      x.stale !== y.stale
    )
      return false;
    if (Math.abs(x.lon - y.lon) > tolerance || Math.abs(x.lat - y.lat) > tolerance) return false;
  }
  return true;
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
