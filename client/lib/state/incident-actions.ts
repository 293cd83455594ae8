// What the incident detail offers: the state machine's moves (DOMAIN.md; the server's copy is
// server/domain/incident-machine.ts, a test keeps the two equal) filtered by who is looking, plus escalate,
// mediation and feedback. The server decides; this only hides buttons it would refuse.
import type { Incident, IncidentStatus, User } from '../../../server/contract';

export const MOVES: Readonly<Record<IncidentStatus, readonly IncidentStatus[]>> = {
  reported: ['accepted', 'rejected'],
  accepted: ['dispatched'],
  dispatched: ['in_progress', 'accepted'],
  in_progress: ['resolved'],
  resolved: ['verified', 'in_progress'],
  verified: ['closed'],
  closed: [],
  rejected: [],
};

/** Moves an assignee in the field may make; everything else is the command center's. */
const FIELD_MOVES: readonly IncidentStatus[] = ['accepted', 'in_progress', 'resolved'];

/** A move named for what the operator does, since the same target status can mean two things. */
export type MoveName =
  | 'accept'
  | 'reject'
  | 'dispatch'
  | 'start'
  | 'handBack'
  | 'resolve'
  | 'verify'
  | 'failVerification'
  | 'close';

export type IncidentAction =
  | { kind: 'move'; name: MoveName; to: IncidentStatus }
  | { kind: 'escalate' }
  | { kind: 'mediation' }
  | { kind: 'feedback' };

export function moveName(from: IncidentStatus, to: IncidentStatus): MoveName {
  if (to === 'accepted') return from === 'dispatched' ? 'handBack' : 'accept';
  if (to === 'in_progress') return from === 'resolved' ? 'failVerification' : 'start';
  if (to === 'rejected') return 'reject';
  if (to === 'dispatched') return 'dispatch';
  if (to === 'resolved') return 'resolve';
  if (to === 'verified') return 'verify';
  return 'close';
}

export function isOpenStatus(status: IncidentStatus): boolean {
  return status !== 'closed' && status !== 'rejected';
}

type Viewer = Pick<User, 'id' | 'role' | 'unitId' | 'staffId'>;

export function isCommand(user: Viewer): boolean {
  return user.role === 'admin' || user.role === 'operator';
}

/** The same rule as the server's: staff by staffId, a leader by unitId, anyone named as a user. */
export function isAssignedTo(incident: Pick<Incident, 'assignee'>, user: Viewer): boolean {
  const a = incident.assignee;
  if (!a) return false;
  if (a.type === 'user') return a.id === user.id;
  if (a.type === 'staff') return user.role === 'staff' && a.id === user.staffId;
  return user.role === 'leader' && a.id === user.unitId;
}

/** The actions to show for this incident and viewer, in the order the buttons appear. */
export function allowedActions(
  incident: Pick<Incident, 'status' | 'assignee' | 'level' | 'category' | 'feedback'>,
  user: Viewer,
): IncidentAction[] {
  const command = isCommand(user);
  const assigned = isAssignedTo(incident, user);
  const actions: IncidentAction[] = MOVES[incident.status]
    .filter((to) => command || (assigned && FIELD_MOVES.includes(to)))
    .map((to) => ({ kind: 'move', name: moveName(incident.status, to), to }));
  const open = isOpenStatus(incident.status);
  if (open && (command || assigned) && incident.level !== 'city') actions.push({ kind: 'escalate' });
  if (open && (command || assigned) && incident.category === 'dispute') actions.push({ kind: 'mediation' });
  const feedbackTime = incident.status === 'verified' || incident.status === 'closed';
  if (command && feedbackTime && incident.feedback === null) actions.push({ kind: 'feedback' });
  return actions;
}
