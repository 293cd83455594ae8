// The fan-out adapter on a bare Socket.io server: a binary event broadcast to a room reaches WebSocket and
// long-polling clients alike, the WebSocket frames are the ones stock Socket.io sends, and connection-state
// recovery still replays what a client missed.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { SessionAwareAdapter } from 'socket.io-adapter';
import { io as connectClient, type Socket as ClientSocket } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { FanOutAdapter } from '../../server/realtime/fan-out-adapter';
import { until } from '../support/until';

interface Rig {
  url: string;
  io: Server;
  /** Engine.IO packets created for WebSocket clients after their connect. */
  packets: { count: number };
  close(): Promise<void>;
}

const rigs: Rig[] = [];
const clients: { close(): void }[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  for (const rig of rigs.splice(0)) await rig.close();
});

async function startRig(adapter: typeof SessionAwareAdapter, perMessageDeflate = false): Promise<Rig> {
  const httpServer = http.createServer();
  const io = new Server(httpServer, {
    adapter,
    perMessageDeflate,
    connectionStateRecovery: { maxDisconnectionDuration: 60_000, skipMiddlewares: false },
  });
  const packets = { count: 0 };
  io.on('connection', (socket) => {
    void socket.join('room');
    if (socket.conn.transport.name === 'websocket') socket.conn.on('packetCreate', () => packets.count++);
  });
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const { port } = httpServer.address() as AddressInfo;
  const rig = {
    url: `http://127.0.0.1:${port}`,
    io,
    packets,
    close: () => new Promise<void>((resolve) => void io.close(() => resolve())),
  };
  rigs.push(rig);
  return rig;
}

/** A Socket.io client that records every `positions` event. */
async function listen(
  url: string,
  transports: ('websocket' | 'polling')[],
): Promise<{ socket: ClientSocket; got: [number, Uint8Array][] }> {
  const socket = connectClient(url, { transports, forceNew: true, reconnection: false });
  clients.push(socket);
  const got: [number, Uint8Array][] = [];
  socket.on('positions', (seq: number, bytes: ArrayBuffer | Uint8Array) => {
    got.push([seq, new Uint8Array(bytes instanceof ArrayBuffer ? bytes : bytes.slice())]);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  return { socket, got };
}

/** A raw WebSocket speaking Engine.IO 4 to namespace "/": every frame after the connect, as sent. */
async function rawFrames(url: string): Promise<{ frames: (string | Buffer)[] }> {
  const ws = new WebSocket(`${url.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket`);
  clients.push({ close: () => ws.close() });
  const frames: (string | Buffer)[] = [];
  let connected = false;
  await new Promise<void>((resolve, reject) => {
    ws.on('error', reject);
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      const frame = isBinary ? data : data.toString();
      if (frame === '2') return void ws.send('3'); // ping
      if (typeof frame === 'string' && frame.startsWith('0')) return void ws.send('40');
      if (typeof frame === 'string' && frame.startsWith('40')) {
        connected = true;
        return resolve();
      }
      if (connected) frames.push(frame);
    });
  });
  return { frames };
}

const bytesOf = (n: number): Uint8Array => Uint8Array.from({ length: 16 * n }, (_, i) => (i * 7 + n) & 0xff);

/** The frames with the recovery offset (a random id at the end of each event) taken out. */
const withoutOffset = (frames: (string | Buffer)[]): (string | Buffer)[] =>
  frames.map((frame) => (typeof frame === 'string' ? frame.replace(/,"[^"]+"\]$/, ']') : frame));

describe('FanOutAdapter', () => {
  it('sends WebSocket clients the frames stock Socket.io sends, and long-polling clients the same event', async () => {
    const sent: (string | Buffer)[][] = [];
    for (const adapter of [SessionAwareAdapter, FanOutAdapter]) {
      const rig = await startRig(adapter);
      const raw = await rawFrames(rig.url);
      const ws = await listen(rig.url, ['websocket']);
      const polling = await listen(rig.url, ['polling']);
      await until(() => rig.io.of('/').adapter.rooms.get('room')?.size === 3, 'three members');
      for (let seq = 1; seq <= 3; seq++) rig.io.to('room').emit('positions', seq, bytesOf(seq));
      rig.io.to('room').emit('note', 'text events are untouched');
      await until(() => raw.frames.length === 7 && ws.got.length === 3 && polling.got.length === 3, 'all');
      for (const client of [ws, polling])
        expect(client.got).toEqual([1, 2, 3].map((seq) => [seq, bytesOf(seq)]));
      sent.push(withoutOffset(raw.frames));
      // Two WebSocket clients, three binary events and a text one: stock Socket.io writes each binary event
      // as two packets (header, bytes), ours as one write carrying both frames.
      expect(rig.packets.count).toBe(adapter === FanOutAdapter ? 2 * 4 : 2 * 7);
    }
    const [stock, ours] = sent;
    expect(ours).toEqual(stock);
    expect(ours?.[0]).toBe('451-["positions",1,{"_placeholder":true,"num":0}]');
    expect(Buffer.compare(ours?.[1] as Buffer, Buffer.from(bytesOf(1)))).toBe(0);
  });

  it('leaves compressed WebSockets to the standard path', async () => {
    const rig = await startRig(FanOutAdapter, true);
    const ws = await listen(rig.url, ['websocket']);
    await until(() => rig.io.of('/').adapter.rooms.get('room')?.size === 1, 'member');
    for (let seq = 1; seq <= 3; seq++) rig.io.to('room').emit('positions', seq, bytesOf(seq));
    await until(() => ws.got.length === 3, 'all');
    expect(ws.got).toEqual([1, 2, 3].map((seq) => [seq, bytesOf(seq)]));
    expect(rig.packets.count).toBe(2 * 3); // header and bytes, each its own packet
  });

  it('keeps connection-state recovery: a client back from a drop gets the binary events it missed', async () => {
    const rig = await startRig(FanOutAdapter);
    const socket = connectClient(rig.url, { transports: ['websocket'], forceNew: true });
    clients.push(socket);
    const got: number[] = [];
    socket.on('positions', (seq: number) => got.push(seq));
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    await until(() => rig.io.of('/').adapter.rooms.get('room')?.size === 1, 'member');
    rig.io.to('room').emit('positions', 1, bytesOf(1));
    await until(() => got.length === 1, 'first event');
    // The network drops: the transport closes without a goodbye; the server keeps the session.
    (socket.io.engine as unknown as { close(): void }).close();
    await until(() => rig.io.of('/').adapter.rooms.get('room') === undefined, 'server saw the drop');
    rig.io.to('room').emit('positions', 2, bytesOf(2));
    rig.io.to('room').emit('positions', 3, bytesOf(3));
    await until(() => got.length === 3, 'missed events replayed');
    expect(socket.recovered).toBe(true);
    expect(got).toEqual([1, 2, 3]);
  });

  it('refuses to start on a socket.io-adapter without the members it relies on', () => {
    const proto = SessionAwareAdapter.prototype as unknown as { _encode?: unknown };
    proto._encode = undefined; // shadows Adapter.prototype._encode
    try {
      expect(() => new Server({ adapter: FanOutAdapter, connectionStateRecovery: {} })).toThrow(
        /FanOutAdapter needs Adapter._encode/,
      );
    } finally {
      delete proto._encode;
    }
    expect(() => new Server({ adapter: FanOutAdapter, connectionStateRecovery: {} })).not.toThrow();
  });
});
