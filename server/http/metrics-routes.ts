// GET /metrics for Prometheus. With METRICS_TOKEN set, a scraper sends `Authorization: Bearer <token>` from
// anywhere; unset, only loopback may scrape (a scraper on the same host, or a proxy that adds the token).
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { ApiError } from './errors';

export interface MetricsRouteDeps {
  /** METRICS_TOKEN, or null for loopback only. */
  token: string | null;
  render(): string;
}

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

function isLoopback(ip: string): boolean {
  return ip === '::1' || ip.startsWith('127.') || ip.startsWith('::ffff:127.');
}

/** Why a scrape is refused (401 no token, 403 wrong token or not loopback), or null when it may go on. */
export function scrapeRefusal(
  token: string | null,
  authorization: string | undefined,
  remoteAddress: string,
): ApiError | null {
  if (token === null) {
    return isLoopback(remoteAddress)
      ? null
      : new ApiError('forbidden', '/metrics answers loopback only unless METRICS_TOKEN is set');
  }
  const header = authorization ?? '';
  const given = header.startsWith('Bearer ') ? header.slice('Bearer '.length) : '';
  if (!given) return new ApiError('unauthenticated', 'send Authorization: Bearer <METRICS_TOKEN>');
  // Equal-length digests: the comparison takes the same time whatever the guess.
  return timingSafeEqual(digest(given), digest(token))
    ? null
    : new ApiError('forbidden', 'wrong metrics token');
}

export function registerMetricsRoutes(http: FastifyInstance, deps: MetricsRouteDeps): void {
  http.get('/metrics', async (request, reply) => {
    const refusal = scrapeRefusal(
      deps.token,
      request.headers.authorization,
      request.socket.remoteAddress ?? '',
    );
    if (refusal) throw refusal;
    return reply.type('text/plain; version=0.0.4; charset=utf-8').send(deps.render());
  });
}
