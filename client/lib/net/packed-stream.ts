// The live stream on one socket, whichever encoding the server sends: snapshot → full reset (a packed one's
// further parts, `snapshot:continued`, each applied as it comes, in its own task); `delta` and
// `delta:packed` (one seq between them) applied in order; a gap asks for a resync, a packed record the
// client cannot place, or a snapshot part missing, asks for a fresh snapshot. No Svelte here: socket.ts hands
// it the stores.
import type { Socket } from 'socket.io-client';
import type {
  ClientToServerEvents,
  Delta,
  PackedDelta,
  ServerToClientEvents,
  Snapshot,
  SnapshotContinued,
  UnitState,
} from '../../../server/contract';
import { createPackedDecoder, hasUnitIndex, isPackedSnapshot, type PackedDecoder } from './packed-decoder';

export type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** Where the client is in the stream (the connection state the UI shows). */
export interface StreamCursor {
  epoch: string | null;
  seq: number;
  lastMessageAt: number | null;
}

export interface StreamStore {
  applySnapshot(snapshot: Snapshot): void;
  /** Also gets a packed snapshot's further parts, as deltas of upserts with the snapshot's seq. */
  applyDelta(delta: Delta): void;
  get(id: string): UnitState | undefined;
  /**
   * Optional fast path for packed deltas: the store reads the records in place (no UnitState per record,
   * which at tens of thousands of units a second is most of the cost) and applies the rest of the delta.
   * False when a record names an index or a unit it does not hold.
   */
  applyPacked?(packed: PackedDelta, index: PackedDecoder): boolean;
}

export interface LiveStream {
  /** Listens on the socket until the returned function is called. */
  attach(socket: LiveSocket): () => void;
}

const RESYNC_TIMEOUT_MS = 10_000;

/** One stream per store: its index table and cursor outlive any one socket listener. */
export function createLiveStream(
  store: StreamStore,
  cursor: StreamCursor,
  now: () => number = Date.now,
): LiveStream {
  const decoder = createPackedDecoder();
  let resyncing = false;
  let socket: LiveSocket | null = null;
  /** The parts of the last snapshot still to come: until they have, no delta applies. */
  let awaiting: { epoch: string; seq: number; next: number; parts: number } | null = null;

  const applySnapshot = (snapshot: Snapshot): void => {
    cursor.epoch = snapshot.epoch;
    cursor.seq = snapshot.seq;
    cursor.lastMessageAt = now();
    const packed = isPackedSnapshot(snapshot);
    decoder.reset(packed ? snapshot.unitIndex : []);
    const parts = packed ? (snapshot.parts ?? 0) : 0;
    awaiting = parts > 0 ? { epoch: snapshot.epoch, seq: snapshot.seq, next: 1, parts } : null;
    store.applySnapshot(snapshot);
  };

  /** A further part of the snapshot being received; one out of place means parts were lost: start over. */
  const applyPart = (part: SnapshotContinued): void => {
    const expected = awaiting;
    if (!expected) return; // of a snapshot given up on (a new one, or a resync that timed out)
    cursor.lastMessageAt = now();
    if (part.epoch !== expected.epoch || part.seq !== expected.seq || part.part !== expected.next) {
      awaiting = null;
      return resync(true);
    }
    expected.next++;
    if (expected.next > expected.parts) awaiting = null;
    decoder.assign(part.unitIndex);
    store.applyDelta({
      epoch: part.epoch,
      seq: part.seq,
      units: { upsert: part.units, remove: [] },
      incidents: [],
      alerts: [],
      events: [],
    });
  };

  /** Asks for what was missed; `fresh` asks for a snapshot (a foreign epoch always gets one). */
  const resync = (fresh: boolean): void => {
    const target = socket;
    if (resyncing || !target) return;
    resyncing = true;
    const request = fresh ? { epoch: '', sinceSeq: 0 } : { epoch: cursor.epoch ?? '', sinceSeq: cursor.seq };
    target.timeout(RESYNC_TIMEOUT_MS).emit('resync', request, (error, result) => {
      resyncing = false;
      if (error || !result.ok) return;
      if ('snapshot' in result) return applySnapshot(result.snapshot);
      if (hasUnitIndex(result)) decoder.assign(result.unitIndex);
      for (const delta of result.deltas) applyDelta(delta);
    });
  };

  /** True when this is the next delta; a gap asks for a resync, a replayed one is dropped. */
  const isNext = (epoch: string, seq: number): boolean => {
    cursor.lastMessageAt = now();
    if (awaiting) {
      // The server sends every part before the next delta: parts went missing (a drop mid-snapshot).
      awaiting = null;
      resync(true);
      return false;
    }
    if (epoch === cursor.epoch && seq === cursor.seq + 1) return true;
    if (epoch !== cursor.epoch || seq > cursor.seq) resync(false);
    return false;
  };

  const applyDelta = (delta: Delta): void => {
    if (!isNext(delta.epoch, delta.seq)) return;
    cursor.seq = delta.seq;
    store.applyDelta(delta);
  };

  const applyPacked = (packed: PackedDelta): void => {
    if (!isNext(packed.epoch, packed.seq)) return;
    if (store.applyPacked) {
      decoder.assign(packed.ids);
      if (!store.applyPacked(packed, decoder)) return resync(true);
      cursor.seq = packed.seq;
      return;
    }
    const delta = decoder.decode(packed, (id) => store.get(id));
    if (!delta) return resync(true);
    cursor.seq = packed.seq;
    store.applyDelta(delta);
  };

  const onDisconnect = (): void => {
    resyncing = false;
  };
  return {
    attach(target) {
      socket = target;
      target.on('snapshot', applySnapshot);
      target.on('snapshot:continued', applyPart);
      target.on('delta', applyDelta);
      target.on('delta:packed', applyPacked);
      target.on('disconnect', onDisconnect);
      return () => {
        if (socket === target) socket = null;
        target.off('snapshot', applySnapshot);
        target.off('snapshot:continued', applyPart);
        target.off('delta', applyDelta);
        target.off('delta:packed', applyPacked);
        target.off('disconnect', onDisconnect);
      };
    },
  };
}
