// Position history for the backfill: the simulator's own motion sampled over the window, written through
// the store's history API, an hour of fixes per transaction. One fix a minute per unit: within DESIGN.md's
// downsampling (at most one per 5 s, on movement) and 12× fewer rows than live history, so it is quick.
import type { Motion } from '../ingest/simulator';
import type { FixRecord, HistoryStore } from '../store/store';

export const BACKFILL_FIX_MS = 60_000;
const BATCH_MS = 3_600_000;

export interface HistoryBackfill {
  fixes: number;
  ms: number;
}

/** Writes fixes at from, from + 1 min, … (all before `to`); reports progress after each batch. */
export async function backfillHistory(
  history: HistoryStore,
  motion: Motion,
  from: number,
  to: number,
  progress: (done: number, total: number) => void = () => undefined,
): Promise<HistoryBackfill> {
  const started = performance.now();
  let fixes = 0;
  const first = Math.ceil(from / BACKFILL_FIX_MS) * BACKFILL_FIX_MS;
  for (let batchStart = first; batchStart < to; batchStart += BATCH_MS) {
    const batch: FixRecord[] = [];
    const batchEnd = Math.min(batchStart + BATCH_MS, to);
    for (let t = batchStart; t < batchEnd; t += BACKFILL_FIX_MS) {
      for (const fix of motion.fixesAt(t)) batch.push({ ...fix, rx: t });
    }
    await history.append(batch);
    fixes += batch.length;
    progress(batchEnd - from, to - from);
  }
  return { fixes, ms: Math.round(performance.now() - started) };
}
