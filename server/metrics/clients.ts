// The connected sockets of this node as /metrics counts them: transport, room kind, encoding, and the
// packets engine.io holds for each that the network has not taken yet (a slow client's backlog).
import type { LianfangIo } from '../realtime/socket-server';
import type { ScrapeSources } from './lianfang-metrics';

export function clientsOf(io: LianfangIo): ReturnType<ScrapeSources['clients']> {
  return [...io.of('/').sockets.values()].map((socket) => ({
    transport: socket.conn.transport.name,
    room: socket.data.scope?.whole === false ? 'scoped' : 'whole',
    packed: socket.data.packed === true,
    // engine.io's own write buffer: not public API, so read defensively (0 if it moves).
    buffered: (socket.conn as unknown as { writeBuffer?: unknown[] }).writeBuffer?.length ?? 0,
  }));
}
