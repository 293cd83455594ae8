// Pure builders from unit states to GeoJSON features and MapLibre source diffs.
import type { Feature, Point } from 'geojson';
import type { GeoJSONSourceDiff } from 'maplibre-gl';
import type { UnitState } from '../../../server/contract';
import type { Drained } from '../state/pending-changes';
import { unitIconName } from './unit-icons';

export function toUnitFeature(unit: UnitState): Feature<Point> {
  return {
    type: 'Feature',
    id: unit.id,
    geometry: { type: 'Point', coordinates: [unit.lon, unit.lat] },
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
export function toUnitDiff(changes: Drained<UnitState>): GeoJSONSourceDiff {
  return {
    ...(changes.reset ? { removeAll: true } : {}),
    remove: changes.remove,
    add: changes.upsert.map(toUnitFeature),
  };
}
