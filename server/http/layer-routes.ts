// Layers: GET as GeoJSON (ETag = version) or CSV with WKT, personal data masked outside the reader's scope;
// PUT (admin) imports a whole layer, all or nothing.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { LayerKind } from '../contract';
import { toCsv } from '../domain/layer-csv';
import type { LayerService } from '../domain/layers';
import { maskLayer } from '../domain/personal-data';
import type { Router } from '../domain/routing';
import { scopeFor } from '../realtime/scopes';
import type { Store } from '../store/store';
import { requireUser } from './auth-routes';
import { ApiError } from './errors';

/** Layers can be large (a city's grids): well above the API's default body limit. */
export const LAYER_BODY_LIMIT = 50 * 1024 * 1024;

function kindOf(raw: string): LayerKind {
  const kind = LayerKind.safeParse(raw);
  if (!kind.success)
    throw new ApiError('not_found', `no layer ${raw}; layers: ${LayerKind.options.join(', ')}`);
  return kind.data;
}

type LayerRequest = FastifyRequest<{ Params: { kind: string }; Querystring: { format?: string } }>;

async function getLayer(
  store: Store,
  router: () => Router,
  request: LayerRequest,
  reply: FastifyReply,
): Promise<unknown> {
  const scope = scopeFor(requireUser(request), router());
  const kind = kindOf(request.params.kind);
  const format = request.query.format ?? 'geojson';
  if (format !== 'geojson' && format !== 'csv')
    throw new ApiError('invalid', 'format must be geojson or csv');
  const layer = await store.layers.get(kind);
  const collection = maskLayer(
    kind,
    layer?.collection ?? { type: 'FeatureCollection' as const, features: [] },
    scope,
  );
  // Masking differs by scope: the tag names it, so a shared cache never hands one reader another's view.
  const variant = scope.whole ? '' : `-${encodeURIComponent(scope.room)}`;
  const etag = `"${kind}-${layer?.version ?? 0}${variant}${format === 'csv' ? '-csv' : ''}"`;
  void reply.header('etag', etag).header('cache-control', 'private, no-cache');
  if (request.headers['if-none-match'] === etag) return reply.status(304).send();
  if (format === 'csv') {
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${kind}.csv"`)
      .send('\uFEFF' + toCsv(collection));
  }
  return reply.type('application/geo+json').send(collection);
}

export function registerLayerRoutes(
  app: FastifyInstance,
  store: Store,
  layers: LayerService,
  router: () => Router,
): void {
  app.get('/api/layers/:kind', (request: LayerRequest, reply) => getLayer(store, router, request, reply));

  app.put<{ Params: { kind: string } }>(
    '/api/layers/:kind',
    { bodyLimit: LAYER_BODY_LIMIT },
    async (request) => {
      requireUser(request, ['admin']);
      const kind = kindOf(request.params.kind);
      const result = await layers.import(kind, request.body);
      if (!result.ok) throw new ApiError('invalid', `${result.error.path}: ${result.error.message}`);
      request.log.info(
        { kind, version: result.layer.version, features: result.layer.collection.features.length },
        'layer imported',
      );
      return { kind, version: result.layer.version, features: result.layer.collection.features.length };
    },
  );
}
