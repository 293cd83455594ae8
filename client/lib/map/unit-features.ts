// Pure builders from the unit table to GeoJSON features and MapLibre source diffs (the symbol path, for a
// few thousand units at most: every feature handed to a GeoJSON source is re-tiled by its worker).
import type { Feature, FeatureCollection, Point } from 'geojson';
import type { GeoJSONSourceDiff } from 'maplibre-gl';
import type { UnitKind } from '../../../server/contract';
import { KINDS_BY_CODE, LIVE, STALE, type UnitTable } from '../state/unit-table';
import { toDisplayPosition } from './basemap-gcj02';
import { HEADING_ICON, HEADING_ICON_STALE, unitIconName } from './unit-icons';

export interface UnitFeatureProperties {
  kind: UnitKind;
  callsign: string;
  stale: boolean;
  icon: string;
  /** Degrees clockwise from north; null when the unit reported none (no chevron then). */
  headingDeg: number | null;
  headingIcon: string;
  jointPatrolId: string | null;
}

/** The feature of the unit in `slot`, or null when the slot is empty. */
export function unitFeatureAt(
  table: UnitTable,
  slot: number,
  gcj02Display = false,
): Feature<Point, UnitFeatureProperties> | null {
  const meta = table.meta[slot];
  const flags = table.flags[slot] as number;
  if (!meta || !(flags & LIVE)) return null;
  const stale = (flags & STALE) !== 0;
  const kind = KINDS_BY_CODE[table.kind[slot] as number] as UnitKind;
  const heading = table.headingAt(slot);
  return {
    type: 'Feature',
    id: meta.id,
    geometry: {
      type: 'Point',
      coordinates: toDisplayPosition(table.lonAt(slot), table.latAt(slot), gcj02Display),
    },
    properties: {
      kind,
      callsign: meta.callsign,
      stale,
      icon: unitIconName(kind, stale),
      headingDeg: Number.isNaN(heading) ? null : heading,
      headingIcon: stale ? HEADING_ICON_STALE : HEADING_ICON,
      jointPatrolId: meta.jointPatrolId,
    },
  };
}

/** Which unit id each slot holds in the source, so a freed or reused slot removes the right feature. */
export type DrawnIds = Map<number, string>;

/** Every unit, and `drawn` refilled to match. */
export function unitCollection(table: UnitTable, drawn: DrawnIds, gcj02Display = false): FeatureCollection {
  drawn.clear();
  const features: Feature[] = [];
  for (let slot = 0; slot < table.highWater; slot++) {
    const feature = unitFeatureAt(table, slot, gcj02Display);
    if (!feature) continue;
    features.push(feature);
    drawn.set(slot, feature.id as string);
  }
  return { type: 'FeatureCollection', features };
}

/** The diff that brings the source from `sinceVersion` to the table's version; null when nothing changed. */
export function unitDiffSince(
  table: UnitTable,
  sinceVersion: number,
  drawn: DrawnIds,
  gcj02Display = false,
): GeoJSONSourceDiff | null {
  const add: Feature[] = [];
  const remove: string[] = [];
  for (let slot = 0; slot < table.highWater; slot++) {
    if (table.changedAt(slot) <= sinceVersion) continue;
    const was = drawn.get(slot);
    const feature = unitFeatureAt(table, slot, gcj02Display);
    if (was !== undefined && was !== feature?.id) {
      remove.push(was);
      drawn.delete(slot);
    }
    if (feature) {
      add.push(feature);
      drawn.set(slot, feature.id as string);
    }
  }
  return add.length === 0 && remove.length === 0 ? null : { remove, add };
}
