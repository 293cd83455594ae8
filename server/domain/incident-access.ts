// Who may see and move which incidents: operators everything (in their area), staff and leaders their own.
// The same scopes, extended, decide which alerts, reports and posts a user sees.
import type { AlertRecord, Incident, IncidentStatus, User } from '../contract';
import type { AlertScope, IncidentScope } from '../store/store';
import type { PostInfo } from './posts';
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

// ── Alerts, reports and posts: the incident scope plus the user's unit, segments, grid and recipient ids ──

/** The grids a staff member or an area operator answers for (their area, or the grid itself). */
function gridsOf(user: User, router: Router): string[] {
  return user.areaId && (user.role === 'staff' || user.role === 'operator')
    ? router.gridsUnder(user.areaId)
    : [];
}

/** Which alerts a list shows the user: null = everything. */
export function alertScopeOf(user: User, router: Router): AlertScope | null {
  const incidents = scopeOf(user, router);
  if (incidents === null) return null;
  const gridIds = gridsOf(user, router);
  const unitIds = user.role === 'leader' && user.unitId ? [user.unitId] : [];
  const recipients: AlertScope['recipients'] = unitIds.map((id) => ({ type: 'unit' as const, id }));
  if (user.role === 'staff' && user.staffId) recipients.push({ type: 'staff', id: user.staffId });
  const segmentIds =
    user.role === 'leader' ? user.segmentIds : router.segmentsIn(gridIds).map((segment) => segment.id);
  return { gridIds, segmentIds, unitIds, recipients, incidents };
}

/** The same rule as alertScopeOf, for one alert (`incident` is the alert's incident, when it has one). */
export function canSeeAlert(
  user: User,
  alert: AlertRecord,
  router: Router,
  incident: Incident | null,
): boolean {
  const scope = alertScopeOf(user, router);
  if (scope === null) return true;
  const segmentId = typeof alert.data.segmentId === 'string' ? alert.data.segmentId : null;
  return (
    (alert.gridId !== null && scope.gridIds.includes(alert.gridId)) ||
    (segmentId !== null && scope.segmentIds.includes(segmentId)) ||
    (alert.unitId !== null && scope.unitIds.includes(alert.unitId)) ||
    alert.recipients.some((r) => scope.recipients.some((w) => w.type === r.type && w.id === r.id)) ||
    (incident !== null && canSee(user, incident, router))
  );
}

/** Which road-chief reports a list shows: null = all; else those on these segments or filed by the user. */
export function reportScopeOf(user: User, router: Router): { segmentIds: string[]; userId: string } | null {
  if (user.role === 'admin' || (user.role === 'operator' && user.areaId === null)) return null;
  const segmentIds =
    user.role === 'leader' ? user.segmentIds : router.segmentsIn(gridsOf(user, router)).map((s) => s.id);
  return { segmentIds, userId: user.id };
}

/**
 * Who may check a post in, raise its alarm and read its check-ins: the command center, the road chief of
 * the post's segment (on their tablet), and the staff of the post's grid.
 */
export function mayActForPost(user: User, post: PostInfo, router: Router): boolean {
  if (user.role === 'admin' || (user.role === 'operator' && user.areaId === null)) return true;
  if (user.role === 'leader') return post.segmentId !== null && user.segmentIds.includes(post.segmentId);
  return post.gridId !== null && gridsOf(user, router).includes(post.gridId);
}
