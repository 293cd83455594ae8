// Group commit and downsampling of position history.
import { describe, expect, it } from 'vitest';
import { createHistoryWriter, MIN_GAP_MS } from '../../server/store/history-writer';
import type { FixRecord, HistoryStore } from '../../server/store/store';

function memoryHistory(): HistoryStore & { batches: FixRecord[][] } {
  const batches: FixRecord[][] = [];
  return {
    batches,
    append: async (fixes) => {
      batches.push(fixes);
    },
    query: async () => batches.flat(),
    prune: async () => 0,
  };
}

const fix = (t: number, lon = 106.7, headingDeg: number | null = 0): FixRecord => ({
  unitId: 'u1',
  t,
  rx: t,
  lon,
  lat: 21.98,
  accuracyMeters: 5,
  headingDeg,
  speedMps: 1,
  source: 'test',
});

describe('history writer', () => {
  it('resolves enqueued fixes only after the flush that writes them', async () => {
    const history = memoryHistory();
    const writer = createHistoryWriter(history);
    let done = false;
    const pending = writer.enqueue(fix(1000)).then(() => (done = true));
    await Promise.resolve();
    expect(done).toBe(false);
    await writer.flush();
    await pending;
    expect(done).toBe(true);
    expect(history.batches).toEqual([[fix(1000)]]);
  });

  it('keeps at most one fix per unit per MIN_GAP_MS, and only when it moved or turned', async () => {
    const history = memoryHistory();
    const writer = createHistoryWriter(history);
    void writer.enqueue(fix(0));
    void writer.enqueue(fix(1000, 106.8)); // too soon
    void writer.enqueue(fix(MIN_GAP_MS + 1, 106.7)); // same place, same heading as the kept one
    void writer.enqueue(fix(MIN_GAP_MS + 2, 106.7, 90)); // turned
    void writer.enqueue(fix(3 * MIN_GAP_MS, 106.9, 90)); // moved
    await writer.flush();
    expect(history.batches.flat().map((f) => f.t)).toEqual([0, MIN_GAP_MS + 2, 3 * MIN_GAP_MS]);
  });

  it('rejects the waiters of a failed write', async () => {
    const writer = createHistoryWriter({
      ...memoryHistory(),
      append: () => Promise.reject(new Error('disk full')),
    });
    const pending = writer.enqueue(fix(0));
    await writer.flush();
    await expect(pending).rejects.toThrow('disk full');
  });
});
