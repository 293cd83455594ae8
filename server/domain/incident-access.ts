// Who may see and move which incidents: operators everything (in their area), staff and leaders their own.
import type { Incident, IncidentStatus, User } from '../contract';
import type { IncidentScope } from '../store/store';
import type { Router } from './routing';

/** Moves the assignee (staff or leader) may make on an incident dispatched to them. */
export const FIELD_MOVES: readonly IncidentStatus[] = ['accepted', 'in_progress', 'resolved'];

export function isCommand(user: User): boolean {
  return user.role === 'admin' || user.role === 'operator';
}

/** The incident is assigned to this staff member, this leader's unit, or this user by name. */
export function isAssignedTo(incident: Incident, user: User): boolean {
  const a = incident.assignee;
  if (!a) return false;
  if (a.type === 'user') return a.id === user.id;
  if (a.type === 'staff') return user.role === 'staff' && a.id === user.staffId;
  return user.role === 'leader' && a.id === user.unitId;
}

/** What a list shows the user: null = everything. */
export function scopeOf(user: User, router: Router): IncidentScope | null {
  if (user.role === 'admin') return null;
  if (user.role === 'operator') {
    if (user.areaId === null) return null;
    return { gridIds: router.gridsUnder(user.areaId), assignees: [], createdBy: user.id, segmentIds: [] };
  }
  const assignees: IncidentScope['assignees'] = [{ type: 'user', id: user.id }];
  if (user.role === 'staff' && user.staffId) assignees.push({ type: 'staff', id: user.staffId });
  if (user.role === 'leader' && user.unitId) assignees.push({ type: 'unit', id: user.unitId });
  return {
    gridIds: user.role === 'staff' && user.areaId ? router.gridsUnder(user.areaId) : [],
    assignees,
    createdBy: user.id,
    segmentIds: user.role === 'leader' ? user.segmentIds : [],
  };
}

/** The same rule as scopeOf, for one incident. */
export function canSee(user: User, incident: Incident, router: Router): boolean {
  return inScope(user, scopeOf(user, router), incident);
}

/** canSee with the user's scope worked out once (the live stream checks many incidents per scope). */
export function inScope(user: User, scope: IncidentScope | null, incident: Incident): boolean {
  if (scope === null) return true;
  return (
    (incident.gridId !== null && scope.gridIds.includes(incident.gridId)) ||
    (incident.segmentId !== null && scope.segmentIds.includes(incident.segmentId)) ||
    incident.createdBy === user.id ||
    isAssignedTo(incident, user)
  );
}

/** Why the user may not make this move, or null when they may (the state machine is checked apart). */
export function refuseMove(user: User, incident: Incident, to: IncidentStatus): string | null {
  if (isCommand(user)) return null;
  if (!isAssignedTo(incident, user)) return 'only the assignee or the command center may move this incident';
  if (!FIELD_MOVES.includes(to)) return `the assignee may move it only to ${FIELD_MOVES.join(', ')}`;
  return null;
}

/** Escalating, and recording a mediation: the command center or the assignee. */
export function mayHandle(user: User, incident: Incident): boolean {
  return isCommand(user) || isAssignedTo(incident, user);
}
