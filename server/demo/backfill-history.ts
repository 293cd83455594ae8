// Position history for the backfill: the simulator's own motion sampled once a minute per unit over the window
// (within DESIGN.md's downsampling, at most one fix per 5 s and only on movement, and 12× fewer rows than live
// history), written through the store's history API in transactions of about 50,000 fixes.
import type { Motion } from '../ingest/simulator';
import type { FixRecord, HistoryStore } from '../store/store';

export const BACKFILL_FIX_MS = 60_000;
const BATCH_FIXES = 50_000;

export interface HistoryBackfill {
  fixes: number;
  ms: number;
}

/** Writes fixes at from, from + 1 min, … (all before `to`); reports progress after each transaction. */
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
  const batchMs = Math.max(1, Math.floor(BATCH_FIXES / Math.max(1, motion.unitIds.length))) * BACKFILL_FIX_MS;
  for (let batchStart = first; batchStart < to; batchStart += batchMs) {
    const batch: FixRecord[] = [];
    const batchEnd = Math.min(batchStart + batchMs, to);
    for (let t = batchStart; t < batchEnd; t += BACKFILL_FIX_MS) {
      for (const f of motion.fixesAt(t)) {
        // A literal, not a spread: 400 k of them, and V8 builds literals much faster.
        batch.push({
          unitId: f.unitId,
          t,
          rx: t,
          lon: f.lon,
          lat: f.lat,
          accuracyMeters: f.accuracyMeters,
          headingDeg: f.headingDeg,
          speedMps: f.speedMps,
          source: f.source,
        });
      }
    }
    await history.append(batch);
    fixes += batch.length;
    progress(batchEnd - from, to - from);
  }
  return { fixes, ms: Math.round(performance.now() - started) };
}
