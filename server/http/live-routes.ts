// Reads of the live picture: joint patrols, segment coverage status, and the event log.
import type { FastifyInstance } from 'fastify';
import type { JointPatrol } from '../contract';
import type { SegmentCoverageService } from '../engine/coverage';
import type { Store } from '../store/store';
import { requireUser } from './auth-routes';
import { parseLimit, parseTime } from './query-params';

export interface LiveRouteDeps {
  store: Store;
  jointPatrols: () => JointPatrol[];
  coverage: SegmentCoverageService;
  now: () => number;
}

export function registerLiveRoutes(app: FastifyInstance, deps: LiveRouteDeps): void {
  app.get('/api/joint-patrols', async (request) => {
    requireUser(request);
    return { items: deps.jointPatrols(), nextCursor: null };
  });

  app.get('/api/segments/status', async (request) => {
    requireUser(request);
    return { items: deps.coverage.status(deps.now()), nextCursor: null };
  });

  app.get<{ Querystring: { since?: string; type?: string; unitId?: string; limit?: string } }>(
    '/api/events',
    async (request) => {
      requireUser(request);
      const q = request.query;
      const limit = parseLimit(q.limit, 500, 5_000);
      const items = await deps.store.events.query({
        since: parseTime('since', q.since),
        types: q.type ? q.type.split(',') : undefined,
        unitId: q.unitId || undefined,
        limit,
      });
      const last = items[items.length - 1];
      // The cursor is the last event's time: pass it back as `since` for the next page.
      return { items, nextCursor: items.length === limit && last ? String(last.t) : null };
    },
  );
}
