// Pure builders from unit states to GeoJSON features and MapLibre source diffs.
import type { Feature, Point } from 'geojson';
import type { GeoJSONSourceDiff } from 'maplibre-gl';
import type { UnitState } from '../../../server/contract';
import type { Drained } from '../state/pending-changes';
import { toDisplayPosition } from './basemap-gcj02';
import { unitIconName } from './unit-icons';

/** gcj02Display: the basemap is GCJ-02, so the point is shifted to sit on it (display only). */
export function toUnitFeature(unit: UnitState, gcj02Display = false): Feature<Point> {
  return {
    type: 'Feature',
    id: unit.id,
    geometry: { type: 'Point', coordinates: toDisplayPosition(unit.lon, unit.lat, gcj02Display) },
    properties: {
      kind: unit.kind,
      callsign: unit.callsign,
      stale: unit.stale,
      icon: unitIconName(unit.kind, unit.stale),
      headingDeg: unit.headingDeg ?? 0,
      jointPatrolId: unit.jointPatrolId,
    },
  };
}

/** A diff for updateData; a reset (snapshot) clears the source first. */
export function toUnitDiff(changes: Drained<UnitState>, gcj02Display = false): GeoJSONSourceDiff {
  return {
    ...(changes.reset ? { removeAll: true } : {}),
    remove: changes.remove,
    add: changes.upsert.map((unit) => toUnitFeature(unit, gcj02Display)),
  };
}
