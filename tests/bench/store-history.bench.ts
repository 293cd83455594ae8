// Position history on both stores: 10,000 fixes appended in group-commit batches of 1,000, then bbox
// queries (a small box, and a box with a tenth of the points) over that table and over 200,000 fixes.
// Durable settings on both sides: SQLite WAL with synchronous=FULL, PostgreSQL with fsync on.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openPostgresStore } from '../../server/store/postgres';
import { openSqliteStore } from '../../server/store/sqlite';
import type { FixRecord, Store } from '../../server/store/store';
import { startTestPostgres } from '../support/postgres';

const BATCH = 1_000;

function fixes(count: number, offset: number): FixRecord[] {
  return Array.from({ length: count }, (_, i) => {
    const n = offset + i;
    return {
      ...{ unitId: `u-${n % 1_000}`, t: 1_700_000_000_000 + n * 100, rx: 1_700_000_000_000 + n * 100 },
      // A 1°×1° square of 1,000 × 1,000 distinct positions, walked in a scattered order.
      ...{ lon: 100 + ((n * 7_919) % 1_000) / 1_000, lat: 21 + ((n * 104_729) % 997) / 997 },
      ...{ accuracyMeters: 5, headingDeg: 90, speedMps: 1.5, source: 'bench' },
    };
  });
}

async function timeAppend(store: Store, total: number, offset: number): Promise<number> {
  const started = performance.now();
  for (let n = 0; n < total; n += BATCH) await store.history.append(fixes(BATCH, offset + n));
  return performance.now() - started;
}

async function timeQuery(store: Store, bbox: [number, number, number, number]) {
  const runs: number[] = [];
  let found = 0;
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    found = (await store.history.query({ bbox, limit: 50_000 })).length;
    runs.push(performance.now() - started);
  }
  runs.sort((a, b) => a - b);
  return { found, medianMs: Math.round((runs[2] ?? 0) * 10) / 10 };
}

async function measure(name: string, store: Store): Promise<void> {
  const small: [number, number, number, number] = [100.2, 21.2, 100.25, 21.25];
  const tenth: [number, number, number, number] = [100.3, 21.3, 100.616, 21.616];
  const first = await timeAppend(store, 10_000, 0);
  const at10k = { small: await timeQuery(store, small), tenth: await timeQuery(store, tenth) };
  await timeAppend(store, 190_000, 10_000);
  const at200k = { small: await timeQuery(store, small), tenth: await timeQuery(store, tenth) };
  console.log(
    JSON.stringify({
      store: name,
      append10kMs: Math.round(first),
      fixesPerSecond: Math.round(10_000 / (first / 1000)),
      bboxAt10k: at10k,
      bboxAt200k: at200k,
    }),
  );
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lianfang-bench-store-'));
const sqlite = openSqliteStore(dir);
await measure('sqlite', sqlite);
await sqlite.close();
fs.rmSync(dir, { recursive: true, force: true });

const cluster = await startTestPostgres({ fsync: true });
try {
  const postgres = await openPostgresStore(cluster.url, { max: 2 });
  await measure('postgres', postgres);
  await postgres.close();
} finally {
  await cluster.stop();
}
