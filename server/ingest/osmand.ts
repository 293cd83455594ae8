// The OsmAnd / Traccar Client HTTP endpoint on OSMAND_PORT: any path, GET or POST, every variant; 200 only
// after the fix is durable. A small node:http server of its own, apart from the main app.
import http from 'node:http';
import type { DomainEvent, PositionReport, UnitState } from '../contract';
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
  sosEvent,
  type IngestLogger,
  type Throttle,
} from './device-events';
import { listenForDevices } from './listen';
import { isValidTimeZone } from './osmand-parse-time';
import { parseOsmAndRequest, type OsmAndFix } from './osmand-parse';
import type { Ingest } from './pipeline';

export interface OsmAndServerDeps {
  ingest: Ingest;
  registry: Registry;
  emit: (event: DomainEvent) => void;
  now: () => number;
  logger: IngestLogger;
  /** IANA zone for 'yyyy-MM-dd HH:mm:ss' timestamps (config TZ, default Asia/Shanghai). */
  timeZone: string;
  /**
   * The unit's last known position, for heartbeats without lat/lon (Traccar repeats the last location).
   * Without it, or for a unit that never reported, a heartbeat is acknowledged with 200 and nothing stored.
   */
  lastKnown?: (unitId: string) => Pick<UnitState, 'lon' | 'lat' | 'accuracyMeters'> | undefined;
  bodyLimitBytes?: number;
  maxBatch?: number;
  unknownEventIntervalMs?: number;
  /** Requests per device id (default DEFAULT_DEVICE_RATE); over it, 429. */
  rateLimit?: DeviceRateLimit;
}

export interface OsmAndServer {
  /** Resolves with the bound port (useful with port 0). */
  listen(host: string, port: number): Promise<number>;
  close(): Promise<void>;
}

export const OSMAND_BODY_LIMIT = 256 * 1024;
export const OSMAND_MAX_BATCH = 1000;
/** Past this many bytes of an oversize body we stop draining it and drop the connection. */
const DRAIN_LIMIT = 8 * 1024 * 1024;

interface Reply {
  status: number;
  code?: string;
  message?: string;
}

const ok: Reply = { status: 200 };
const invalid = (message: string): Reply => ({ status: 400, code: 'invalid', message });

function send(res: http.ServerResponse, reply: Reply, close = false): void {
  const body = reply.code ? JSON.stringify({ error: { code: reply.code, message: reply.message } }) : '';
  const headers: http.OutgoingHttpHeaders = { 'content-length': Buffer.byteLength(body) };
  if (body) headers['content-type'] = 'application/json; charset=utf-8';
  if (reply.status === 405) headers.allow = 'GET, POST';
  if (close) headers.connection = 'close';
  res.writeHead(reply.status, headers).end(body);
}

/** The body as text, or null once it passes the limit (the rest is drained so the client reads the 413). */
function readBody(req: http.IncomingMessage, limit: number): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
      else if (size > DRAIN_LIMIT) req.socket.destroy();
    });
    req.on('end', () => resolve(size > limit ? null : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
    req.on('close', () => {
      if (!req.complete) reject(new Error('request aborted'));
    });
  });
}

interface Accepted {
  fix: OsmAndFix;
  unit: UnitRecord;
  report: PositionReport | null;
}

interface Context {
  deps: OsmAndServerDeps;
  bodyLimit: number;
  maxBatch: number;
  unknownThrottle: Throttle;
  rateLimit: DeviceRateLimit;
}

/**
 * The device secret a request presents: the `secret` field of the fix (query, form or JSON — what a Traccar
 * Client or OsmAnd URL template can carry), else an `X-Device-Secret` header, else an HTTP Basic password.
 */
function presentedSecret(fix: OsmAndFix, headerSecret: string | null): string | null {
  const field = fix.attributes.secret;
  return typeof field === 'string' ? field : typeof field === 'number' ? String(field) : headerSecret;
}

export function headerSecret(headers: http.IncomingHttpHeaders): string | null {
  const header = headers['x-device-secret'];
  if (typeof header === 'string' && header !== '') return header;
  return parseBasicAuth(headers.authorization)?.password ?? null;
}

/** Refuses the request when a fix's unit has a secret the fix does not carry, or a device sends too fast. */
function admit(ctx: Context, fixes: OsmAndFix[], units: UnitRecord[], secret: string | null): Reply | null {
  const seen = new Set<string>();
  for (const [i, fix] of fixes.entries()) {
    const unit = units[i];
    if (!unit) continue;
    const check = checkDeviceSecret(unit.secretHash, presentedSecret(fix, secret));
    if (check !== 'ok') {
      ctx.deps.logger.warn({ deviceId: fix.deviceId, check }, 'osmand: device secret refused');
      return { status: 401, code: 'unauthenticated', message: `device ${fix.deviceId}: secret ${check}` };
    }
    if (seen.has(fix.deviceId)) continue;
    seen.add(fix.deviceId);
    if (!ctx.rateLimit.take(fix.deviceId))
      return { status: 429, code: 'rate_limited', message: `device ${fix.deviceId} is sending too fast` };
  }
  return null;
}

/** The unit of every fix, or a 400 (and a rate-limited device.unknown event) for the first unknown id. */
function resolveUnits(ctx: Context, fixes: OsmAndFix[], now: number): UnitRecord[] | Reply {
  const units: UnitRecord[] = [];
  for (const fix of fixes) {
    const unit = ctx.deps.registry.byDeviceId(fix.deviceId);
    if (unit) {
      units.push(unit);
      continue;
    }
    const sos = fix.alarm === 'sos';
    // An SOS from an unregistered phone always reaches the admins; routine retries once a minute.
    if (ctx.unknownThrottle.allow(fix.deviceId, now) || sos) {
      ctx.deps.logger.warn({ deviceId: fix.deviceId, alarm: fix.alarm }, 'osmand: unknown device');
      ctx.deps.emit(deviceUnknownEvent(fix.deviceId, 'osmand', now, sos ? { alarm: 'sos' } : {}));
    }
    return invalid(`unknown device id ${fix.deviceId}`);
  }
  return units;
}

/** The report to submit; null for a heartbeat with no position to repeat; a Reply when the time is implausible. */
function toReport(
  ctx: Context,
  fix: OsmAndFix,
  unit: UnitRecord,
  now: number,
): PositionReport | Reply | null {
  const t = fix.t ?? now;
  const timeError = checkFixTime(t, now);
  if (timeError) return invalid(timeError);
  const heartbeat = fix.lon === null || fix.lat === null;
  const last = heartbeat ? ctx.deps.lastKnown?.(unit.id) : undefined;
  const lon = fix.lon ?? last?.lon;
  const lat = fix.lat ?? last?.lat;
  if (lon === undefined || lat === undefined) return null;
  return {
    unitId: unit.id,
    source: 'osmand',
    lon,
    lat,
    t,
    accuracyMeters: heartbeat ? (last?.accuracyMeters ?? null) : fix.accuracyMeters,
    headingDeg: fix.headingDeg,
    speedMps: fix.speedMps,
  };
}

/** Submits in order (the live state applies each at call time) and answers once all are durable. */
async function submitAll(ctx: Context, accepted: Accepted[], now: number): Promise<Reply> {
  const results = await Promise.all(
    accepted.map((a) => (a.report ? ctx.deps.ingest.submit(a.report) : Promise.resolve(null))),
  );
  for (const result of results) {
    if (!result || result.ok) continue;
    if (result.error.code === 'internal')
      return { status: 500, code: 'internal', message: result.error.message };
    return invalid(result.error.message);
  }
  for (const { fix, unit, report } of accepted) {
    if (fix.alarm !== 'sos') continue;
    ctx.deps.emit(sosEvent(unit, 'osmand', report?.lon ?? null, report?.lat ?? null, now));
  }
  return ok;
}

async function processRequest(
  ctx: Context,
  query: string,
  contentType: string | null,
  body: string,
  secret: string | null = null,
): Promise<Reply> {
  const parsed = parseOsmAndRequest({ query, contentType, body }, { timeZone: ctx.deps.timeZone });
  if (!parsed.ok) return invalid(parsed.error.message);
  if (parsed.fixes.length > ctx.maxBatch)
    return { status: 413, code: 'too_large', message: `a batch holds at most ${ctx.maxBatch} fixes` };
  const now = ctx.deps.now();
  const units = resolveUnits(ctx, parsed.fixes, now);
  if (!Array.isArray(units)) return units;
  const refused = admit(ctx, parsed.fixes, units, secret);
  if (refused) return refused;
  const accepted: Accepted[] = [];
  for (const [i, fix] of parsed.fixes.entries()) {
    const unit = units[i];
    if (!unit) return invalid(`unknown device id ${fix.deviceId}`);
    const report = toReport(ctx, fix, unit, now);
    if (report !== null && 'status' in report) return report;
    accepted.push({ fix, unit, report });
  }
  return submitAll(ctx, accepted, now);
}

async function handle(ctx: Context, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'POST') {
    req.resume();
    return send(res, { status: 405, code: 'invalid', message: `method ${req.method} not allowed` });
  }
  const url = req.url ?? '/';
  const mark = url.indexOf('?');
  const body = await readBody(req, ctx.bodyLimit);
  if (body === null)
    return send(
      res,
      { status: 413, code: 'too_large', message: `body larger than ${ctx.bodyLimit} bytes` },
      true,
    );
  const query = mark < 0 ? '' : url.slice(mark + 1);
  const reply = await processRequest(
    ctx,
    query,
    req.headers['content-type'] ?? null,
    body,
    headerSecret(req.headers),
  );
  if (reply.status >= 400)
    ctx.deps.logger.debug({ status: reply.status, reason: reply.message }, 'osmand: refused');
  send(res, reply);
}

export function createOsmAndServer(deps: OsmAndServerDeps): OsmAndServer {
  if (!isValidTimeZone(deps.timeZone)) throw new Error(`unknown time zone ${deps.timeZone}`);
  const ctx: Context = {
    deps,
    bodyLimit: deps.bodyLimitBytes ?? OSMAND_BODY_LIMIT,
    maxBatch: deps.maxBatch ?? OSMAND_MAX_BATCH,
    unknownThrottle: createThrottle(deps.unknownEventIntervalMs ?? 60_000),
    rateLimit: deps.rateLimit ?? createDeviceRateLimit(DEFAULT_DEVICE_RATE, deps.now),
  };
  const server = http.createServer({ keepAliveTimeout: 30_000, requestTimeout: 30_000 }, (req, res) => {
    handle(ctx, req, res).catch((error: unknown) => {
      if (res.headersSent || req.destroyed) return;
      deps.logger.error({ err: error }, 'osmand: request failed');
      send(res, { status: 500, code: 'internal', message: 'internal error' }, true);
    });
  });
  server.on('clientError', (_error, socket) => {
    if (socket.writable)
      socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    else socket.destroy();
  });
  return {
    listen: (host, port) => listenForDevices(server, host, port),
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
