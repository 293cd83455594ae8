// Road-chief reports over REST: file one (idempotent, answered {ok, id, incidentId}); list them, scoped by role.
import type { FastifyInstance } from 'fastify';
import { IdempotencyKey, ReportInput, type Report } from '../contract';
import { reportScopeOf } from '../domain/incident-access';
import type { ReportService } from '../domain/reports';
import type { Router } from '../domain/routing';
import type { ReportRecord, Store } from '../store/store';
import { requireUser } from './auth-routes';
import { ApiError, parseWith } from './errors';
import { parseLimit, parseTime } from './query-params';

type ListQuery = Partial<Record<'segmentId' | 'since' | 'limit', string>>;

function toReport({ idempotencyKey: _key, requestHash: _hash, ...report }: ReportRecord): Report {
  return report;
}

/** The Idempotency-Key header, checked like the body field; null when absent. */
export function headerKey(raw: string | string[] | undefined): string | null {
  if (raw === undefined) return null;
  const parsed = IdempotencyKey.safeParse(Array.isArray(raw) ? raw[0] : raw);
  if (!parsed.success) throw new ApiError('invalid', `Idempotency-Key: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

export function registerReportRoutes(
  app: FastifyInstance,
  reports: ReportService,
  store: Store,
  router: () => Router,
): void {
  app.post('/api/reports', async (request, reply) => {
    const user = requireUser(request);
    const key = headerKey(request.headers['idempotency-key']);
    const answer = await reports.submit(user, parseWith(ReportInput, request.body), key);
    return reply.status(201).send({ ok: true, ...answer });
  });

  app.get<{ Querystring: ListQuery }>('/api/reports', async (request) => {
    const user = requireUser(request);
    const segmentId = request.query.segmentId || undefined;
    // Leaders see their segments' reports, staff those of the segments in their grid (and both their own).
    const scope = reportScopeOf(user, router());
    if (scope && segmentId && !scope.segmentIds.includes(segmentId))
      throw new ApiError('forbidden', `segment ${segmentId} is not yours`);
    const limit = parseLimit(request.query.limit, 100, 1000);
    const since = parseTime('since', request.query.since);
    const rows = await store.reports.list({ segmentId, since, limit, scope });
    return { items: rows.map(toReport), nextCursor: null };
  });
}
