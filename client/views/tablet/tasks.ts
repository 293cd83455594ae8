// My tasks: which incidents are mine (the server's isAssignedTo, mirrored), the REST list merged with the live
// stream, and the moves the field may make from each status (the server's FIELD_MOVES and state machine).
import type { Incident, IncidentStatus, User } from '../../../server/contract';

/** Open statuses a field worker still acts on or waits on (server/http/tablet-routes.ts TASK_STATUSES). */
export const TASK_STATUSES: readonly IncidentStatus[] = [
  'reported',
  'accepted',
  'dispatched',
  'in_progress',
  'resolved',
];

export function isMyTask(incident: Incident, user: User): boolean {
  const a = incident.assignee;
  if (!a) return false;
  if (a.type === 'user') return a.id === user.id;
  if (a.type === 'staff') return user.role === 'staff' && a.id === user.staffId;
  return user.role === 'leader' && a.id === user.unitId;
}

/**
 * The REST list (loaded now and then) with the live stream's newer versions laid over it; incidents the stream
 * brought that are mine join, those no longer mine or no longer open leave. Most urgent first: work in
 * progress, then dispatched, then the rest, each newest first.
 */
export function mergeTasks(
  fetched: readonly Incident[],
  streamed: readonly Incident[],
  user: User,
): Incident[] {
  const byId = new Map(fetched.map((incident) => [incident.id, incident]));
  for (const incident of streamed) {
    const known = byId.get(incident.id);
    if (!known || incident.updatedAt >= known.updatedAt) byId.set(incident.id, incident);
  }
  const rank = (s: IncidentStatus): number =>
    ['in_progress', 'dispatched', 'reported', 'accepted', 'resolved'].indexOf(s);
  return [...byId.values()]
    .filter((incident) => isMyTask(incident, user) && TASK_STATUSES.includes(incident.status))
    .sort((a, b) => rank(a.status) - rank(b.status) || b.updatedAt - a.updatedAt);
}

export interface FieldMove {
  to: IncidentStatus;
  /** The one big button for the usual next step; others are smaller. */
  primary: boolean;
  /** Resolving asks for a note and (optionally) a photo first. */
  needsNote: boolean;
}

/**
 * What the assignee may do from a status: accept a reported incident; start work on a dispatched one (or hand
 * it back); resolve one in progress. Accepted and resolved wait for the command center.
 */
export function fieldMoves(status: IncidentStatus): FieldMove[] {
  switch (status) {
    case 'reported':
      return [{ to: 'accepted', primary: true, needsNote: false }];
    case 'dispatched':
      return [
        { to: 'in_progress', primary: true, needsNote: false },
        { to: 'accepted', primary: false, needsNote: true },
      ];
    case 'in_progress':
      return [{ to: 'resolved', primary: true, needsNote: true }];
    case 'accepted':
    case 'resolved':
    case 'verified':
    case 'closed':
    case 'rejected':
      return [];
  }
}
