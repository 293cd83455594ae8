// Incidents, alerts and joint patrols as they stood at a replayed instant, from what the REST API keeps:
// - incidents appear from createdAt; their status is exact when their last change (updatedAt) was before the
//   instant, and otherwise the current one (the list API has no status history, and reading each incident's
//   audit timeline would log a read of its reporter's details); one closed or rejected before the instant is
//   gone, as from a live snapshot;
// - alerts appear from t, unacknowledged until their acknowledgedAt (exact);
// - joint patrols from the joint.formed / joint.changed / joint.dissolved events (exact membership; placed at
//   their members' replayed positions when those are known).
import type { Alert, DomainEvent, Incident, JointPatrol } from '../../../server/contract';

const FINISHED = new Set<Incident['status']>(['closed', 'rejected']);

/** The latest change known to have happened by `at`: the last update if it was before, else the creation. */
function lastKnownChange(incident: Incident, at: number): number {
  return incident.updatedAt <= at ? incident.updatedAt : incident.createdAt;
}

/** Newest known change first, as the live list sorts by updatedAt. */
export function incidentsAt(incidents: readonly Incident[], at: number): Incident[] {
  return incidents
    .filter(
      (incident) => incident.createdAt <= at && !(incident.updatedAt <= at && FINISHED.has(incident.status)),
    )
    .sort((a, b) => lastKnownChange(b, at) - lastKnownChange(a, at));
}

export function alertsAt(alerts: readonly Alert[], at: number): Alert[] {
  return alerts
    .filter((alert) => alert.t <= at)
    .map((alert) =>
      alert.acknowledgedAt !== null && alert.acknowledgedAt > at
        ? { ...alert, acknowledgedAt: null, acknowledgedBy: null }
        : alert,
    )
    .sort((a, b) => b.t - a.t);
}

export const JOINT_PATROL_EVENTS = ['joint.formed', 'joint.changed', 'joint.dissolved'] as const;

function patrolOf(event: DomainEvent): JointPatrol | null {
  const patrol = event.data['patrol'] as JointPatrol | undefined;
  return patrol && typeof patrol.id === 'string' && Array.isArray(patrol.memberIds) ? patrol : null;
}

/** Patrols standing at `at`, from events in time order; `placeOf` gives a member's replayed position. */
export function jointPatrolsAt(
  events: readonly DomainEvent[],
  at: number,
  placeOf: (unitId: string) => { lon: number; lat: number } | undefined = () => undefined,
): JointPatrol[] {
  const standing = new Map<string, JointPatrol>();
  for (const event of events) {
    if (event.t > at) break;
    const patrol = patrolOf(event);
    if (!patrol) continue;
    if (event.type === 'joint.dissolved') standing.delete(patrol.id);
    else standing.set(patrol.id, patrol);
  }
  return [...standing.values()]
    .map((patrol) => {
      const places = patrol.memberIds.flatMap((id) => placeOf(id) ?? []);
      if (places.length === 0) return patrol;
      const lon = places.reduce((sum, p) => sum + p.lon, 0) / places.length;
      const lat = places.reduce((sum, p) => sum + p.lat, 0) / places.length;
      return { ...patrol, lon, lat };
    })
    .sort((a, b) => a.formedAt - b.formedAt);
}

/** True when two lists hold the same records in the same state (the timeline is then left as it is). */
export function sameRecords<T extends { id: string }>(
  a: readonly T[],
  b: readonly T[],
  state: (record: T) => unknown,
): boolean {
  if (a.length !== b.length) return false;
  return a.every((record, i) => {
    const other = b[i];
    return other !== undefined && record.id === other.id && state(record) === state(other);
  });
}
