// Position history for replay: one unit's track, or every fix in a time window and bbox — cut to the caller's
// scope (a leader sees the fixes on their segments and their own unit's, as on the live stream).
import type { FastifyInstance } from 'fastify';
import type { User } from '../contract';
import type { Classify } from '../engine/live-state';
import type { Registry } from '../engine/registry';
import { scopeFor, seesUnit } from '../realtime/scopes';
import type { Router } from '../domain/routing';
import type { FixRecord, Store } from '../store/store';
import { requireUser } from './auth-routes';
import { ApiError } from './errors';
import { parseBbox, parseLimit, parseTime } from './query-params';

type HistoryQuery = { from?: string; to?: string; bbox?: string; unitId?: string; limit?: string };

const MAX_FIXES = 50_000;

function toTrack(unitId: string, fixes: FixRecord[]): GeoJSON.Feature {
  return {
    type: 'Feature',
    id: unitId,
    // RFC 7946: a LineString needs two positions; one fix is a Point, none is a null geometry.
    geometry:
      fixes.length >= 2
        ? { type: 'LineString', coordinates: fixes.map((f) => [f.lon, f.lat]) }
        : fixes[0]
          ? { type: 'Point', coordinates: [fixes[0].lon, fixes[0].lat] }
          : (null as unknown as GeoJSON.Geometry),
    properties: { unitId, times: fixes.map((f) => f.t) },
  };
}

export interface HistoryScoping {
  router: () => Router;
  classify: Classify;
}

/** The fixes the user's scope sees: every one for the whole picture, else those placed in its grids or segments. */
export function scopedFixes(user: User, fixes: FixRecord[], scoping: HistoryScoping): FixRecord[] {
  const scope = scopeFor(user, scoping.router());
  if (scope.whole) return fixes;
  return fixes.filter((fix) => {
    const place = scoping.classify(fix.lon, fix.lat);
    return seesUnit(scope, { id: fix.unitId, gridId: place.gridId, segmentId: place.segmentId });
  });
}

export function registerHistoryRoutes(
  app: FastifyInstance,
  store: Store,
  registry: Registry,
  scoping: HistoryScoping,
): void {
  app.get<{ Querystring: HistoryQuery }>('/api/history', async (request) => {
    const user = requireUser(request);
    const q = request.query;
    const fixes = await store.history.query({
      ...(q.unitId ? { unitId: q.unitId } : {}),
      from: parseTime('from', q.from) ?? 0,
      to: parseTime('to', q.to) ?? Number.MAX_SAFE_INTEGER,
      bbox: parseBbox(q.bbox),
      limit: parseLimit(q.limit, 10_000, MAX_FIXES),
    });
    return { items: scopedFixes(user, fixes, scoping), nextCursor: null };
  });

  app.get<{ Params: { id: string }; Querystring: HistoryQuery }>('/api/units/:id/track', async (request) => {
    const user = requireUser(request);
    const unitId = request.params.id;
    if (!registry.byId(unitId)) throw new ApiError('not_found', `no unit ${unitId}`);
    const all = await store.history.query({
      unitId,
      from: parseTime('from', request.query.from) ?? 0,
      to: parseTime('to', request.query.to) ?? Number.MAX_SAFE_INTEGER,
      limit: parseLimit(request.query.limit, 10_000, MAX_FIXES),
    });
    return toTrack(unitId, user.unitId === unitId ? all : scopedFixes(user, all, scoping));
  });
}
