// Socket.io on the HTTP server: token auth in the handshake, a snapshot on connect, tablet positions with
// acknowledgements, and resync from the delta log.
import type { Server as HttpServer } from 'node:http';
import type { Logger } from 'pino';
import { Server } from 'socket.io';
import {
  PositionMessage,
  ResyncRequest,
  describeIssue,
  type ClientToServerEvents,
  type Delta,
  type ServerToClientEvents,
  type Snapshot,
  type User,
} from '../contract';
import type { Auth } from '../domain/auth';
import type { Ingest } from '../ingest/pipeline';
import type { Broadcaster } from './broadcaster';

interface SocketData {
  user: User;
}

export type LianfangIo = Server<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  SocketData
>;

export interface SocketDeps {
  auth: Auth;
  ingest: Ingest;
  broadcaster: Broadcaster;
  snapshot: () => Snapshot;
  logger: Logger;
}

const EVERYONE = 'all';

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
    const token: unknown = (socket.handshake.auth as Record<string, unknown> | undefined)?.token;
    if (typeof token !== 'string') return next(new Error('unauthenticated'));
    deps.auth.userFromToken(token).then(
      (user) => {
        if (!user) return next(new Error('unauthenticated'));
        socket.data.user = user;
        next();
      },
      () => next(new Error('unauthenticated')),
    );
  });

  io.on('connection', (socket) => {
    const user = socket.data.user;
    if (!socket.recovered) {
      void socket.join(EVERYONE);
      socket.emit('snapshot', deps.snapshot());
    }

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
      ack(deltas ? { ok: true, deltas } : { ok: true, snapshot: deps.snapshot() });
    });
  });

  return {
    io,
    broadcast: (delta) => {
      io.to(EVERYONE).emit('delta', delta);
    },
  };
}
