// Incidents over REST: intake, scoped list with ULID cursors, full read with timeline, and the commands on one.
import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import {
  FeedbackInput,
  IncidentCategory,
  IncidentCreate,
  IncidentEscalate,
  IncidentStatus,
  IncidentTransition,
  MediationInput,
} from '../contract';
import type { IncidentService } from '../domain/incidents';
import type { IncidentFilter } from '../store/store';
import { requireUser } from './auth-routes';
import { ApiError, parseWith } from './errors';
import { parseBbox, parseLimit, parseTime } from './query-params';

type ListQuery = Partial<
  Record<'status' | 'category' | 'gridId' | 'since' | 'bbox' | 'limit' | 'cursor', string>
>;
type ById = { Params: { id: string } };

const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

/** "a,b" → each checked against the enum; 400 naming the parameter and the bad value. */
function parseList<T extends string>(
  name: string,
  raw: string | undefined,
  schema: z.ZodType<T>,
): T[] | undefined {
  if (raw === undefined || raw === '') return undefined;
  return raw.split(',').map((value) => {
    const parsed = schema.safeParse(value.trim());
    if (!parsed.success) throw new ApiError('invalid', `${name}: unknown value ${value}`);
    return parsed.data;
  });
}

export function parseIncidentQuery(query: ListQuery): Omit<IncidentFilter, 'scope'> {
  if (query.cursor !== undefined && query.cursor !== '' && !ULID.test(query.cursor))
    throw new ApiError('invalid', 'cursor must be a nextCursor from a previous page');
  return {
    statuses: parseList('status', query.status, IncidentStatus),
    categories: parseList('category', query.category, IncidentCategory),
    gridId: query.gridId || undefined,
    since: parseTime('since', query.since),
    bbox: parseBbox(query.bbox),
    cursor: query.cursor || undefined,
    limit: parseLimit(query.limit, 100, 1000),
  };
}

export function registerIncidentRoutes(app: FastifyInstance, incidents: IncidentService): void {
  app.get<{ Querystring: ListQuery }>('/api/incidents', async (request) => {
    const user = requireUser(request);
    return incidents.list(user, parseIncidentQuery(request.query));
  });

  app.post('/api/incidents', async (request, reply) => {
    const user = requireUser(request);
    const incident = await incidents.create(user, parseWith(IncidentCreate, request.body));
    return reply.status(201).send(incident);
  });

  app.get<ById>('/api/incidents/:id', async (request) =>
    incidents.get(requireUser(request), request.params.id),
  );

  app.post<ById>('/api/incidents/:id/transitions', async (request) =>
    incidents.transition(
      requireUser(request),
      request.params.id,
      parseWith(IncidentTransition, request.body),
    ),
  );

  app.post<ById>('/api/incidents/:id/escalate', async (request) => {
    const body = parseWith(IncidentEscalate, request.body ?? {});
    return incidents.escalate(requireUser(request), request.params.id, body.note);
  });

  app.post<ById>('/api/incidents/:id/mediation', async (request) =>
    incidents.mediate(requireUser(request), request.params.id, parseWith(MediationInput, request.body)),
  );

  app.post<ById>('/api/incidents/:id/feedback', async (request) =>
    incidents.feedback(requireUser(request), request.params.id, parseWith(FeedbackInput, request.body)),
  );
}
