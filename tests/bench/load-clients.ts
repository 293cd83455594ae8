// The listening side of the load benchmark: M Socket.io clients that time every unit they receive
// (receive time − the fix's t, which the generator set to its send time), count each (unit, fix) once,
// and count the bytes on the wire. Packed clients run the web client's own live stream and decoder.
import { io, type Socket } from 'socket.io-client';
import { type PackedDelta, type UnitState } from '../../server/contract';
import { PACKED_RECORD_BYTES } from '../../server/packed-codec';
import { createLiveStream, type LiveSocket } from '../../client/lib/net/packed-stream';

const MAX_MS = 30_000;
const CONNECT_BATCH = 25;

export interface Histogram {
  add(ms: number): void;
  readonly count: number;
  quantile(q: number): number;
  merge(other: Pick<Histogram, 'bins' | 'count'>): void;
  bins(): Uint32Array;
}

export function createHistogram(): Histogram {
  const bins = new Uint32Array(MAX_MS + 1);
  let count = 0;
  return {
    add(ms) {
      bins[Math.min(MAX_MS, Math.max(0, Math.round(ms)))]!++;
      count++;
    },
    get count() {
      return count;
    },
    quantile(q) {
      let seen = 0;
      const wanted = Math.ceil(q * count);
      for (let ms = 0; ms <= MAX_MS; ms++) {
        seen += bins[ms] ?? 0;
        if (seen >= wanted && seen > 0) return ms;
      }
      return NaN;
    },
    merge(other) {
      const from = other.bins();
      for (let ms = 0; ms <= MAX_MS; ms++) bins[ms]! += from[ms] ?? 0;
      count += other.count;
    },
    bins: () => bins,
  };
}

export interface ListenOptions {
  url: string;
  clients: number;
  units: number;
  /** The generator's unit number of a unit id (for per-unit duplicate checks). */
  unitOf: (id: string) => number;
  token?: string;
  packed?: boolean;
  /** Packed clients that also run the web client's full decode into UnitStates (the rest read records only). */
  fullClients?: number;
  /** The number of the first client here (clients spread over worker threads count on from their share). */
  firstClient?: number;
  window: { from: number; to: number };
}

export interface Listeners {
  latency: Histogram;
  /** Packed records, one client a thread: from the fix's t to the server's receipt (its rx), the way in. */
  inbound: Histogram;
  /** Unit updates with t in the window, each (client, unit, t) once. */
  delivered(): number;
  duplicates(): number;
  /** Records naming an index the client had no id for. */
  unplaced(): number;
  seqGaps(): number;
  /** Packed only, in the window: unit updates as 16-byte records and as full states (meta), all light clients. */
  shapes(): { records: number; meta: number };
  /** Bytes on client 0's wire received during the window, and the unit updates they carried. */
  wire(): { bytes: number; units: number };
  /** Clients in worker threads: how late each thread's event loop ran in the window (ms). */
  loopDelayMs?(): { p99: number; max: number }[];
  close(): void;
}

interface Tally {
  lastT: Float64Array;
  delivered: number;
  duplicates: number;
}

/** Connects all clients and resolves once each has its snapshot (or, for the relay, is connected). */
export async function listen(options: ListenOptions): Promise<Listeners> {
  const latency = createHistogram();
  const inbound = createHistogram();
  const { window } = options;
  const sockets: Socket[] = [];
  const tallies: Tally[] = [];
  let unplaced = 0;
  let seqGaps = 0;
  const shapes = { records: 0, meta: 0 };
  const wire = { bytes: 0, units: 0 };
  const inWindow = (now: number): boolean => now >= window.from && now < window.to;

  const record = (tally: Tally, client: number, unit: number, t: number, now: number, rx?: number): void => {
    if (client === 0 && inWindow(now)) wire.units++;
    if (t < window.from || t >= window.to || unit < 0) return;
    if (t <= (tally.lastT[unit] ?? Infinity)) {
      tally.duplicates++;
      return;
    }
    tally.lastT[unit] = t;
    tally.delivered++;
    latency.add(now - t);
    if (rx !== undefined) inbound.add(rx - t);
  };

  const connect = (client: number): Promise<void> => {
    const socket = io(options.url, {
      auth: options.packed ? { token: options.token, packed: true } : { token: options.token },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    });
    sockets.push(socket);
    const tally: Tally = { lastT: new Float64Array(options.units).fill(-1), delivered: 0, duplicates: 0 };
    tallies.push(tally);
    if (client === 0) {
      socket.io.on('open', () => {
        socket.io.engine.on('packet', (packet: { data?: unknown }) => {
          if (!inWindow(Date.now())) return;
          const data = packet.data;
          if (typeof data === 'string') wire.bytes += Buffer.byteLength(data) + 1;
          else if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) wire.bytes += data.byteLength + 1;
        });
      });
    }
    const onUnit = (unit: UnitState | { id: string; t: number }, now: number): void =>
      record(tally, client, options.unitOf(unit.id), unit.t, now);
    if (!options.packed) {
      socket.on('delta', (delta: { units: { upsert: { id: string; t: number }[] } }) => {
        const now = Date.now();
        for (const unit of delta.units.upsert) onUnit(unit, now);
      });
    } else if (client < (options.fullClients ?? 2)) {
      attachFull(socket, onUnit);
    } else {
      attachLight(socket, tally, client, options, record, {
        onUnplaced: () => unplaced++,
        onGap: () => seqGaps++,
        shapes,
      });
    }
    return new Promise<void>((resolve, reject) => {
      socket.once(options.token ? 'snapshot' : 'connect', () => resolve());
      socket.once('connect_error', reject);
    });
  };
  // In batches, so that neither the listen queue nor the snapshot encoding sees all clients at once.
  const firstClient = options.firstClient ?? 0;
  for (let first = 0; first < options.clients; first += CONNECT_BATCH) {
    const batch = Array.from(
      { length: Math.min(CONNECT_BATCH, options.clients - first) },
      (_, i) => firstClient + first + i,
    );
    await Promise.all(batch.map(connect));
  }

  return {
    latency,
    inbound,
    delivered: () => tallies.reduce((sum, t) => sum + t.delivered, 0),
    duplicates: () => tallies.reduce((sum, t) => sum + t.duplicates, 0),
    unplaced: () => unplaced,
    seqGaps: () => seqGaps,
    shapes: () => ({ ...shapes }),
    wire: () => ({ ...wire }),
    close: () => {
      for (const socket of sockets) socket.disconnect();
    },
  };
}

/** The web client's path: the live stream decodes into UnitStates in a Map; every upsert is timed. */
function attachFull(socket: LiveSocket, onUnit: (unit: UnitState, now: number) => void): void {
  const units = new Map<string, UnitState>();
  let snapshotSeq = -1;
  createLiveStream(
    {
      applySnapshot: (snapshot) => {
        snapshotSeq = snapshot.seq;
        units.clear();
        for (const unit of snapshot.units) units.set(unit.id, unit);
      },
      applyDelta: (delta) => {
        const now = Date.now();
        // A snapshot's further parts come with its seq: they hold units, not deliveries.
        const delivered = delta.seq !== snapshotSeq;
        for (const unit of delta.units.upsert) {
          units.set(unit.id, unit);
          if (delivered) onUnit(unit, now);
        }
      },
      get: (id) => units.get(id),
    },
    { epoch: null, seq: 0, lastMessageAt: null },
  ).attach(socket);
}

/** Records only: index → unit from the snapshot and `ids`, t from each record (the bench has 200 of these). */
function attachLight(
  socket: Socket,
  tally: Tally,
  client: number,
  options: ListenOptions,
  record: (tally: Tally, client: number, unit: number, t: number, now: number, rx?: number) => void,
  on: { onUnplaced: () => void; onGap: () => void; shapes: { records: number; meta: number } },
): void {
  const unitAt = new Int32Array(0x10000).fill(-1);
  // Every client gets every fix: the first light client of each thread is enough to time the way in.
  const timesInbound = client === Math.max(options.firstClient ?? 0, options.fullClients ?? 2);
  let seq = -1;
  socket.on('snapshot', (snapshot: { seq: number; unitIndex?: [number, string][] }) => {
    seq = snapshot.seq;
    for (const [index, id] of snapshot.unitIndex ?? []) unitAt[index] = options.unitOf(id);
  });
  socket.on('snapshot:continued', (part: { unitIndex: [number, string][] }) => {
    for (const [index, id] of part.unitIndex) unitAt[index] = options.unitOf(id);
  });
  socket.on('delta:packed', (packed: PackedDelta) => {
    const now = Date.now();
    if (seq >= 0 && packed.seq !== seq + 1) on.onGap();
    seq = packed.seq;
    for (const [index, id] of packed.ids) unitAt[index] = options.unitOf(id);
    if (now >= options.window.from && now < options.window.to) {
      on.shapes.meta += packed.meta.length;
      on.shapes.records += packed.positions.byteLength / PACKED_RECORD_BYTES;
    }
    for (const unit of packed.meta) record(tally, client, options.unitOf(unit.id), unit.t, now);
    // Only the index (bytes 0–1), t − baseT (bytes 10–11) and the rx age (byte 12) of each record: the bench
    // runs 200 of these clients next to the server, so they skip building objects the web client builds.
    const bytes = packed.positions;
    const view = ArrayBuffer.isView(bytes)
      ? new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
      : new DataView(bytes);
    for (let at = 0; at + PACKED_RECORD_BYTES <= view.byteLength; at += PACKED_RECORD_BYTES) {
      const unit = unitAt[view.getUint16(at, true)] ?? -1;
      if (unit < 0) on.onUnplaced();
      else
        record(
          tally,
          client,
          unit,
          packed.baseT + view.getInt16(at + 10, true),
          now,
          timesInbound ? packed.baseT - view.getUint8(at + 12) * packed.rxStepMs : undefined,
        );
    }
  });
}
