// The built client (dist/client) with an SPA fallback, the offline basemap data, and GET /healthz.
import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { errorBody } from './errors';

export interface StaticPaths {
  clientDir: string;
  dataDir: string;
}

export async function registerStaticRoutes(app: FastifyInstance, paths: StaticPaths): Promise<void> {
  app.get('/healthz', async () => ({ status: 'ok' }));

  // The basemap ships in data/ and is public like the client: the login screen already shows it.
  app.get('/basemap.geojson', async (_request, reply) => {
    const file = path.join(paths.dataDir, 'basemap.geojson');
    if (!fs.existsSync(file)) return reply.status(404).send(errorBody('not_found', 'no basemap in data/'));
    return reply
      .type('application/geo+json')
      .header('cache-control', 'public, max-age=3600')
      .send(fs.createReadStream(file));
  });

  if (!fs.existsSync(path.join(paths.clientDir, 'index.html'))) {
    app.log.warn({ clientDir: paths.clientDir }, 'client build missing: run npm run build');
    return;
  }
  await app.register(fastifyStatic, { root: paths.clientDir, wildcard: false, index: ['index.html'] });
  app.get('/*', async (request, reply) => {
    const url = request.url.split('?')[0] ?? '';
    if (url.startsWith('/api/') || url.startsWith('/socket.io/') || path.extname(url) !== '') {
      return reply.status(404).send(errorBody('not_found', `no route ${request.method} ${url}`));
    }
    return reply.sendFile('index.html');
  });
}
