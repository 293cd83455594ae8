// The built client (dist/client) with an SPA fallback, and GET /healthz. The basemap routes are basemap-config.ts's.
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
