// Group commit of position history: fixes queue in memory and are written in one transaction per flush;
// each enqueue resolves once the flush that covers it is durable. Downsampled per unit (≥ MIN_GAP_MS apart,
// and only when the unit moved or turned), with a cap on the queue so a stuck disk cannot eat the memory.
import type { FixRecord, HistoryStore } from './store';

export const MIN_GAP_MS = 5_000;
const MAX_QUEUE = 100_000;
const TURN_DEG = 30;

export interface HistoryWriter {
  /** Resolves when the fix (or the decision to skip it) is durable; rejects if the write failed. */
  enqueue(fix: FixRecord): Promise<void>;
  flush(): Promise<void>;
  pending(): number;
}

function turned(a: number | null, b: number | null): boolean {
  if (a === null || b === null) return false;
  const d = Math.abs(a - b) % 360;
  return Math.min(d, 360 - d) >= TURN_DEG;
}

function worthKeeping(previous: FixRecord | undefined, fix: FixRecord): boolean {
  if (!previous) return true;
  if (fix.t < previous.t) return true; // a late fix fills a gap in history
  if (fix.t - previous.t < MIN_GAP_MS) return false;
  const moved = fix.lon !== previous.lon || fix.lat !== previous.lat;
  return moved || turned(previous.headingDeg, fix.headingDeg);
}

export function createHistoryWriter(history: HistoryStore): HistoryWriter {
  const lastKept = new Map<string, FixRecord>();
  let queue: FixRecord[] = [];
  let waiters: { resolve: () => void; reject: (error: unknown) => void }[] = [];
  let writing: Promise<void> = Promise.resolve();

  const flush = (): Promise<void> => {
    const batch = queue;
    const batchWaiters = waiters;
    queue = [];
    waiters = [];
    writing = writing.then(async () => {
      try {
        await history.append(batch);
        for (const waiter of batchWaiters) waiter.resolve();
      } catch (error) {
        for (const waiter of batchWaiters) waiter.reject(error);
      }
    });
    return writing;
  };

  return {
    enqueue(fix) {
      if (worthKeeping(lastKept.get(fix.unitId), fix)) {
        if (queue.length >= MAX_QUEUE) return Promise.reject(new Error('history queue full'));
        queue.push(fix);
        const previous = lastKept.get(fix.unitId);
        if (!previous || fix.t > previous.t) lastKept.set(fix.unitId, fix);
      }
      return new Promise((resolve, reject) => waiters.push({ resolve, reject }));
    },
    flush,
    pending: () => queue.length,
  };
}
