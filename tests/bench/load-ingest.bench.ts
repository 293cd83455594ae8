// In-process ingest throughput: OsmAnd adapter parse → ingest (zod) → engine (classify against the shipped
// scenario) → store (history group commit on a real SQLite file, synchronous=FULL), no HTTP. Distinct units,
// 5 s apart per unit so that every fix passes the history downsampling and is written. The naive
// alternative in the same run: the same fixes written one transaction each. One JSON line each, then a ratio.
//   npx tsx tests/bench/load-ingest.bench.ts       (BENCH_INGEST_S=15 by default)
import fs from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { createApp } from '../../server/app';
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

async function main(): Promise<void> {
  const watchdog = setTimeout(() => {
    console.error('ingest bench: watchdog');
    process.exit(2);
  }, 110_000);
  console.log(JSON.stringify({ machine: describeMachine() }));
  const dir = tempDir('lianfang-ingest-bench-');
  const store = await openStore(dir);
  const config = loadConfig({ DATA_DIR: dir, LOG_LEVEL: 'silent', FLUSH_MS: String(FLUSH_MS) });
  const app = await createApp({
    config,
    store,
    logger: pino({ level: 'silent' }),
    jwtSecret: 'bench-secret-bench-secret-bench-secret-0',
    clientDir: path.join(dir, 'no-client'),
    scenarioDir: path.join(ROOT, 'data'),
  });
  const unitOfDevice = (deviceId: string): string | undefined => app.registry.byDeviceId(deviceId)?.id;
  // The flush loop as app.listen() runs it, without opening any port.
  const loop = setInterval(() => void app.flush(), FLUSH_MS);
  const rounds = Math.ceil((SECONDS * 60_000) / UNITS) + 2; // more than we can do in SECONDS
  const t0 = Date.now() - rounds * STEP_MS - 60_000;

  const cpuFrom = process.cpuUsage();
  const started = performance.now();
  let accepted = 0;
  let previous: Promise<unknown> = Promise.resolve();
  let round = 0;
  for (; round < rounds && performance.now() - started < SECONDS * 1000; round++) {
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
    await previous; // two rounds in flight: one being parsed while the other waits for its commit
    previous = Promise.all(batch);
  }
  await previous;
  const wallS = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuFrom);
  const cpuS = (cpu.user + cpu.system) / 1e6;
  clearInterval(loop);
  const stored = await store.history.query({ unitId: 'lb-0', limit: 10_000 });
  const ours = {
    bench: 'ingest-in-process',
    path: 'osmand parse → ingest → engine → history group commit',
    units: UNITS,
    positions: accepted,
    perUnitHistoryRows: stored.length,
    wallS: Math.round(wallS * 10) / 10,
    positionsPerS: Math.round(accepted / wallS),
    cpuS: Math.round(cpuS * 10) / 10,
    positionsPerCpuS: Math.round(accepted / cpuS),
  };
  console.log(JSON.stringify(ours));

  // Naive: the same path, but every fix committed on its own before the next (no group commit).
  const naiveStarted = performance.now();
  let naive = 0;
  for (; performance.now() - naiveStarted < NAIVE_SECONDS * 1000; naive++) {
    const report = adapt(query(naive % UNITS, round + 1, t0 + (round + 1) * STEP_MS), unitOfDevice);
    app.live.accept(report, Date.now());
    await store.history.append([{ ...report, rx: Date.now() }]);
  }
  const naiveS = (performance.now() - naiveStarted) / 1000;
  const naiveRate = Math.round(naive / naiveS);
  console.log(
    JSON.stringify({
      bench: 'ingest-naive',
      path: 'one transaction per fix',
      positions: naive,
      positionsPerS: naiveRate,
    }),
  );
  console.log(
    JSON.stringify({
      summary: {
        positionsPerS: ours.positionsPerS,
        positionsPerCpuS: ours.positionsPerCpuS,
        goal: 20_000,
        ratioToNaive: Math.round((ours.positionsPerS / naiveRate) * 10) / 10,
      },
    }),
  );
  await app.close();
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
  clearTimeout(watchdog);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
