// The incident service: intake (routed, idempotent), audited reads, scoped lists, and the commands on one.
import type {
  FeedbackInput,
  Incident,
  IncidentAuditEntry,
  IncidentCategory,
  IncidentCreate,
  IncidentDetail,
  IncidentSource,
  IncidentTransition,
  MediationInput,
  Reporter,
  User,
} from '../contract';
import { ApiError } from '../http/errors';
import { ConflictError, type IncidentFilter } from '../store/store';
import { deadlineFor } from './deadlines';
import { scopeOf } from './incident-access';
import { actorOf, auditEntry, redact, requestHash, type Actor, type IncidentDeps } from './incident-audit';
import { escalate, mediate, recordFeedback, transition, visibleIncident } from './incident-commands';
import { escalateOverdue } from './incident-overdue';
import { nextId } from './incident-ids';
import { RoutingError, type Routed } from './routing';

export interface IncidentDraft {
  category: IncidentCategory;
  summary: string;
  description: string;
  source: IncidentSource;
  reporter: Reporter | null;
  routed: Routed;
  reportId: string | null;
}

export interface IncidentService {
  /** 201 with a new incident, or the same incident again for a retried idempotency key. */
  create(user: User, input: IncidentCreate): Promise<Incident>;
  /** A new incident and its first audit entry, not yet stored (road-chief reports store it with the report). */
  draft(draft: IncidentDraft, actor: Actor): { incident: Incident; audit: IncidentAuditEntry };
  get(user: User, id: string): Promise<IncidentDetail>;
  list(
    user: User,
    filter: Omit<IncidentFilter, 'scope'>,
  ): Promise<{ items: Incident[]; nextCursor: string | null }>;
  transition(user: User, id: string, body: IncidentTransition): Promise<Incident>;
  escalate(user: User, id: string, note: string): Promise<Incident>;
  mediate(user: User, id: string, input: MediationInput): Promise<Incident>;
  feedback(user: User, id: string, input: FeedbackInput): Promise<Incident>;
  /** Overdue incidents: a 督办 alert and one level up each; returns how many. */
  tick(now: number): Promise<number>;
}

function routeNote(routed: Routed): string {
  if (!routed.gridId) return 'outside every grid: routed to the city level (the linkage center)';
  if (!routed.assignee) return `grid ${routed.gridId} has no staff: routed to the community level`;
  return `routed to grid ${routed.gridId}: ${routed.assignee.name}`;
}

function draftIncident(deps: IncidentDeps, draft: IncidentDraft, actor: Actor) {
  const t = deps.now();
  const { routed } = draft;
  const incident: Incident = {
    id: nextId(t),
    category: draft.category,
    summary: draft.summary,
    description: draft.description,
    source: draft.source,
    reporter: draft.reporter,
    lon: routed.lon,
    lat: routed.lat,
    gridId: routed.gridId,
    sectorId: routed.sectorId,
    postId: routed.postId,
    segmentId: routed.segmentId,
    level: routed.level,
    status: 'reported',
    assignee: routed.assignee,
    deadlineAt: deadlineFor(deps.deadlines, draft.category, 'reported', t),
    createdAt: t,
    updatedAt: t,
    createdBy: actor.id,
    mediation: null,
    feedback: null,
    reportId: draft.reportId,
  };
  const fields = { to: 'reported', toLevel: routed.level } as const;
  return { incident, audit: auditEntry(incident, actor, t, 'created', fields, routeNote(routed)) };
}

/** The earlier answer for a retried key; 409 when the key came with another body. */
async function replay(deps: IncidentDeps, user: User, key: string, hash: string): Promise<Incident | null> {
  const prior = await deps.store.incidents.byIdempotencyKey(user.id, key);
  if (!prior) return null;
  if (prior.requestHash !== hash)
    throw new ApiError('conflict', `idempotency key ${key} was already used for another request`);
  return prior.incident;
}

function routeInput(deps: IncidentDeps, input: IncidentCreate): Routed {
  const router = deps.router();
  try {
    return router.route(input.category, router.place(input));
  } catch (error) {
    if (error instanceof RoutingError) throw new ApiError('invalid', error.message);
    throw error;
  }
}

async function create(deps: IncidentDeps, user: User, input: IncidentCreate): Promise<Incident> {
  const key = input.idempotencyKey ?? null;
  const hash = requestHash(input);
  const earlier = key ? await replay(deps, user, key, hash) : null;
  if (earlier) return earlier;
  const reporter = input.reporter
    ? { name: input.reporter.name ?? null, phone: input.reporter.phone ?? null }
    : null;
  const { incident, audit } = draftIncident(
    deps,
    {
      ...input,
      description: input.description ?? '',
      reporter,
      routed: routeInput(deps, input),
      reportId: null,
    },
    actorOf(user),
  );
  try {
    await deps.store.incidents.create(
      incident,
      audit,
      key ? { userId: user.id, key, requestHash: hash } : null,
    );
  } catch (error) {
    // A concurrent retry with the same key stored first: answer as it was answered.
    const raced = key && error instanceof ConflictError ? await replay(deps, user, key, hash) : null;
    if (raced) return raced;
    throw error;
  }
  deps.changed(incident);
  return incident;
}

async function list(deps: IncidentDeps, user: User, filter: Omit<IncidentFilter, 'scope'>) {
  const scope = scopeOf(user, deps.router());
  const rows = await deps.store.incidents.list({ ...filter, scope, limit: filter.limit + 1 });
  const items = rows.slice(0, filter.limit).map(redact);
  return { items, nextCursor: rows.length > filter.limit ? (items.at(-1)?.id ?? null) : null };
}

export function createIncidentService(deps: IncidentDeps): IncidentService {
  return {
    create: (user, input) => create(deps, user, input),
    draft: (draft, actor) => draftIncident(deps, draft, actor),
    async get(user, id) {
      const incident = await visibleIncident(deps, user, id);
      await deps.store.incidents.recordRead(id, user.id, deps.now());
      return { ...incident, timeline: await deps.store.incidents.timeline(id) };
    },
    list: (user, filter) => list(deps, user, filter),
    transition: (user, id, body) => transition(deps, user, id, body),
    escalate: (user, id, note) => escalate(deps, user, id, note),
    mediate: (user, id, input) => mediate(deps, user, id, input),
    feedback: (user, id, input) => recordFeedback(deps, user, id, input),
    tick: (now) => escalateOverdue(deps, now),
  };
}
