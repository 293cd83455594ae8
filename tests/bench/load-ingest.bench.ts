// In-process ingest throughput: OsmAnd adapter parse → ingest (zod) → engine (classify against the shipped
// scenario) → store (history group commit on a real SQLite file, synchronous=FULL), no HTTP. Distinct units,
// 5 s apart per unit so that every fix passes the history downsampling and is written. The naive
// alternative in the same run: the same fixes written one transaction each. One JSON line each, then a ratio.
//   npx tsx tests/bench/load-ingest.bench.ts       (BENCH_INGEST_S=15 by default)
import fs from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { createApp, type App } from '../../server/app';
import { loadConfig } from '../../server/config';
import type { PositionReport } from '../../server/contract';
import { seedDemoAccounts } from '../../server/domain/accounts';
import { loadScenario, readScenario } from '../../server/domain/scenario';
import { parseOsmAndRequest } from '../../server/ingest/osmand-parse';
import { openSqliteStore } from '../../server/store/sqlite';
import type { Store } from '../../server/store/store';
import { ROOT, tempDir } from '../support/server';
import { describeMachine } from './load-machine';

const UNITS = 5_000;
const SECONDS = Number(process.env.BENCH_INGEST_S ?? 15);
const NAIVE_SECONDS = 3;
const FLUSH_MS = 100;
const STEP_MS = 5_000;
const TZ = 'Asia/Shanghai';

const kinds = ['military', 'police', 'civilian'] as const;

function query(unit: number, round: number, t: number): string {
  const lon = 106.7 + (unit % 100) * 0.002 + round * 1e-4;
  const lat = 21.98 + Math.floor(unit / 100) * 0.004 + round * 1e-4;
  return `id=lbd-${unit}&lat=${lat.toFixed(7)}&lon=${lon.toFixed(7)}&timestamp=${t}&speed=3&bearing=${(round * 7) % 360}&accuracy=5`;
}

/** What the OsmAnd adapter does with one GET, minus the socket: parse, look the device up, normalise. */
function adapt(q: string, unitOfDevice: (deviceId: string) => string | undefined): PositionReport {
  const parsed = parseOsmAndRequest({ query: q, contentType: null, body: '' }, { timeZone: TZ });
  const fix = parsed.ok ? parsed.fixes[0] : undefined;
  const unitId = fix ? unitOfDevice(fix.deviceId) : undefined;
  if (!fix || !unitId || fix.lon === null || fix.lat === null || fix.t === null)
    throw new Error(`bad fix ${q}`);
  return {
    unitId,
    source: 'osmand',
    lon: fix.lon,
    lat: fix.lat,
    t: fix.t,
    accuracyMeters: fix.accuracyMeters,
    headingDeg: fix.headingDeg,
    speedMps: fix.speedMps,
  };
}

async function openStore(dir: string): Promise<Store> {
  const store = openSqliteStore(dir);
  await loadScenario(store, readScenario(path.join(ROOT, 'data')), Date.now());
  await seedDemoAccounts(store, 'lianfang-demo', Date.now());
  const units = Array.from({ length: UNITS }, (_, i) => ({
    id: `lb-${i}`,
    kind: kinds[i % 3] ?? 'police',
    callsign: `LB-${i}`,
    deviceId: `lbd-${i}`,
    createdAt: Date.now(),
  }));
  await store.units.createMany(units);
  return store;
}

type UnitOfDevice = (deviceId: string) => string | undefined;

/** Ours: every unit once per round, two rounds in flight, until SECONDS have passed. */
async function measureOurs(app: App, unitOfDevice: UnitOfDevice, t0: number) {
  const cpuFrom = process.cpuUsage();
  const started = performance.now();
  let accepted = 0;
  let previous: Promise<unknown> = Promise.resolve();
  let round = 0;
  for (; performance.now() - started < SECONDS * 1000; round++) {
    const batch: Promise<unknown>[] = [];
    for (let unit = 0; unit < UNITS; unit++) {
      const report = adapt(query(unit, round, t0 + round * STEP_MS), unitOfDevice);
      batch.push(
        app.ingest.submit(report).then((result) => {
          if (!result.ok || !result.applied) throw new Error(`not applied: ${JSON.stringify(result)}`);
          accepted++;
        }),
      );
    }
    await previous; // one round being parsed while the one before waits for its commit
    previous = Promise.all(batch);
  }
  await previous;
  const wallS = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuFrom);
  const cpuS = (cpu.user + cpu.system) / 1e6;
  return {
    rounds: round,
    result: {
      bench: 'ingest-in-process',
      path: 'osmand parse → ingest → engine → history group commit',
      units: UNITS,
      positions: accepted,
      wallS: Math.round(wallS * 10) / 10,
      positionsPerS: Math.round(accepted / wallS),
      cpuS: Math.round(cpuS * 10) / 10,
      positionsPerCpuS: Math.round(accepted / cpuS),
    },
  };
}

/** Naive: the same path, but every fix committed on its own before the next (no group commit). */
async function measureNaive(app: App, store: Store, unitOfDevice: UnitOfDevice, t: number) {
  const started = performance.now();
  let naive = 0;
  for (; performance.now() - started < NAIVE_SECONDS * 1000; naive++) {
    const report = adapt(query(naive % UNITS, 0, t), unitOfDevice);
    app.live.accept(report, Date.now());
    await store.history.append([{ ...report, rx: Date.now() }]);
  }
  const positionsPerS = Math.round(naive / ((performance.now() - started) / 1000));
  return { bench: 'ingest-naive', path: 'one transaction per fix', positions: naive, positionsPerS };
}

async function main(): Promise<void> {
  const watchdog = setTimeout(() => {
    console.error('ingest bench: watchdog');
    process.exit(2);
  }, 110_000);
  console.log(JSON.stringify({ machine: describeMachine() }));
  const dir = tempDir('lianfang-ingest-bench-');
  const store = await openStore(dir);
  const app = await createApp({
    config: loadConfig({ DATA_DIR: dir, LOG_LEVEL: 'silent', FLUSH_MS: String(FLUSH_MS) }),
    store,
    logger: pino({ level: 'silent' }),
    jwtSecret: 'bench-secret-bench-secret-bench-secret-0',
    clientDir: path.join(dir, 'no-client'),
    scenarioDir: path.join(ROOT, 'data'),
  });
  const unitOfDevice: UnitOfDevice = (deviceId) => app.registry.byDeviceId(deviceId)?.id;
  // The flush loop as app.listen() runs it, without opening any port.
  const loop = setInterval(() => void app.flush(), FLUSH_MS);
  // Fix times in the past, STEP_MS apart per unit, ending before now (never "ahead of the server clock").
  const t0 = Date.now() - ((SECONDS * 60_000) / UNITS + 10) * STEP_MS;
  const { rounds, result: ours } = await measureOurs(app, unitOfDevice, t0);
  clearInterval(loop);
  const stored = await store.history.query({ unitId: 'lb-0', limit: 10_000 });
  console.log(JSON.stringify({ ...ours, perUnitHistoryRows: stored.length }));
  const naive = await measureNaive(app, store, unitOfDevice, t0 + (rounds + 1) * STEP_MS);
  console.log(JSON.stringify(naive));
  const ratioToNaive = Math.round((ours.positionsPerS / naive.positionsPerS) * 10) / 10;
  const { positionsPerS, positionsPerCpuS } = ours;
  console.log(JSON.stringify({ summary: { positionsPerS, positionsPerCpuS, goal: 20_000, ratioToNaive } }));
  await app.close();
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
  clearTimeout(watchdog);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
