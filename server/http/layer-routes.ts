// GET /api/layers/:kind — the scenario layers as GeoJSON FeatureCollections, with the layer version as ETag.
import type { FastifyInstance } from 'fastify';
import { LayerKind } from '../contract';
import type { Store } from '../store/store';
import { ApiError } from './errors';

export function registerLayerRoutes(app: FastifyInstance, store: Store): void {
  app.get<{ Params: { kind: string } }>('/api/layers/:kind', async (request, reply) => {
    const kind = LayerKind.safeParse(request.params.kind);
    if (!kind.success)
      throw new ApiError(
        'not_found',
        `no layer ${request.params.kind}; layers: ${LayerKind.options.join(', ')}`,
      );
    const layer = await store.layers.get(kind.data);
    const etag = `"${kind.data}-${layer?.version ?? 0}"`;
    void reply.header('etag', etag).header('cache-control', 'private, no-cache');
    if (request.headers['if-none-match'] === etag) return reply.status(304).send();
    return layer?.collection ?? { type: 'FeatureCollection', features: [] };
  });
}
