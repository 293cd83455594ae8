// Followers → leader over one Redis stream: accepted fixes (already durable in the shared store's history),
// device events and closed-loop changes made over REST on a follower. The leader reads from its cursor and
// moves the cursor only after the delta that carried what it read is published, so a leader that dies
// between the two leaves its successor to replay the rest (fixes and alerts are idempotent to replay:
// an out-of-order fix does not move a unit, an alert's source key is unique).
import type { Redis } from 'ioredis';
import type { AlertDetail, DomainEvent, Incident } from '../contract';
import type { FixRecord } from '../store/store';
import { readStream, type StreamEntry } from './streams';

export type Forwarded =
  | { kind: 'fix'; fix: FixRecord }
  | { kind: 'events'; events: DomainEvent[] }
  | { kind: 'changes'; incidents: Incident[]; alerts: AlertDetail[] };

/** Entries kept for a leader that is away: about ten minutes of a thousand fixes a second. */
const RELAY_MAX_LEN = 600_000;
const READ_COUNT = 2_000;
const BLOCK_MS = 250;

export interface RelaySender {
  /** Resolves once Redis has the entry. */
  send(entry: Forwarded): Promise<void>;
}

export function createRelaySender(redis: Redis, stream: string): RelaySender {
  return {
    async send(entry) {
      await redis.xadd(stream, 'MAXLEN', '~', RELAY_MAX_LEN, '*', 'e', JSON.stringify(entry));
    },
  };
}

export interface RelayReader {
  /** Reads from the committed cursor until stopped, handing each entry over in stream order. */
  start(onEntry: (entry: Forwarded) => void): void;
  /** The last entry handed over so far: what a flush that starts now will publish. */
  mark(): string | null;
  /** Records that everything up to mark is published (the next leader starts after it). */
  commit(mark: string | null): Promise<void>;
  stop(): Promise<void>;
  /** Closes the reader's own blocking connection. */
  close(): void;
  /** Entries read but not committed yet (a queue depth for /metrics). */
  uncommitted(): number;
}

export function createRelayReader(
  redis: Redis,
  stream: string,
  cursorKey: string,
  onError: (error: unknown) => void,
): RelayReader {
  const blocking = redis.duplicate();
  blocking.on('error', onError);
  let running = false;
  let done: Promise<void> = Promise.resolve();
  let read: string | null = null;
  let committed: string | null = null;
  let pending = 0;

  const loop = async (onEntry: (entry: Forwarded) => void): Promise<void> => {
    let cursor = (await redis.get(cursorKey)) ?? '0';
    committed = cursor;
    while (running) {
      let entries: StreamEntry[];
      try {
        entries = await readStream(blocking, stream, cursor, READ_COUNT, BLOCK_MS);
      } catch (error) {
        if (!running) return;
        onError(error);
        await new Promise((resolve) => setTimeout(resolve, 500));
        continue;
      }
      for (const [id, fields] of entries) {
        cursor = id;
        read = id;
        pending++;
        const raw = fields[1];
        if (raw === undefined) continue;
        try {
          onEntry(JSON.parse(raw) as Forwarded);
        } catch (error) {
          onError(error);
        }
      }
    }
  };

  return {
    start(onEntry) {
      if (running) return;
      running = true;
      done = loop(onEntry).catch(onError);
    },
    mark: () => read,
    async commit(mark) {
      if (mark === null || mark === committed) return;
      await redis.set(cursorKey, mark);
      committed = mark;
      pending = 0;
    },
    async stop() {
      running = false;
      await done;
    },
    uncommitted: () => pending,
    close: () => blocking.disconnect(),
  };
}
