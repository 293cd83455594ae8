// Socket.io on the HTTP server: token auth in the handshake, a snapshot on connect, tablet positions with
// acknowledgements, and resync from the delta log. Clients that ask for it (`auth: {packed: true}`) sit in a
// room of their own and get `delta:packed`, encoded once per flush, instead of the JSON `delta`. Everything
// is emitted to rooms, snapshots included: a reconnect storm costs one snapshot encoding per batch.
import type { Server as HttpServer } from 'node:http';
import type { Logger } from 'pino';
import { Server, type Socket } from 'socket.io';
import {
  PositionMessage,
  ResyncRequest,
  describeIssue,
  type ClientToServerEvents,
  type Delta,
  type PackedDelta,
  type ServerToClientEvents,
  type ReportAck,
  type Snapshot,
  type UnitIndexEntry,
  type User,
} from '../contract';
import type { Auth } from '../domain/auth';
import type { Ingest } from '../ingest/pipeline';
import type { Broadcaster } from './broadcaster';
import { createPackedEncoder } from './packed-encoder';

interface SocketData {
  user: User;
  packed: boolean;
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
  logger: Logger;
  /** A road-chief report from a tablet; acknowledged once stored (and its incident raised). */
  submitReport: (user: User, message: unknown) => Promise<ReportAck>;
}

const EVERYONE = 'all';
const EVERYONE_PACKED = 'all:packed';
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
} {
  const io: LianfangIo = new Server(httpServer, {
    serveClient: false,
    maxHttpBufferSize: 1_000_000,
    // Missed deltas are replayed after a short network drop; the token is checked again on recovery.
    connectionStateRecovery: { maxDisconnectionDuration: 2 * 60_000, skipMiddlewares: false },
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
        next();
      },
      () => next(new Error('unauthenticated')),
    );
  });

  const packer = createPackedEncoder();
  const hasMembers = (room: string): boolean => (io.of('/').adapter.rooms.get(room)?.size ?? 0) > 0;
  const snapshotFor = (packed: boolean): Snapshot =>
    packed ? packer.snapshot(deps.snapshot()) : deps.snapshot();

  // New sockets wait (at most SNAPSHOT_BATCH_MS) for one snapshot per encoding, sent to all of them at once;
  // they join their live room in the same tick, so no delta falls between the snapshot and the stream.
  const waiting = new Set<LianfangSocket>();
  // A recovered socket is replayed what its room was sent while it was away, but nothing is sent to an empty
  // room: the latest delta again tells it the current seq, so a gap shows and it resyncs (a replay is dropped).
  const recovering = new Set<LianfangSocket>();
  let latest: { delta: Delta; packed: PackedDelta } | null = null;
  let snapshotTimer: NodeJS.Timeout | null = null;
  const sendLatest = (): void => {
    const sockets = [...recovering].filter((socket) => socket.connected);
    recovering.clear();
    if (!latest) return;
    const json = sockets.filter((socket) => !socket.data.packed).map((socket) => socket.id);
    const packed = sockets.filter((socket) => socket.data.packed).map((socket) => socket.id);
    if (json.length > 0) io.to(json).emit('delta', latest.delta);
    if (packed.length > 0) io.to(packed).emit('delta:packed', latest.packed);
  };
  const sendSnapshots = (): void => {
    snapshotTimer = null;
    sendLatest();
    const sockets = [...waiting].filter((socket) => socket.connected);
    waiting.clear();
    const json = sockets.filter((socket) => !socket.data.packed);
    const packed = sockets.filter((socket) => socket.data.packed);
    const base = deps.snapshot();
    if (json.length > 0) io.to(json.map((socket) => socket.id)).emit('snapshot', base);
    if (packed.length > 0) io.to(packed.map((socket) => socket.id)).emit('snapshot', packer.snapshot(base));
    for (const socket of json) void socket.join(EVERYONE);
    for (const socket of packed) void socket.join(EVERYONE_PACKED);
  };

  io.on('connection', (socket) => {
    const { user, packed } = socket.data;
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
      const deltas = deps.broadcaster.since(parsed.data.epoch, parsed.data.sinceSeq);
      if (!deltas) return ack({ ok: true, snapshot: snapshotFor(packed) });
      // A packed client also needs the indexes assigned in the deltas it missed (JSON deltas carry none).
      const answer: { ok: true; deltas: Delta[]; unitIndex?: UnitIndexEntry[] } = { ok: true, deltas };
      if (packed) answer.unitIndex = packer.assignedSince(parsed.data.sinceSeq);
      ack(answer);
    });
  });

  return {
    io,
    broadcast: (delta) => {
      // A room without a member here is skipped: its encoding would be wasted. A socket that was away
      // sees a gap in seq on its next delta and resyncs. (Revisit with a cross-node adapter.)
      if (hasMembers(EVERYONE)) io.to(EVERYONE).emit('delta', delta);
      // Always encoded, even with nobody in the room: the encoder's mirror must follow every delta.
      const packed = packer.encode(delta);
      latest = { delta, packed };
      if (hasMembers(EVERYONE_PACKED)) io.to(EVERYONE_PACKED).emit('delta:packed', packed);
    },
  };
}
