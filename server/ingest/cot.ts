// The CoT (ATAK) TCP listener on COT_PORT: frames the XML stream, maps friendly PLI to positions, 911 to sos,
// and hands non-friendly tracks to `onTrack` (the engine's border-intrusion rule). Bad input never ends it.
import net from 'node:net';
import type { DomainEvent, PositionReport } from '../contract';
import { createDeviceRateLimit, DEFAULT_DEVICE_RATE, type DeviceRateLimit } from '../security/device-auth';
import type { Registry } from '../engine/registry';
import {
  checkFixTime,
  createThrottle,
  deviceUnknownEvent,
  sosCancelledEvent,
  sosEvent,
  type IngestLogger,
  type Throttle,
} from './device-events';
import { createCotFramer, type FrameResult } from './cot-frame';
import { listenForDevices } from './listen';
import { affiliationOf, classifyCot, emergencySenderUid, parseCotEvent, type CotEvent } from './cot-parse';
import type { ForeignTrack } from '../engine/intrusions';
import type { Ingest } from './pipeline';

/** A non-friendly track (affiliation other than f / a) seen on the CoT network. It is not a unit. */
export type CotTrack = ForeignTrack;

export interface CotServerDeps {
  /** Fixes per device uid (default DEFAULT_DEVICE_RATE); over it, dropped and counted. */
  rateLimit?: DeviceRateLimit;
  ingest: Ingest;
  registry: Registry;
  emit: (event: DomainEvent) => void;
  now: () => number;
  logger: IngestLogger;
  onTrack?: (track: CotTrack) => void;
  maxEventBytes?: number;
  maxBufferBytes?: number;
  maxConnections?: number;
  idleTimeoutMs?: number;
  /** Answer a `t-x-c-t` ping with a `t-x-c-t-r` pong (default true). */
  answerPings?: boolean;
  unknownEventIntervalMs?: number;
}

export interface CotStats {
  connections: number;
  events: number;
  positions: number;
  tracks: number;
  sos: number;
  pings: number;
  ignored: number;
  dropped: {
    dtd: number;
    malformed: number;
    invalid: number;
    oversize: number;
    unknownDevice: number;
    /** Fixes for units with a device secret: plain CoT carries no credential (docs/security.md). */
    secretRequired: number;
    rateLimited: number;
  };
  overflows: number;
}

export interface CotServer {
  listen(host: string, port: number): Promise<number>;
  close(): Promise<void>;
  stats(): CotStats;
}

export const COT_MAX_EVENT_BYTES = 64 * 1024;
export const COT_MAX_BUFFER_BYTES = 1024 * 1024;
/** Submits in flight per connection before we stop reading from it. */
const MAX_PENDING = 256;

interface Context {
  deps: CotServerDeps;
  stats: CotStats;
  unknownThrottle: Throttle;
  rateLimit: DeviceRateLimit;
}

interface Connection {
  socket: net.Socket;
  remote: string;
  pending: number;
}

function emptyStats(): CotStats {
  return {
    connections: 0,
    events: 0,
    positions: 0,
    tracks: 0,
    sos: 0,
    pings: 0,
    ignored: 0,
    dropped: {
      dtd: 0,
      malformed: 0,
      invalid: 0,
      oversize: 0,
      unknownDevice: 0,
      secretRequired: 0,
      rateLimited: 0,
    },
    overflows: 0,
  };
}

function pong(now: number): string {
  const t = new Date(now).toISOString();
  const stale = new Date(now + 20_000).toISOString();
  return (
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n` +
    `<event version="2.0" uid="lianfang-pong" type="t-x-c-t-r" how="h-g-i-g-o" time="${t}" start="${t}" ` +
    `stale="${stale}"><point lat="0.0" lon="0.0" hae="0.0" ce="9999999.0" le="9999999.0"/><detail/></event>`
  );
}

function reportUnknown(ctx: Context, uid: string, now: number): void {
  ctx.stats.dropped.unknownDevice++;
  if (!ctx.unknownThrottle.allow(uid, now)) return;
  ctx.deps.logger.warn({ uid }, 'cot: unknown device');
  ctx.deps.emit(deviceUnknownEvent(uid, 'cot', now));
}

function submitPosition(ctx: Context, connection: Connection, event: CotEvent, now: number): void {
  const unit = ctx.deps.registry.byDeviceId(event.uid);
  if (!unit) return reportUnknown(ctx, event.uid, now);
  if (unit.secretHash) {
    ctx.stats.dropped.secretRequired++;
    return ctx.deps.logger.warn(
      { uid: event.uid, remote: connection.remote },
      'cot: unit needs a device secret',
    );
  }
  if (!ctx.rateLimit.take(event.uid)) return void ctx.stats.dropped.rateLimited++;
  if (event.lon === null || event.lat === null) return void ctx.stats.ignored++;
  const timeError = checkFixTime(event.time, now);
  if (timeError) {
    ctx.stats.dropped.invalid++;
    return ctx.deps.logger.warn({ uid: event.uid, remote: connection.remote }, `cot: ${timeError}`);
  }
  const report: PositionReport = {
    unitId: unit.id,
    source: 'cot',
    lon: event.lon,
    lat: event.lat,
    t: event.time,
    accuracyMeters: event.ceMeters,
    headingDeg: event.courseDeg,
    speedMps: event.speedMps,
  };
  ctx.stats.positions++;
  connection.pending++;
  if (connection.pending === MAX_PENDING) connection.socket.pause();
  ctx.deps.ingest
    .submit(report)
    .then((result) => {
      if (!result.ok) ctx.deps.logger.warn({ uid: event.uid, error: result.error }, 'cot: position refused');
    })
    .catch((error: unknown) => ctx.deps.logger.error({ err: error }, 'cot: submit failed'))
    .finally(() => {
      connection.pending--;
      if (connection.pending < MAX_PENDING / 2 && connection.socket.isPaused()) connection.socket.resume();
    });
}

function handleTrack(ctx: Context, event: CotEvent): void {
  const affiliation = affiliationOf(event.type);
  if (event.lon === null || event.lat === null || affiliation === null) return void ctx.stats.ignored++;
  ctx.stats.tracks++;
  ctx.deps.onTrack?.({
    uid: event.uid,
    affiliation,
    lon: event.lon,
    lat: event.lat,
    t: event.time,
    staleAt: event.staleAt,
    callsign: event.callsign,
    type: event.type,
  });
}

function handleEmergency(ctx: Context, event: CotEvent, cancel: boolean, now: number): void {
  const deviceId = emergencySenderUid(event);
  const unit = ctx.deps.registry.byDeviceId(deviceId) ?? null;
  // An SOS from an unregistered ATAK still goes out: someone on the network needs help.
  const details = { deviceId, callsign: event.callsign };
  if (cancel) return ctx.deps.emit(sosCancelledEvent(unit, 'cot', now, details));
  ctx.stats.sos++;
  ctx.deps.logger.warn({ deviceId, unitId: unit?.id ?? null }, 'cot: SOS');
  ctx.deps.emit(sosEvent(unit, 'cot', event.lon, event.lat, now, details));
}

function handleEvent(ctx: Context, connection: Connection, xml: string): void {
  const parsed = parseCotEvent(xml);
  if (!parsed.ok) {
    ctx.stats.dropped[parsed.reason]++;
    ctx.deps.logger.warn(
      { remote: connection.remote, reason: parsed.reason },
      `cot: event dropped: ${parsed.message}`,
    );
    return;
  }
  ctx.stats.events++;
  const event = parsed.event;
  const now = ctx.deps.now();
  const kind = classifyCot(event);
  switch (kind) {
    case 'position':
      return submitPosition(ctx, connection, event, now);
    case 'track':
      return handleTrack(ctx, event);
    case 'sos':
    case 'sos-cancel':
      return handleEmergency(ctx, event, kind === 'sos-cancel', now);
    case 'ping':
      ctx.stats.pings++;
      if (ctx.deps.answerPings !== false && connection.socket.writable) connection.socket.write(pong(now));
      return;
    case 'other':
      ctx.stats.ignored++;
      return;
  }
}

function onData(ctx: Context, connection: Connection, frame: FrameResult): void {
  for (const size of frame.oversize) {
    ctx.stats.dropped.oversize++;
    ctx.deps.logger.warn({ remote: connection.remote, size }, 'cot: oversize event dropped');
  }
  for (const xml of frame.events) handleEvent(ctx, connection, xml);
  if (frame.overflow) {
    ctx.stats.overflows++;
    ctx.deps.logger.warn(
      { remote: connection.remote },
      'cot: no complete event within the buffer limit, dropped',
    );
    connection.socket.destroy();
  }
}

function accept(ctx: Context, sockets: Set<net.Socket>, socket: net.Socket): void {
  const { deps } = ctx;
  const framer = createCotFramer({
    maxEventBytes: deps.maxEventBytes ?? COT_MAX_EVENT_BYTES,
    maxBufferBytes: deps.maxBufferBytes ?? COT_MAX_BUFFER_BYTES,
  });
  const connection: Connection = {
    socket,
    remote: `${socket.remoteAddress}:${socket.remotePort}`,
    pending: 0,
  };
  sockets.add(socket);
  ctx.stats.connections++;
  socket.setTimeout(deps.idleTimeoutMs ?? 10 * 60_000, () => socket.destroy());
  socket.on('data', (chunk: Buffer) => {
    try {
      onData(ctx, connection, framer.push(chunk));
    } catch (error) {
      deps.logger.error({ err: error, remote: connection.remote }, 'cot: connection failed');
      socket.destroy();
    }
  });
  socket.on('error', (error) =>
    deps.logger.debug({ err: error, remote: connection.remote }, 'cot: socket error'),
  );
  socket.on('close', () => {
    sockets.delete(socket);
    ctx.stats.connections--;
  });
}

export function createCotServer(deps: CotServerDeps): CotServer {
  const ctx: Context = {
    deps,
    stats: emptyStats(),
    unknownThrottle: createThrottle(deps.unknownEventIntervalMs ?? 60_000),
    rateLimit: deps.rateLimit ?? createDeviceRateLimit(DEFAULT_DEVICE_RATE, deps.now),
  };
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => accept(ctx, sockets, socket));
  server.maxConnections = deps.maxConnections ?? 1000;
  server.on('error', (error) => deps.logger.error({ err: error }, 'cot: server error'));
  return {
    listen: (host, port) => listenForDevices(server, host, port),
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
    stats: () => structuredClone(ctx.stats),
  };
}
