// Security headers on every response, and a strict Content-Security-Policy for the client's pages. Tile
// servers an operator configured (any absolute URL in the basemap config) are the only other origins allowed;
// a third-party style (BASEMAP=style with an absolute URL) names its own tile, glyph and sprite hosts, which we
// cannot know in advance, so it opens connect-src and img-src to https: — docs/security.md says so.
import type { FastifyInstance } from 'fastify';

/** Every absolute http(s) origin named anywhere in a config object (tile templates, style URLs, archives). */
export function originsIn(config: unknown): string[] {
  const origins = new Set<string>();
  const visit = (value: unknown): void => {
    if (typeof value === 'string') {
      // tile templates hold {z}/{x}/{y}, which URL() accepts in the path
      if (!/^https?:\/\//i.test(value)) return;
      try {
        origins.add(new URL(value).origin);
      } catch {
        // not a URL after all: nothing to allow
      }
    } else if (Array.isArray(value)) value.forEach(visit);
    else if (value && typeof value === 'object') Object.values(value).forEach(visit);
  };
  visit(config);
  return [...origins].sort();
}

/** The policy for the client's pages. MapLibre 6 runs its worker from 'self' and decodes images from blob:. */
export function contentSecurityPolicy(basemap: { kind: string } & Record<string, unknown>): string {
  const tiles = originsIn(basemap);
  const openStyle = basemap.kind === 'style' && tiles.length > 0 ? ['https:'] : [];
  const remote = [...tiles, ...openStyle].join(' ');
  const join = (...parts: string[]): string => parts.filter(Boolean).join(' ');
  return [
    "default-src 'self'",
    "script-src 'self'",
    // Svelte and MapLibre set style attributes at run time
    "style-src 'self' 'unsafe-inline'",
    "worker-src 'self' blob:",
    join("connect-src 'self'", remote),
    join("img-src 'self' data: blob:", remote),
    "font-src 'self' data:",
    "media-src 'self' blob:",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
  ].join('; ');
}

export function registerSecurityHeaders(app: FastifyInstance, csp: string): void {
  app.addHook('onSend', async (_request, reply, payload) => {
    void reply.header('x-content-type-options', 'nosniff');
    void reply.header('referrer-policy', 'no-referrer');
    void reply.header('x-frame-options', 'DENY');
    const type = String(reply.getHeader('content-type') ?? '');
    if (type.startsWith('text/html')) void reply.header('content-security-policy', csp);
    return payload;
  });
}
