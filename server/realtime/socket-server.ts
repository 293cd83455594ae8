// Socket.io on the HTTP server: token auth in the handshake, a snapshot on connect, tablet positions with
// acknowledgements, and resync from the delta log. Each socket joins the room of its scope: `all` for the
// whole picture, else its user's scoped room (room-book.ts), each with a packed twin for clients that ask
// for it (`auth: {packed: true}`) and get `delta:packed` instead of the JSON `delta`, and their snapshot in
// parts (packed-snapshot.ts). A room's share of a delta is worked out and encoded once per flush; everything
// is emitted to rooms, snapshots included, so a reconnect storm costs one snapshot encoding per room and batch.
import type { Server as HttpServer } from 'node:http';
import type { Logger } from 'pino';
import { Server, type Socket } from 'socket.io';
import { maySendEvent } from '../security/access';
import { createDeviceRateLimit } from '../security/device-auth';
import { originAllowed } from '../security/origin';
import {
  PositionMessage,
  ResyncRequest,
  describeIssue,
  type ClientToServerEvents,
  type Delta,
  type Incident,
  type PackedDelta,
  type PackedSnapshot,
  type ServerToClientEvents,
  type ReportAck,
  type Snapshot,
  type UnitIndexEntry,
  type UnitState,
  type User,
} from '../contract';
import type { Auth } from '../domain/auth';
import type { Router } from '../domain/routing';
import type { Ingest } from '../ingest/pipeline';
import type { Broadcaster } from './broadcaster';
import { FanOutAdapter } from './fan-out-adapter';
import { createPackedEncoder } from './packed-encoder';
import { splitPackedSnapshot } from './packed-snapshot';
import { createRoomBook } from './room-book';
import { WHOLE_ROOM, packedTwin, type Places, type Scope } from './scopes';

interface SocketData {
  user: User;
  packed: boolean;
  scope: Scope;
}

export type LianfangIo = Server<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  SocketData
>;
type LianfangSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

export interface SocketDeps {
  auth: Auth;
  ingest: Ingest;
  broadcaster: Broadcaster;
  snapshot: () => Snapshot;
  /** The grid hierarchy (area → grids) and segments that scopes are worked out from. */
  router: () => Router;
  unit: (id: string) => UnitState | undefined;
  openIncidents: () => Incident[];
  logger: Logger;
  /** A road-chief report from a tablet; acknowledged once stored (and its incident raised). */
  submitReport: (user: User, message: unknown) => Promise<ReportAck>;
  /** ALLOWED_ORIGINS: pages of other origins that may open the live link (security/origin). */
  allowedOrigins?: readonly string[];
}

const EVERYONE = WHOLE_ROOM;
const EVERYONE_PACKED = packedTwin(WHOLE_ROOM);
/** Messages a socket may send: 10 a second sustained, 50 at once (an outbox flushed after a dead zone). */
export const SOCKET_EVENT_RATE = { perSecond: 10, burst: 50 };
/** Sockets that connect within this window share one snapshot, encoded once. */
const SNAPSHOT_BATCH_MS = 20;

function isAck(value: unknown): value is (result: unknown) => void {
  return typeof value === 'function';
}

export function createSocketServer(
  httpServer: HttpServer,
  deps: SocketDeps,
): {
  io: LianfangIo;
  broadcast(delta: Delta): void;
  /** Cluster: starts the whole room's packed stream from a picture this node did not publish itself. */
  seedPacked(epoch: string, seq: number, units: readonly UnitState[]): void;
} {
  const io: LianfangIo = new Server(httpServer, {
    serveClient: false,
    // Binary events (delta:packed) framed once per broadcast, not once per socket (fan-out-adapter.ts).
    adapter: FanOutAdapter,
    // The largest message a client sends is a report (a 2,000-character note, a photo id): 64 KB is ample.
    maxHttpBufferSize: 64 * 1024,
    allowRequest: (request, callback) => {
      const allowed = originAllowed(request, deps.allowedOrigins ?? []);
      if (!allowed) deps.logger.warn({ origin: request.headers.origin }, 'live link refused: origin');
      callback(allowed ? null : 'origin not allowed', allowed);
    },
    // Missed deltas are replayed after a short network drop; the token is checked again on recovery.
    connectionStateRecovery: { maxDisconnectionDuration: 2 * 60_000, skipMiddlewares: false },
  });

  const hasMembers = (room: string): boolean => (io.of('/').adapter.rooms.get(room)?.size ?? 0) > 0;
  const book = createRoomBook({
    epoch: deps.broadcaster.epoch,
    router: deps.router,
    unit: deps.unit,
    openIncidents: deps.openIncidents,
    snapshot: deps.snapshot,
    members: (room) => (hasMembers(room) || hasMembers(packedTwin(room)) ? 1 : 0),
    now: Date.now,
  });

  io.use((socket, next) => {
    const auth = socket.handshake.auth as Record<string, unknown> | undefined;
    const token: unknown = auth?.token;
    if (typeof token !== 'string') return next(new Error('unauthenticated'));
    deps.auth.userFromToken(token).then(
      (user) => {
        if (!user) return next(new Error('unauthenticated'));
        socket.data.user = user;
        socket.data.packed = auth?.packed === true;
        socket.data.scope = book.scopeOf(user);
        next();
      },
      () => next(new Error('unauthenticated')),
    );
  });

  const packer = createPackedEncoder();
  /** Per socket: a tablet sends a position every few seconds and a report now and then; a loop is cut off. */
  const eventLimit = createDeviceRateLimit(SOCKET_EVENT_RATE);
  /** The snapshot a socket of this scope and encoding gets; a scoped room opens with its first socket. */
  const snapshotFor = (
    scope: Scope,
    packed: boolean,
    base: Snapshot,
    places: Places,
  ): { packed: false; snapshot: Snapshot } | { packed: true; snapshot: PackedSnapshot } => {
    const room = scope.whole ? null : (book.get(scope.room) ?? book.open(scope, base, places));
    if (packed) return { packed, snapshot: room ? room.packedSnapshot(base, places) : packer.snapshot(base) };
    return { packed, snapshot: room ? room.snapshot(base, places) : base };
  };

  // New sockets wait (at most SNAPSHOT_BATCH_MS) for one snapshot per encoding, sent to all of them at once;
  // they join their live room in the same tick, so no delta falls between the snapshot and the stream.
  const waiting = new Set<LianfangSocket>();
  // A recovered socket is replayed what its room was sent while it was away, but nothing is sent to an empty
  // room: its room's latest delta again tells it the current seq, so a gap shows and it resyncs (a client that
  // missed nothing drops the repeat as a replay).
  const recovering = new Set<LianfangSocket>();
  const latest = new Map<string, Delta | PackedDelta>();
  let snapshotTimer: NodeJS.Timeout | null = null;
  const roomOf = (socket: LianfangSocket): string =>
    socket.data.packed ? packedTwin(socket.data.scope.room) : socket.data.scope.room;
  const sendLatest = (): void => {
    const sockets = [...recovering].filter((socket) => socket.connected);
    recovering.clear();
    for (const socket of sockets) {
      const delta = latest.get(roomOf(socket));
      if (!delta) continue;
      if (socket.data.packed) socket.emit('delta:packed', delta as PackedDelta);
      else socket.emit('delta', delta as Delta);
    }
  };
  const sendSnapshots = (): void => {
    snapshotTimer = null;
    sendLatest();
    const sockets = [...waiting].filter((socket) => socket.connected);
    waiting.clear();
    if (sockets.length === 0) return;
    // One snapshot per room and encoding: sockets grouped by the room they join.
    const groups = new Map<string, LianfangSocket[]>();
    for (const socket of sockets) {
      const room = roomOf(socket);
      const group = groups.get(room);
      if (group) group.push(socket);
      else groups.set(room, [socket]);
    }
    const base = deps.snapshot();
    const places = book.places();
    for (const [room, members] of groups) {
      const first = members[0];
      if (!first) continue;
      const cut = snapshotFor(first.data.scope, first.data.packed, base, places);
      const to = io.local.to(members.map((socket) => socket.id));
      if (!cut.packed) to.emit('snapshot', cut.snapshot);
      else {
        // All parts in this tick, before the sockets join: no delta falls between them.
        const parts = splitPackedSnapshot(cut.snapshot);
        to.emit('snapshot', parts.first);
        for (const part of parts.rest) to.emit('snapshot:continued', part);
      }
      for (const socket of members) void socket.join(room);
    }
  };

  io.on('connection', (socket) => {
    const { user, packed } = socket.data;
    // The access matrix's events (security/access): any other event, or one this role may not send, is
    // answered `forbidden` when it asks for an acknowledgement and otherwise dropped.
    socket.use((packet, next) => {
      const event = String(packet[0]);
      const ack: unknown = packet[packet.length - 1];
      if (maySendEvent(event, user.role)) {
        if (eventLimit.take(socket.id)) return next();
        if (isAck(ack))
          ack({ ok: false, error: { code: 'rate_limited', message: 'too many messages: slow down' } });
        return;
      }
      if (isAck(ack))
        ack({ ok: false, error: { code: 'forbidden', message: `${user.role} may not send ${event}` } });
    });
    (socket.recovered ? recovering : waiting).add(socket);
    snapshotTimer ??= setTimeout(sendSnapshots, SNAPSHOT_BATCH_MS);
    socket.on('disconnect', () => {
      waiting.delete(socket);
      recovering.delete(socket);
    });

    socket.on('report', (message, ack) => {
      if (!isAck(ack)) return;
      deps
        .submitReport(user, message)
        .then(ack, () => ack({ ok: false, error: { code: 'internal', message: 'internal error' } }));
    });

    socket.on('position', (message, ack) => {
      if (!isAck(ack)) return;
      const parsed = PositionMessage.safeParse(message);
      if (!parsed.success)
        return ack({ ok: false, error: { code: 'invalid', message: describeIssue(parsed.error) } });
      if (!user.unitId)
        return ack({ ok: false, error: { code: 'forbidden', message: 'your account has no unit' } });
      const fix = parsed.data;
      deps.ingest
        .submit({
          unitId: user.unitId,
          source: 'tablet',
          lon: fix.lon,
          lat: fix.lat,
          t: fix.t,
          accuracyMeters: fix.accuracyMeters ?? null,
          headingDeg: fix.headingDeg ?? null,
          speedMps: fix.speedMps ?? null,
        })
        .then(
          (result) => ack(result.ok ? { ok: true, t: fix.t } : { ok: false, error: result.error }),
          () => ack({ ok: false, error: { code: 'internal', message: 'internal error' } }),
        );
    });

    socket.on('resync', (request, ack) => {
      if (!isAck(ack)) return;
      const parsed = ResyncRequest.safeParse(request);
      if (!parsed.success)
        return ack({ ok: false, error: { code: 'invalid', message: describeIssue(parsed.error) } });
      // A scoped socket resyncs from its room's log: it never sees another scope's deltas.
      const { scope } = socket.data;
      const room = scope.whole ? null : book.get(scope.room);
      const { epoch, sinceSeq } = parsed.data;
      const deltas = scope.whole
        ? deps.broadcaster.since(epoch, sinceSeq)
        : (room?.since(epoch, sinceSeq) ?? null);
      if (!deltas) {
        const cut = snapshotFor(scope, packed, deps.snapshot(), book.places());
        if (!cut.packed) return ack({ ok: true, snapshot: cut.snapshot });
        // The first part answers; the rest follow on the socket in this tick, ahead of the next delta.
        const parts = splitPackedSnapshot(cut.snapshot);
        ack({ ok: true, snapshot: parts.first });
        for (const part of parts.rest) socket.emit('snapshot:continued', part);
        return;
      }
      // A packed client also needs the indexes assigned in the deltas it missed (JSON deltas carry none).
      const answer: { ok: true; deltas: Delta[]; unitIndex?: UnitIndexEntry[] } = { ok: true, deltas };
      if (packed) answer.unitIndex = (room ?? packer).assignedSince(sinceSeq);
      ack(answer);
    });
  });

  return {
    io,
    broadcast: (delta) => {
      // A room without a member here is skipped: its encoding would be wasted. A socket that was away
      // sees a gap in seq on its next delta and resyncs. (Revisit with a cross-node adapter.)
      // Emitted to this node's sockets only: with a cluster adapter every node fans out its own copy.
      latest.set(EVERYONE, delta);
      if (hasMembers(EVERYONE)) io.local.to(EVERYONE).emit('delta', delta);
      // Always encoded, even with nobody in the room: the encoder's mirror must follow every delta.
      const packed = packer.encode(delta);
      latest.set(EVERYONE_PACKED, packed);
      if (hasMembers(EVERYONE_PACKED)) io.local.to(EVERYONE_PACKED).emit('delta:packed', packed);
      // Each scoped room's share, worked out once; a room nobody is in keeps its log for a returning client.
      for (const { room, share } of book.publish(delta)) {
        const twin = packedTwin(room.room);
        latest.set(room.room, share.delta);
        latest.set(twin, share.packed);
        if (hasMembers(room.room)) io.local.to(room.room).emit('delta', share.delta);
        if (hasMembers(twin)) io.local.to(twin).emit('delta:packed', share.packed);
      }
    },
    seedPacked: (epoch, seq, units) => packer.seed(epoch, seq, units),
  };
}
