// Socket.io's in-memory adapter (with connection-state recovery), changed in one place: how a binary event
// reaches WebSocket clients. Socket.io sends an event with a binary payload as two packets, a text header and
// the bytes. Its adapter encodes the packets once per broadcast, but then every socket frames each packet
// and writes it on its own: two system calls per socket, the second a tick later. For `delta:packed`, ten
// times a second to every packed client, that was about a fifth of the server's busy time at 200 clients.
// Here both WebSocket frames are built once per broadcast and each WebSocket client gets them in one write.
// The bytes on the wire are the same. Long-polling clients, compressed WebSockets, events with an
// acknowledgement and every text event go the standard way.
//
// This reaches two private members of socket.io-adapter's Adapter (`_encode`, `apply`) and, in engine.io, the
// packet option `wsPreEncodedFrame` (which socket.io-adapter itself sets for text events) and the transport's
// test for it. The constructor checks the adapter's two, so an upgrade that removes them stops the server at
// start; a transport without the test (or with compression on) gets the standard path.
import { SessionAwareAdapter } from 'socket.io-adapter';
import WebSocket from 'ws';

type Namespace = ConstructorParameters<typeof SessionAwareAdapter>[0];
type BroadcastOptions = Parameters<SessionAwareAdapter['broadcast']>[1];

interface PacketOptions {
  preEncoded?: boolean;
  volatile?: boolean;
  compress?: boolean;
  wsPreEncodedFrame?: Buffer[];
}

/** What the adapter's per-socket step needs of a socket. */
interface EngineSocket {
  notifyOutgoingListeners?: (packet: unknown) => void;
  client: {
    conn: {
      /** engine.io's own test for writing a packet's pre-built frame (false on long-polling, or with compression). */
      transport: { _canSendPreEncodedFrame?: (packet: { options: PacketOptions }) => boolean };
      write(data: string, options: PacketOptions): void;
    };
    writeToEngine(packets: unknown[], options: PacketOptions): void;
  };
}

interface AdapterInternals {
  _encode(packet: { id?: number }, options: PacketOptions): unknown[];
  apply(options: BroadcastOptions, callback: (socket: EngineSocket) => void): void;
}

interface PreEncoded {
  packet: unknown;
  header: string;
  options: PacketOptions;
}

/** ws's own framing, as socket.io-adapter uses it for text events (not in ws's published types). */
const { Sender } = WebSocket as unknown as {
  Sender: { frame(data: Buffer, options: object): Buffer[] };
};

/** An unmasked, final, uncompressed frame: text (1) or binary (2). */
const frame = (data: Buffer, opcode: 1 | 2): Buffer[] =>
  Sender.frame(data, { readOnly: false, mask: false, rsv1: false, opcode, fin: true });

/** The attachment's bytes, without a copy: a Buffer, another typed array or an ArrayBuffer. */
function asBuffer(attachment: unknown): Buffer | null {
  if (Buffer.isBuffer(attachment)) return attachment;
  if (ArrayBuffer.isView(attachment))
    return Buffer.from(attachment.buffer, attachment.byteOffset, attachment.byteLength);
  if (attachment instanceof ArrayBuffer) return Buffer.from(attachment);
  return null;
}

/** One binary attachment after a text header: both frames, as one buffer to write. */
function preEncode(packet: unknown, encoded: unknown[], options: PacketOptions): PreEncoded | null {
  const [header, attachment] = encoded;
  if (encoded.length !== 2 || typeof header !== 'string') return null;
  const bytes = asBuffer(attachment);
  if (!bytes) return null;
  // "4" is the Engine.IO message type; binary messages carry no type byte on a WebSocket.
  const frames = [...frame(Buffer.from(`4${header}`), 1), ...frame(bytes, 2)];
  return { packet, header, options: { ...options, wsPreEncodedFrame: [Buffer.concat(frames)] } };
}

export class FanOutAdapter extends SessionAwareAdapter {
  constructor(nsp: Namespace) {
    super(nsp);
    const internals = this as unknown as AdapterInternals;
    if (typeof internals._encode !== 'function' || typeof internals.apply !== 'function')
      throw new Error('socket.io-adapter changed: FanOutAdapter needs Adapter._encode and Adapter.apply');
    const encode = internals._encode.bind(this);
    const apply = internals.apply.bind(this);
    let pending: PreEncoded | null = null;
    // broadcast() encodes once, then applies its per-socket step: the encoding is kept for that step.
    internals._encode = (packet, options) => {
      const encoded = encode(packet, options);
      pending = packet.id === undefined && !options.volatile ? preEncode(packet, encoded, options) : null;
      return encoded;
    };
    internals.apply = (options, callback) => {
      const pre = pending;
      pending = null;
      if (!pre) return apply(options, callback);
      apply(options, (socket) => {
        const { transport } = socket.client.conn;
        if (transport._canSendPreEncodedFrame?.({ options: pre.options }) !== true) return callback(socket);
        socket.notifyOutgoingListeners?.(pre.packet);
        // The header packet carries both frames; engine.io writes them as they are.
        socket.client.conn.write(pre.header, pre.options);
      });
    };
  }
}
