// OwnTracks HTTP mode on the main app: POST /ingest/owntracks, Basic username = device id, answers a JSON array.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { describeIssue, ID_PATTERN, type DomainEvent, type PositionReport } from '../contract';
import type { Registry } from '../engine/registry';
import {
  checkDeviceSecret,
  createDeviceRateLimit,
  DEFAULT_DEVICE_RATE,
  parseBasicAuth,
  type DeviceRateLimit,
} from '../security/device-auth';
import type { UnitRecord } from '../store/store';
import {
  checkFixTime,
  createThrottle,
  deviceUnknownEvent,
  type IngestLogger,
  type Throttle,
} from './device-events';
import type { Ingest } from './pipeline';

export interface OwnTracksDeps {
  ingest: Ingest;
  registry: Registry;
  emit: (event: DomainEvent) => void;
  now: () => number;
  logger?: IngestLogger;
  bodyLimitBytes?: number;
  unknownEventIntervalMs?: number;
  /** Requests per device id (default DEFAULT_DEVICE_RATE); over it, 429. */
  rateLimit?: DeviceRateLimit;
}

export const OWNTRACKS_PATH = '/ingest/owntracks';
const KMH_TO_MPS = 1 / 3.6;

/** The fields we use of a `_type: location` message (PROTOCOLS.md c.2); the rest is ignored. */
const OwnTracksLocation = z.object({
  _type: z.literal('location'),
  lat: z.number().min(-90).max(90),
  lon: z.number().min(-180).max(180),
  tst: z.number().int().positive(),
  acc: z.number().nonnegative().optional(),
  // iOS writes −1 for an unknown velocity or course; any negative value is read as unknown.
  vel: z.number().optional(),
  cog: z.number().max(360).optional(),
  batt: z.number().optional(),
});
type OwnTracksLocation = z.infer<typeof OwnTracksLocation>;

class Refusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function authenticate(
  deps: OwnTracksDeps,
  throttle: Throttle,
  rateLimit: DeviceRateLimit,
  header: string | undefined,
): UnitRecord {
  const credentials = parseBasicAuth(header);
  if (!credentials || !ID_PATTERN.test(credentials.username))
    throw new Refusal(401, 'unauthenticated', 'HTTP Basic auth with the device id as username is required');
  const unit = deps.registry.byDeviceId(credentials.username);
  // An unknown device gets the same 401 as a wrong secret will (issue 9), so ids cannot be probed.
  if (!unit) {
    const now = deps.now();
    if (throttle.allow(credentials.username, now)) {
      deps.logger?.warn({ deviceId: credentials.username }, 'owntracks: unknown device');
      deps.emit(deviceUnknownEvent(credentials.username, 'owntracks', now));
    }
    throw new Refusal(401, 'unauthenticated', `unknown device ${credentials.username}`);
  }
  const check = checkDeviceSecret(unit.secretHash, credentials.password);
  if (check !== 'ok') {
    deps.logger?.warn({ deviceId: credentials.username, check }, 'owntracks: device secret refused');
    throw new Refusal(401, 'unauthenticated', `device ${credentials.username}: secret ${check}`);
  }
  if (!rateLimit.take(credentials.username))
    throw new Refusal(429, 'rate_limited', `device ${credentials.username} is sending too fast`);
  return unit;
}

/** The location message in the body, or null for an empty body or another `_type` (both answered 200 []). */
function readLocation(body: unknown): OwnTracksLocation | null {
  const text = typeof body === 'string' ? body.trim() : '';
  if (text === '') return null;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Refusal(400, 'invalid', 'body: not valid JSON');
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw new Refusal(400, 'invalid', 'body: must be a JSON object');
  if ((json as { _type?: unknown })._type !== 'location') return null;
  const parsed = OwnTracksLocation.safeParse(json);
  if (!parsed.success) throw new Refusal(400, 'invalid', describeIssue(parsed.error));
  return parsed.data;
}

function known(value: number | undefined): number | null {
  return value === undefined || value < 0 ? null : value;
}

function toReport(unit: UnitRecord, message: OwnTracksLocation, now: number): PositionReport {
  const t = message.tst * 1000;
  const timeError = checkFixTime(t, now);
  if (timeError) throw new Refusal(400, 'invalid', timeError.replace('timestamp', 'tst'));
  const velKmh = known(message.vel);
  return {
    unitId: unit.id,
    source: 'owntracks',
    lon: message.lon,
    lat: message.lat,
    t,
    // OwnTracks omits acc, vel and cog when they are zero, but so do clients that never measure them:
    // a missing value is reported as unknown (null) rather than as a made-up zero.
    accuracyMeters: message.acc ?? null,
    speedMps: velKmh === null ? null : velKmh * KMH_TO_MPS,
    headingDeg: known(message.cog),
  };
}

function refuse(reply: FastifyReply, refusal: Refusal): FastifyReply {
  if (refusal.status === 401)
    void reply.header('www-authenticate', 'Basic realm="lianfang", charset="UTF-8"');
  return reply.status(refusal.status).send({ error: { code: refusal.code, message: refusal.message } });
}

async function handle(
  deps: OwnTracksDeps,
  throttle: Throttle,
  rateLimit: DeviceRateLimit,
  request: FastifyRequest,
  reply: FastifyReply,
) {
  try {
    const unit = authenticate(deps, throttle, rateLimit, request.headers.authorization);
    const message = readLocation(request.body);
    if (!message) return reply.status(200).send([]);
    const result = await deps.ingest.submit(toReport(unit, message, deps.now()));
    if (!result.ok)
      return refuse(
        reply,
        new Refusal(result.error.code === 'internal' ? 500 : 400, result.error.code, result.error.message),
      );
    return reply.status(200).send([]);
  } catch (error) {
    if (error instanceof Refusal) return refuse(reply, error);
    throw error;
  }
}

/** Adds POST /ingest/owntracks in its own encapsulated scope (raw-text body parser, its own error format). */
export function registerOwnTracksRoutes(app: FastifyInstance, deps: OwnTracksDeps): void {
  const throttle = createThrottle(deps.unknownEventIntervalMs ?? 60_000);
  const rateLimit = deps.rateLimit ?? createDeviceRateLimit(DEFAULT_DEVICE_RATE, deps.now);
  const bodyLimit = deps.bodyLimitBytes ?? 64 * 1024;
  void app.register(async (scope) => {
    // OwnTracks posts JSON, and an empty body when a friend is deleted: read every body as text ourselves.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string', bodyLimit }, (_request, body, done) =>
      done(null, body),
    );
    scope.setErrorHandler((error: FastifyError, request, reply) => {
      const status = error.statusCode ?? 500;
      if (status === 413)
        return refuse(reply, new Refusal(413, 'too_large', `body larger than ${bodyLimit} bytes`));
      if (status >= 400 && status < 500) return refuse(reply, new Refusal(400, 'invalid', error.message));
      request.log.error({ err: error }, 'owntracks: request failed');
      return refuse(reply, new Refusal(500, 'internal', 'internal error'));
    });
    scope.post(OWNTRACKS_PATH, (request, reply) => handle(deps, throttle, rateLimit, request, reply));
  });
}
