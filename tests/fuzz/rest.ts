// Property-based fuzzing of the REST API through the real Fastify app (in-process inject, every hook and
// handler on the path): any body, query or path parameter gets a 2xx or a JSON 4xx `{error:{code,message}}`,
// never a 5xx. Shared by the fixed-seed sample in `npm test` and the long run in `npm run fuzz`.
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import type { FuzzOptions } from './parsers';

export interface RestTarget {
  http: FastifyInstance;
  /** Access tokens by role. */
  tokens: Record<'admin' | 'operator' | 'leader' | 'staff', string>;
}

export interface RestCase {
  name: string;
  run(target: RestTarget, options: FuzzOptions): Promise<void>;
}

type Role = keyof RestTarget['tokens'];

const ROLES: Role[] = ['admin', 'operator', 'leader', 'staff'];

/** Values that break naive handlers: wrong types, extremes, injection strings, prototype keys. */
const nasty = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(
    null,
    '',
    ' ',
    '__proto__',
    'constructor',
    "'; DROP TABLE incidents; --",
    '../../etc/passwd',
    '\u0000',
    '𠀀'.repeat(300),
    -1,
    0,
    1e308,
    -1e308,
    Number.MAX_SAFE_INTEGER + 2,
    true,
    [],
    {},
  ),
);

/** Objects with the real field names of each body, filled with anything. */
function shaped(keys: string[]): fc.Arbitrary<Record<string, unknown>> {
  return fc.dictionary(fc.constantFrom(...keys, '__proto__', 'extra'), nasty, { maxKeys: keys.length + 2 });
}

const INCIDENT_KEYS = [
  'category',
  'summary',
  'description',
  'source',
  'reporter',
  'lon',
  'lat',
  'gridId',
  'postId',
  'idempotencyKey',
];
const REPORT_KEYS = ['segmentId', 'status', 'anomalyType', 'lon', 'lat', 'note', 'photoId', 'idempotencyKey'];
const FENCE_KEYS = [
  'name',
  'shape',
  'kinds',
  'severity',
  'enterBufferMeters',
  'exitBufferMeters',
  'dwellEnterMs',
  'detect',
];
const UNIT_KEYS = ['id', 'kind', 'callsign', 'deviceId'];
const TRANSITION_KEYS = ['to', 'note', 'assignee'];

interface Endpoint {
  method: 'POST' | 'PATCH' | 'PUT';
  url: string;
  keys: string[];
}

const BODY_ENDPOINTS: Endpoint[] = [
  { method: 'POST', url: '/api/incidents', keys: INCIDENT_KEYS },
  { method: 'POST', url: '/api/reports', keys: REPORT_KEYS },
  { method: 'POST', url: '/api/fences', keys: FENCE_KEYS },
  { method: 'POST', url: '/api/units', keys: UNIT_KEYS },
  { method: 'PATCH', url: '/api/units/t-civ-1', keys: UNIT_KEYS },
  { method: 'POST', url: '/api/incidents/nope/transitions', keys: TRANSITION_KEYS },
  { method: 'POST', url: '/api/alerts/nope/ack', keys: ['note'] },
  { method: 'POST', url: '/api/auth/login', keys: ['username', 'password'] },
  { method: 'POST', url: '/api/auth/refresh', keys: ['refreshToken'] },
  { method: 'PUT', url: '/api/layers/posts', keys: ['type', 'features'] },
];

const QUERY_ROUTES = [
  '/api/incidents',
  '/api/alerts',
  '/api/reports',
  '/api/history',
  '/api/kpis',
  '/api/events',
  '/api/units',
  '/api/units/t-civ-1/track',
  '/api/fences',
  '/api/segments/status',
];
const QUERY_KEYS = [
  'status',
  'category',
  'gridId',
  'since',
  'bbox',
  'limit',
  'cursor',
  'from',
  'to',
  'scope',
  'id',
  'registered',
  'acknowledged',
];

function check(response: { statusCode: number; body: string }, what: string): void {
  if (response.statusCode >= 500)
    throw new Error(`${what} → ${response.statusCode} ${response.body.slice(0, 300)}`);
  if (response.statusCode >= 400) {
    const body = JSON.parse(response.body) as { error?: { code?: unknown; message?: unknown } };
    if (typeof body.error?.code !== 'string' || typeof body.error.message !== 'string')
      throw new Error(
        `${what} → ${response.statusCode} without {error:{code,message}}: ${response.body.slice(0, 300)}`,
      );
  }
}

export const REST_CASES: RestCase[] = [
  {
    name: 'JSON bodies shaped like the real ones',
    run: async ({ http, tokens }, { numRuns, seed }) =>
      fc.assert(
        fc.asyncProperty(
          fc
            .constantFrom(...BODY_ENDPOINTS)
            .chain((endpoint) =>
              fc.tuple(fc.constant(endpoint), fc.oneof(shaped(endpoint.keys), nasty, fc.constant(undefined))),
            ),
          fc.constantFrom(...ROLES),
          async ([endpoint, body], role) => {
            const response = await http.inject({
              method: endpoint.method,
              url: endpoint.url,
              headers: { authorization: `Bearer ${tokens[role]}`, 'content-type': 'application/json' },
              payload: body === undefined ? undefined : JSON.stringify(body),
            });
            check(
              response,
              `${endpoint.method} ${endpoint.url} as ${role} with ${JSON.stringify(body)?.slice(0, 200)}`,
            );
          },
        ),
        { numRuns, seed },
      ),
  },
  {
    name: 'raw bodies: not JSON, wrong content types, truncated',
    run: async ({ http, tokens }, { numRuns, seed }) =>
      fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...BODY_ENDPOINTS),
          fc.string({ maxLength: 300 }),
          fc.constantFrom(
            'application/json',
            'text/plain',
            'application/x-www-form-urlencoded',
            'application/xml',
            'multipart/form-data; boundary=x',
          ),
          async (endpoint, payload, contentType) => {
            const response = await http.inject({
              method: endpoint.method,
              url: endpoint.url,
              headers: { authorization: `Bearer ${tokens.admin}`, 'content-type': contentType },
              payload,
            });
            check(
              response,
              `${endpoint.method} ${endpoint.url} (${contentType}) with ${JSON.stringify(payload).slice(0, 200)}`,
            );
          },
        ),
        { numRuns, seed },
      ),
  },
  {
    name: 'query strings and path parameters',
    run: async ({ http, tokens }, { numRuns, seed }) =>
      fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...QUERY_ROUTES),
          fc.array(
            fc.tuple(
              fc.constantFrom(...QUERY_KEYS),
              fc.oneof(
                fc.string({ maxLength: 40 }),
                fc.double().map(String),
                fc.constantFrom('1,2,3,4', '-181,-91,181,91', 'NaN', '2026-13-45', '%', '%zz'),
              ),
            ),
            { maxLength: 5 },
          ),
          fc.constantFrom(...ROLES),
          fc.string({ maxLength: 80 }),
          async (route, pairs, role, pathParam) => {
            const query = pairs.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
            for (const url of [
              `${route}?${query}`,
              `/api/incidents/${encodeURIComponent(pathParam)}`,
              `/api/units/${encodeURIComponent(pathParam)}/track?${query}`,
            ]) {
              const response = await http.inject({
                method: 'GET',
                url,
                headers: { authorization: `Bearer ${tokens[role]}` },
              });
              check(response, `GET ${url} as ${role}`);
            }
          },
        ),
        { numRuns, seed },
      ),
  },
  {
    name: 'tokens: garbage, truncated and tampered bearer tokens get 401',
    run: async ({ http, tokens }, { numRuns, seed }) =>
      fc.assert(
        fc.asyncProperty(
          fc.oneof(
            fc.string({ maxLength: 400 }),
            fc.nat({ max: tokens.admin.length - 1 }).map((n) => tokens.admin.slice(0, n)),
            // not the last character: its low bits are base64 padding, so some edits decode to the same signature
            fc
              .tuple(fc.nat({ max: tokens.admin.length - 2 }), fc.constantFrom('A', 'x', '-', '_'))
              .map(([at, c]) => {
                const replaced = tokens.admin.slice(0, at) + c + tokens.admin.slice(at + 1);
                return replaced === tokens.admin ? `${replaced}x` : replaced;
              }),
          ),
          async (token) => {
            const response = await http.inject({
              method: 'GET',
              url: '/api/me',
              headers: { authorization: `Bearer ${token}` },
            });
            check(response, `GET /api/me with token ${JSON.stringify(token).slice(0, 100)}`);
            if (response.statusCode !== 401) throw new Error(`a bad token got ${response.statusCode}`);
          },
        ),
        { numRuns, seed },
      ),
  },
];
