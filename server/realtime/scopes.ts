// Who sees what on the live stream: a user's scope (the whole picture, an area's grids, a leader's unit and
// segments, a staff member's grid), the room it names, and where each live record is, to test against it.
import type { Alert, DomainEvent, Incident, JointPatrol, UnitState, User } from '../contract';
import { inScope, scopeOf } from '../domain/incident-access';
import type { Router } from '../domain/routing';
import type { IncidentScope } from '../store/store';

/** The whole picture: admins, and operators without an area. Names fixed since the first release. */
export const WHOLE_ROOM = 'all';
export const packedTwin = (room: string): string => `${room}:packed`;

export interface Scope {
  /**
   * The room's name. Operators of one area share its room: it sees the area. A leader's or staff member's
   * room is theirs alone: what is dispatched to them by name, or what they filed, is part of their
   * scope (incident-access), and those scopes are small. All of a user's sockets share their room.
   */
  room: string;
  whole: boolean;
  /** Whom the room sees as (for an area's shared room, an operator of the area with no claims of their own). */
  user: User;
  unitIds: ReadonlySet<string>;
  gridIds: ReadonlySet<string>;
  segmentIds: ReadonlySet<string>;
  /** incident-access's scope for this user, worked out once. */
  incidents: IncidentScope | null;
}

/** Where a live record is: the units it concerns and the grids and segments it lies in. */
export interface Place {
  everyone: boolean;
  unitIds: readonly string[];
  gridIds: readonly (string | null)[];
  segmentIds: readonly (string | null)[];
}

/** What the places of records are looked up in: the live units, the grids, the open incidents. */
export interface Whereabouts {
  unit(id: string): UnitState | undefined;
  gridAt(lon: number, lat: number): string | null;
  incident(id: string): Incident | undefined;
}

/** An alert as the live stream carries it: the closed loop's alerts also say what raised them. */
export type LiveAlert = Alert & { incidentId?: string | null; data?: Record<string, unknown> };

const EMPTY: ReadonlySet<string> = new Set();

/** The room key: the role, what the scope is built from (so an edited account gets a fresh room), the user. */
function roomOf(user: User): string {
  if (user.role === 'operator') return `area:${user.areaId ?? ''}`;
  if (user.role === 'leader')
    return `leader:${user.unitId ?? ''}+${[...user.segmentIds].sort().join('+')}@${user.id}`;
  return `${user.role}:${user.areaId ?? ''}+${user.staffId ?? ''}@${user.id}`;
}

/**
 * Whom a room sees as. An area's room is shared, so it sees as an operator of the area who created nothing
 * and holds nothing by name: the area's grids exactly (an operator's own incidents elsewhere are in
 * GET /api/incidents). A personal room sees as its user.
 */
function viewerOf(user: User): User {
  return user.role === 'operator' ? { ...user, id: '', username: '' } : user;
}

/** The user's scope with the grid hierarchy as the router knows it now (work it out again after a layer import). */
export function scopeFor(account: User, router: Router): Scope {
  const whole = scopeOf(account, router) === null;
  const user = whole ? account : viewerOf(account);
  const incidents = scopeOf(user, router);
  if (whole || incidents === null) {
    return {
      room: WHOLE_ROOM,
      whole: true,
      user,
      unitIds: EMPTY,
      gridIds: EMPTY,
      segmentIds: EMPTY,
      incidents: null,
    };
  }
  const leader = user.role === 'leader';
  return {
    room: roomOf(user),
    whole: false,
    user,
    unitIds: leader && user.unitId ? new Set([user.unitId]) : EMPTY,
    gridIds: new Set(incidents.gridIds),
    segmentIds: new Set(incidents.segmentIds),
    incidents,
  };
}

const has = (set: ReadonlySet<string>, id: string | null | undefined): boolean =>
  id !== null && id !== undefined && set.has(id);

export function seesUnit(scope: Scope, unit: Pick<UnitState, 'id' | 'gridId' | 'segmentId'>): boolean {
  return (
    scope.whole ||
    scope.unitIds.has(unit.id) ||
    has(scope.gridIds, unit.gridId) ||
    has(scope.segmentIds, unit.segmentId)
  );
}

export function seesIncident(scope: Scope, incident: Incident): boolean {
  return scope.whole || inScope(scope.user, scope.incidents, incident);
}

export function seesPlace(scope: Scope, place: Place): boolean {
  if (scope.whole || place.everyone) return true;
  return (
    place.unitIds.some((id) => scope.unitIds.has(id)) ||
    place.gridIds.some((id) => has(scope.gridIds, id)) ||
    place.segmentIds.some((id) => has(scope.segmentIds, id))
  );
}

/**
 * Builds a place. A record with a point is where its point is; one without is where its units are now
 * (an SOS from a unit in one area, filed at a point in another, belongs to the point's area).
 */
function placeOf(
  where: Whereabouts,
  unitIds: readonly (string | null | undefined)[],
  gridIds: (string | null)[],
  segmentIds: (string | null)[],
  points: readonly (readonly [unknown, unknown])[],
): Place {
  let located = false;
  for (const [lon, lat] of points) {
    if (typeof lon !== 'number' || typeof lat !== 'number') continue;
    gridIds.push(where.gridAt(lon, lat));
    located = true;
  }
  const units = unitIds.filter((id): id is string => typeof id === 'string');
  if (!located) {
    for (const id of units) {
      const unit = where.unit(id);
      if (unit) {
        gridIds.push(unit.gridId);
        segmentIds.push(unit.segmentId);
      }
    }
  }
  return { everyone: false, unitIds: units, gridIds, segmentIds };
}

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/** An alert is where its unit, its point, its segment and its incident are. */
export function alertPlace(where: Whereabouts, alert: LiveAlert): Place {
  const incident = alert.incidentId ? where.incident(alert.incidentId) : undefined;
  return placeOf(
    where,
    [alert.unitId],
    [incident?.gridId ?? null],
    [text(alert.data?.segmentId), incident?.segmentId ?? null],
    [[alert.lon, alert.lat]],
  );
}

/** An alert is seen where it is, and wherever its incident is seen. */
export function seesAlert(scope: Scope, places: Places, alert: LiveAlert): boolean {
  if (seesPlace(scope, places.alert(alert))) return true;
  const incident = alert.incidentId ? places.where.incident(alert.incidentId) : undefined;
  return incident !== undefined && seesIncident(scope, incident);
}

/** Events everybody needs whatever their scope (the map's layers changed). */
const FOR_EVERYONE = new Set(['layers.updated']);

/** An event is where its unit, its patrol's members, its segment, grid and point are; unplaced events
 * (an unknown device, say) are for the whole picture only. */
export function eventPlace(where: Whereabouts, event: DomainEvent): Place {
  if (FOR_EVERYONE.has(event.type)) return { everyone: true, unitIds: [], gridIds: [], segmentIds: [] };
  const data = event.data;
  const patrol = (typeof data.patrol === 'object' && data.patrol !== null ? data.patrol : {}) as Partial<
    Record<'memberIds' | 'lon' | 'lat', unknown>
  >;
  const members = Array.isArray(patrol.memberIds) ? (patrol.memberIds as unknown[]).map(text) : [];
  return placeOf(
    where,
    [event.unitId, ...members],
    [text(data.gridId)],
    [text(data.segmentId)],
    [
      [data.lon, data.lat],
      [patrol.lon, patrol.lat],
    ],
  );
}

/** A joint patrol is at its centre, and on the segments its members walk. */
export function patrolPlace(where: Whereabouts, patrol: JointPatrol): Place {
  const segments = patrol.memberIds.map((id) => where.unit(id)?.segmentId ?? null);
  return placeOf(where, patrol.memberIds, [], segments, [[patrol.lon, patrol.lat]]);
}

/** The places of one flush's records, each worked out once however many rooms ask. */
export interface Places {
  where: Whereabouts;
  alert(alert: LiveAlert): Place;
  event(event: DomainEvent): Place;
  patrol(patrol: JointPatrol): Place;
}

function memo<T extends { id: string }>(place: (record: T) => Place): (record: T) => Place {
  const known = new Map<string, Place>();
  return (record) => {
    let found = known.get(record.id);
    if (!found) known.set(record.id, (found = place(record)));
    return found;
  };
}

/** Places for one flush or one batch of snapshots (units move: never keep one longer). */
export function createPlaces(where: Whereabouts): Places {
  return {
    where,
    alert: memo((alert: LiveAlert) => alertPlace(where, alert)),
    event: memo((event: DomainEvent) => eventPlace(where, event)),
    patrol: memo((patrol: JointPatrol) => patrolPlace(where, patrol)),
  };
}
