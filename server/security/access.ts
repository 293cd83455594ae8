// The authorisation matrix: who may call every REST route and send every Socket.io event, in one table, enforced
// in one place. A route registered without a row here stops the server at start, so nothing ships unguarded.
// What a role may see inside a route (a leader's segments, a staff member's grid) is the domain's scoping.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Role, User } from '../contract';
import { ApiError } from '../http/errors';
import { createDeviceRateLimit, type RateLimitOptions } from './device-auth';

/** `public`: no account (login, the page, the basemap); `device`: a device's own credentials, checked by its route. */
export type Audience = 'public' | 'device' | readonly Role[];

export const ROLES: readonly Role[] = ['admin', 'operator', 'leader', 'staff'];
const EVERYONE = ROLES;
const COMMAND = ['admin', 'operator'] as const;
const ADMIN = ['admin'] as const;
/** Those who carry a tablet on the ground and the command centre that may act for them. */
const FIELD = ['admin', 'operator', 'leader', 'staff'] as const;

/** The row for every file of the built client (`@fastify/static` registers one GET route per file). */
export const CLIENT_FILE = 'GET /<file of the built client>';

/** `METHOD /path` as Fastify registered it → who may call it. */
export const ROUTE_ACCESS: Readonly<Record<string, Audience>> = {
  // The page, its assets (every file of the built client, one route each), health and the basemap.
  'GET /': 'public',
  'GET /*': 'public',
  [CLIENT_FILE]: 'public',
  'GET /healthz': 'public',
  'GET /metrics': 'public', // guarded by its route: METRICS_TOKEN, else loopback only (docs/operations.md)
  'GET /basemap.json': 'public',
  'GET /basemap.geojson': 'public',
  'GET /basemap.pmtiles': 'public',
  // Accounts.
  'POST /api/auth/login': 'public',
  'POST /api/auth/refresh': 'public',
  'POST /api/auth/logout': EVERYONE,
  'GET /api/me': EVERYONE,
  'POST /api/me/password': EVERYONE,
  'GET /api/users': ADMIN,
  'POST /api/users': ADMIN,
  'PATCH /api/users/:id': ADMIN,
  'DELETE /api/users/:id': ADMIN,
  'POST /api/users/:id/password': ADMIN,
  // Units and devices: the roster (device ids are credentials where no secret is set) for the command centre.
  'GET /api/units': COMMAND,
  'GET /api/units/:id': EVERYONE, // a leader's tablet reads its own unit; others' need command (unit-routes)
  'POST /api/units': ADMIN,
  'POST /api/units/bulk': ADMIN,
  'PATCH /api/units/:id': ADMIN,
  'DELETE /api/units/:id': ADMIN,
  'POST /api/units/:id/secret': ADMIN,
  'DELETE /api/units/:id/secret': ADMIN,
  'POST /ingest/owntracks': 'device',
  // Layers and fences.
  'GET /api/layers/:kind': EVERYONE,
  'PUT /api/layers/:kind': ADMIN,
  'GET /api/fences': EVERYONE,
  'GET /api/fences/:id': EVERYONE,
  'POST /api/fences': COMMAND,
  'PATCH /api/fences/:id': COMMAND,
  'DELETE /api/fences/:id': COMMAND,
  // The live picture and history, cut to the caller's scope.
  'GET /api/history': EVERYONE,
  'GET /api/units/:id/track': EVERYONE,
  'GET /api/joint-patrols': EVERYONE,
  'GET /api/segments/status': EVERYONE,
  'GET /api/events': EVERYONE,
  'GET /api/kpis': COMMAND,
  // The closed loop: every role works incidents within its scope (incident-access).
  'GET /api/incidents': EVERYONE,
  'POST /api/incidents': EVERYONE,
  'GET /api/incidents/:id': EVERYONE,
  'POST /api/incidents/:id/transitions': EVERYONE,
  'POST /api/incidents/:id/escalate': EVERYONE,
  'POST /api/incidents/:id/mediation': EVERYONE,
  'POST /api/incidents/:id/feedback': EVERYONE,
  'GET /api/reports': EVERYONE,
  'POST /api/reports': FIELD,
  'POST /api/photos': EVERYONE,
  'GET /api/photos/:id': EVERYONE,
  'GET /api/alerts': EVERYONE,
  'GET /api/alerts/:id': EVERYONE,
  'POST /api/alerts/:id/ack': EVERYONE,
  'POST /api/alerts/:id/escalate': EVERYONE, // those the alert concerns (alerts domain)
  'POST /api/alerts/:id/recipients/:type/:recipientId/ack': EVERYONE,
  'GET /api/posts/:id/checkins': EVERYONE,
  'POST /api/posts/:id/checkins': EVERYONE,
  'POST /api/posts/:id/alarm': EVERYONE,
  // The tablet.
  'GET /api/me/tasks': EVERYONE,
  'GET /api/me/duty': EVERYONE,
  'POST /api/me/duty': EVERYONE,
  'POST /api/sos': EVERYONE,
};

/** Socket.io events a client may send → who may send them (the handshake already required an account). */
export const EVENT_ACCESS: Readonly<Record<string, readonly Role[]>> = {
  resync: EVERYONE,
  report: FIELD,
  position: EVERYONE, // the account's own unit only (socket-server)
};

export function mayCallRoute(audience: Audience, role: Role | null): boolean {
  if (audience === 'public' || audience === 'device') return true;
  return role !== null && audience.includes(role);
}

export function maySendEvent(event: string, role: Role): boolean {
  return EVENT_ACCESS[event]?.includes(role) ?? false;
}

function routeKey(method: string, url: string): string {
  const key = `${method === 'HEAD' ? 'GET' : method} ${url}`;
  if (key in ROUTE_ACCESS) return key;
  const file =
    key.startsWith('GET /') && /\.[a-z0-9]+$/i.test(url) && !/^\/(api|ingest|socket\.io)\//.test(url);
  return file ? CLIENT_FILE : key;
}

export interface AccessControl {
  /** Every `METHOD /path` registered, as keyed in ROUTE_ACCESS (for the matrix test and the docs). */
  routes(): string[];
}

/**
 * Installs the matrix on an app before its routes: an onRoute hook refuses a route with no row, and an
 * onRequest hook authenticates the bearer token and checks the role before any handler runs. An unknown
 * `/api/` path needs an account too, so probing for routes tells an outsider nothing.
 */
export function registerAccessControl(
  app: FastifyInstance,
  userFromToken: (token: string) => Promise<User | null>,
  /** Requests per account (a wall polls a few routes, an admin registers hundreds of units): null = no limit. */
  perAccount: RateLimitOptions | null = null,
): AccessControl {
  const limit = perAccount && perAccount.perSecond > 0 ? createDeviceRateLimit(perAccount) : null;
  const registered = new Set<string>();
  app.decorateRequest('user', null);
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      if (method === 'HEAD' || method === 'OPTIONS') continue;
      const key = routeKey(method, route.url);
      if (!(key in ROUTE_ACCESS)) throw new Error(`no row in the access matrix for ${key}`);
      registered.add(key);
    }
  });
  app.addHook('onRequest', async (request) => {
    const url = request.routeOptions.url;
    const audience = url === undefined ? undefined : ROUTE_ACCESS[routeKey(request.method, url)];
    const path = request.url.split('?')[0] ?? '';
    if (audience === 'public' || audience === 'device') return;
    if (audience === undefined && !path.startsWith('/api/')) return;
    const user = await userOf(request, userFromToken);
    if (!user) throw new ApiError('unauthenticated', 'a valid access token is required');
    request.user = user;
    if (audience !== undefined && !mayCallRoute(audience, user.role))
      throw new ApiError('forbidden', `this needs the role ${audience.join(' or ')}`);
    if (limit && !limit.take(user.id))
      throw new ApiError('rate_limited', 'too many requests from this account: slow down', 1);
  });
  return { routes: () => [...registered].sort() };
}

function userOf(
  request: FastifyRequest,
  userFromToken: (token: string) => Promise<User | null>,
): Promise<User | null> {
  const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
  return match?.[1] ? userFromToken(match[1]) : Promise.resolve(null);
}
