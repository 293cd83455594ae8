// Commands on an existing incident: status transitions, escalation, mediation outcome, reporter feedback.
import type {
  Assignee,
  AssigneeRef,
  FeedbackInput,
  Incident,
  IncidentAuditEntry,
  IncidentTransition,
  MediationInput,
  User,
} from '../contract';
import { ApiError } from '../http/errors';
import { deadlineFor } from './deadlines';
import { canSee, isCommand, mayHandle, refuseMove } from './incident-access';
import { actorOf, auditEntry, nextUpdatedAt, type IncidentDeps } from './incident-audit';
import { describeMoves, isAllowedMove, isOpen, nextLevel } from './incident-machine';

/** The incident if the user may see it; 404 otherwise (its existence is not disclosed). */
export async function visibleIncident(deps: IncidentDeps, user: User, id: string): Promise<Incident> {
  const incident = await deps.store.incidents.byId(id);
  if (!incident || !canSee(user, incident, deps.router()))
    throw new ApiError('not_found', `no incident ${id}`);
  return incident;
}

/** Stores the change if nobody changed the incident meanwhile (409 conflict otherwise), then tells listeners. */
async function commit(
  deps: IncidentDeps,
  before: Incident,
  next: Incident,
  audit: IncidentAuditEntry[],
): Promise<Incident> {
  if (!(await deps.store.incidents.update(next, before.updatedAt, audit)))
    throw new ApiError('conflict', `incident ${before.id} was changed meanwhile; reload and retry`);
  deps.changed(next);
  return next;
}

async function resolveAssignee(deps: IncidentDeps, ref: AssigneeRef): Promise<Assignee> {
  const name =
    ref.type === 'staff'
      ? deps.router().staff(ref.id)?.name
      : ref.type === 'unit'
        ? (await deps.store.units.byId(ref.id))?.callsign
        : (await deps.store.users.byId(ref.id))?.username;
  if (name === undefined) throw new ApiError('invalid', `assignee: no ${ref.type} ${ref.id}`);
  return { type: ref.type, id: ref.id, name };
}

export async function transition(
  deps: IncidentDeps,
  user: User,
  id: string,
  body: IncidentTransition,
): Promise<Incident> {
  const incident = await visibleIncident(deps, user, id);
  const refusal = refuseMove(user, incident, body.to);
  if (refusal) throw new ApiError('forbidden', refusal);
  if (body.assignee && !isCommand(user)) throw new ApiError('forbidden', 'only the command center assigns');
  if (!isAllowedMove(incident.status, body.to))
    throw new ApiError(
      'illegal_transition',
      `cannot move ${incident.status} → ${body.to}: ${describeMoves(incident.status)}`,
    );
  const assignee = body.assignee ? await resolveAssignee(deps, body.assignee) : incident.assignee;
  if (body.to === 'dispatched' && !assignee)
    throw new ApiError('invalid', 'assignee: dispatching needs an assignee (staff, unit or user)');
  const t = deps.now();
  const reassigned = assignee?.id !== incident.assignee?.id || assignee?.type !== incident.assignee?.type;
  const next: Incident = {
    ...incident,
    status: body.to,
    assignee,
    deadlineAt: deadlineFor(deps.deadlines, incident.category, body.to, t),
    updatedAt: nextUpdatedAt(incident, t),
  };
  const note =
    reassigned && assignee ? `${body.note} [指派 ${assignee.type} ${assignee.name}]`.trim() : body.note;
  const audit = auditEntry(
    incident,
    actorOf(user),
    t,
    'transition',
    { from: incident.status, to: body.to },
    note,
  );
  return commit(deps, incident, next, [audit]);
}

export async function escalate(deps: IncidentDeps, user: User, id: string, note: string): Promise<Incident> {
  const incident = await visibleIncident(deps, user, id);
  if (!mayHandle(user, incident))
    throw new ApiError('forbidden', 'only the assignee or the command center escalates');
  if (!isOpen(incident.status))
    throw new ApiError(
      'illegal_transition',
      `escalation is only from an open status; ${incident.status} is final`,
    );
  const up = nextLevel(incident.level);
  if (!up)
    throw new ApiError('illegal_transition', `already at ${incident.level}, the top level: no escalation`);
  const t = deps.now();
  const next: Incident = { ...incident, level: up, updatedAt: nextUpdatedAt(incident, t) };
  const area = deps.router().areaAt(incident.gridId, up);
  const audit = auditEntry(
    incident,
    actorOf(user),
    t,
    'escalated',
    { fromLevel: incident.level, toLevel: up },
    area ? `${note} [→ ${area.name}]`.trim() : note,
  );
  return commit(deps, incident, next, [audit]);
}

export async function mediate(
  deps: IncidentDeps,
  user: User,
  id: string,
  input: MediationInput,
): Promise<Incident> {
  const incident = await visibleIncident(deps, user, id);
  if (!mayHandle(user, incident))
    throw new ApiError('forbidden', 'only the assignee or the command center mediates');
  if (incident.category !== 'dispute')
    throw new ApiError('conflict', `mediation is recorded for disputes; this is ${incident.category}`);
  if (!isOpen(incident.status)) throw new ApiError('conflict', `incident ${id} is ${incident.status}`);
  const t = deps.now();
  const mediation = { ...input, by: user.username, at: t };
  const next: Incident = { ...incident, mediation, updatedAt: nextUpdatedAt(incident, t) };
  const outcome = `${input.kind} mediation: ${input.settled ? 'settled' : 'not settled'}`;
  const audit = auditEntry(incident, actorOf(user), t, 'mediation', {}, `${outcome}. ${input.note}`.trim());
  return commit(deps, incident, next, [audit]);
}

export async function recordFeedback(
  deps: IncidentDeps,
  user: User,
  id: string,
  input: FeedbackInput,
): Promise<Incident> {
  const incident = await visibleIncident(deps, user, id);
  if (!isCommand(user)) throw new ApiError('forbidden', 'the command center records the reporter’s feedback');
  if (incident.status !== 'verified' && incident.status !== 'closed')
    throw new ApiError('conflict', `feedback is taken at close; incident ${id} is ${incident.status}`);
  const t = deps.now();
  const feedback = { ...input, by: user.username, at: t };
  const next: Incident = { ...incident, feedback, updatedAt: nextUpdatedAt(incident, t) };
  const note = `satisfaction ${input.satisfaction}/5. ${input.note}`.trim();
  const audit = auditEntry(incident, actorOf(user), t, 'feedback', {}, note);
  return commit(deps, incident, next, [audit]);
}
