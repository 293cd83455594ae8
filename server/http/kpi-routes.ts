// KPIs over REST: GET /api/kpis?scope=all|grid|district|segment&id=&from=&to= for the command center.
import type { FastifyInstance } from 'fastify';
import { KPI_SCOPES, computeKpis, type KpiDeps, type KpiScope } from '../domain/kpi';
import { requireUser } from './auth-routes';
import { ApiError } from './errors';
import { parseTime } from './query-params';

type Query = Partial<Record<'scope' | 'id' | 'from' | 'to', string>>;

/** Without from/to: the 30 days up to now. */
const DEFAULT_WINDOW_MS = 30 * 86_400_000;

function parseScope(raw: string | undefined): KpiScope {
  const scope = raw === undefined || raw === '' ? 'all' : raw;
  if (!(KPI_SCOPES as readonly string[]).includes(scope))
    throw new ApiError('invalid', `scope must be one of ${KPI_SCOPES.join(', ')}`);
  return scope as KpiScope;
}

export function registerKpiRoutes(app: FastifyInstance, deps: KpiDeps, now: () => number): void {
  app.get<{ Querystring: Query }>('/api/kpis', async (request) => {
    requireUser(request, ['admin', 'operator']);
    const to = parseTime('to', request.query.to) ?? now();
    const from = parseTime('from', request.query.from) ?? to - DEFAULT_WINDOW_MS;
    const scope = parseScope(request.query.scope);
    return computeKpis(deps, { scope, id: request.query.id || null, from, to });
  });
}
