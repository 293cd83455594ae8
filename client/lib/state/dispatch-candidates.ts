// Whom an incident can be dispatched to: its grid's 7+X roster (the role routing would pick first), and the
// live units nearest to it (on duty before stale, then by distance).
import type { IncidentCategory, UnitState } from '../../../server/contract';
import { distanceMeters } from '../../../geo';
import type { StaffMember } from './places';

/** The roles routing tries first for a category (docs/closed-loop.md, "Routing"). */
export const CATEGORY_ROLES: Record<IncidentCategory, readonly string[]> = {
  dispute: ['judicial_officer', 'grid_manager'],
  public_order: ['police_officer'],
  smuggling: ['police_officer'],
  illegal_crossing: ['police_officer'],
  fire: ['firefighter'],
  safety: ['firefighter', 'supervisor'],
  environment: ['supervisor'],
  food_drug: ['supervisor'],
  petition: ['party_secretary'],
  other: ['grid_manager'],
};

/** The roster with the category's roles first (in routing order), the rest as listed. */
export function rosterFor(category: IncidentCategory, staff: readonly StaffMember[]): StaffMember[] {
  const roles = CATEGORY_ROLES[category];
  const rank = (m: StaffMember): number => {
    const at = roles.indexOf(m.role);
    return at === -1 ? roles.length : at;
  };
  return staff
    .map((member, i) => ({ member, i }))
    .sort((a, b) => rank(a.member) - rank(b.member) || a.i - b.i)
    .map((x) => x.member);
}

export interface NearbyUnit {
  unit: UnitState;
  meters: number;
}

/** Ahead in the list: on duty before stale, then nearer. */
const ahead = (a: NearbyUnit, b: NearbyUnit): boolean =>
  a.unit.stale !== b.unit.stale ? !a.unit.stale : a.meters < b.meters;

/** The `limit` best units in one pass (no sort of every unit: the wall may hold tens of thousands). */
export function nearestUnits(all: Iterable<UnitState>, lon: number, lat: number, limit = 20): NearbyUnit[] {
  const best: NearbyUnit[] = [];
  for (const unit of all) {
    const row = { unit, meters: distanceMeters(lon, lat, unit.lon, unit.lat) };
    if (best.length === limit && !ahead(row, best[limit - 1]!)) continue;
    let at = best.length;
    while (at > 0 && ahead(row, best[at - 1]!)) at--;
    best.splice(at, 0, row);
    if (best.length > limit) best.pop();
  }
  return best;
}
