// The soak (issue 9 §10), outside `npm test`: SOAK_UNITS units (5,000) at 1 Hz over OsmAnd HTTP into the real
// server (as `npm start` runs it) for SOAK_MINUTES (30), with a few Socket.io clients listening. Every
// SOAK_INTERVAL_S (60) it prints one JSON line: the server's memory, ingest → client latency over the
// interval, refused or failed fixes, lost deliveries. Then a summary: does memory level off, does latency
// drift? Loopback only; the generator shares the machine's cores with the server.
//   npx tsx tests/bench/soak.ts            SOAK_MINUTES=5 for a quick look
import path from 'node:path';
import { openSqliteStore } from '../../server/store/sqlite';
import { startServerProcess } from '../support/process';
import { tempDir } from '../support/server';
import { listen } from './load-clients';
import { startDriver } from './load-generator';
import { describeMachine, processTreeRssMiB } from './load-machine';

const UNITS = Number(process.env.SOAK_UNITS ?? 5_000);
const MINUTES = Number(process.env.SOAK_MINUTES ?? 30);
const INTERVAL_S = Number(process.env.SOAK_INTERVAL_S ?? 60);
const CLIENTS = Number(process.env.SOAK_CLIENTS ?? 10);
const RAMP_S = 20;
const KINDS = ['military', 'police', 'civilian'] as const;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const unitOf = (id: string): number => (id.startsWith('sk-') ? Number(id.slice(3)) : -1);

async function login(url: string, username: string): Promise<string> {
  const response = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: 'lianfang-demo' }),
  });
  return ((await response.json()) as { token: string }).token;
}

async function main(): Promise<void> {
  const dataDir = path.join(tempDir('lianfang-soak-'), 'var');
  const store = openSqliteStore(dataDir);
  await store.units.createMany(
    Array.from({ length: UNITS }, (_, i) => ({
      id: `sk-${i}`,
      kind: KINDS[i % 3] ?? 'police',
      callsign: `SK-${i}`,
      deviceId: `skd-${i}`,
      createdAt: Date.now(),
    })),
  );
  await store.close();
  const server = await startServerProcess(
    {
      DEMO: '1',
      SIM_UNITS: '0',
      DEMO_BACKFILL_DAYS: '0',
      DEMO_LIFE_INTERVAL_MS: '0',
      DATA_DIR: dataDir,
      UNIT_STALE_MS: '600000',
      LOG_LEVEL: 'info', // startServerProcess reads the URL from the info-level 'listening' line
    },
    180_000,
  );
  const pid = server.child.pid ?? 0;
  const ingestPort = Number(/"osmand":(\d+)/.exec(server.output())?.[1]);
  console.log(
    JSON.stringify({
      soak: { units: UNITS, minutes: MINUTES, intervalS: INTERVAL_S, clients: CLIENTS },
      machine: describeMachine(),
    }),
  );

  const start = Date.now() + 2_000;
  const end = start + MINUTES * 60_000;
  const driver = startDriver({
    host: '127.0.0.1',
    port: ingestPort,
    units: UNITS,
    deviceId: (i) => `skd-${i}`,
    window: { from: start + RAMP_S * 1000, to: end },
    rampS: RAMP_S,
  });
  const rows: { minute: number; rssMiB: number; p50: number; p99: number; lost: number }[] = [];
  try {
    await sleep(start + RAMP_S * 1000 - Date.now());
    for (let from = Date.now(); from + INTERVAL_S * 1000 <= end; from += INTERVAL_S * 1000) {
      // a fresh set of listeners per interval, so each line is that interval's latency alone
      const window = { from: from + 2_000, to: from + INTERVAL_S * 1000 - 1_000 };
      const before = driver.stats();
      // Signed in afresh each interval: an access token lives 15 minutes, as a wall's would between refreshes.
      const token = await login(server.url, 'operator');
      const listeners = await listen({
        url: server.url,
        clients: CLIENTS,
        units: UNITS,
        unitOf,
        token,
        packed: true,
        window,
      });
      await sleep(from + INTERVAL_S * 1000 - Date.now());
      const after = driver.stats();
      const row = {
        minute: Math.round(((from - start) / 60_000) * 10) / 10,
        rssMiB: processTreeRssMiB(pid),
        p50: listeners.latency.quantile(0.5),
        p99: listeners.latency.quantile(0.99),
        fixesOk: after.ok - before.ok,
        fixesFailed: after.failed - before.failed,
        skipped: after.skipped - before.skipped,
        delivered: listeners.delivered(),
        duplicates: listeners.duplicates(),
        seqGaps: listeners.seqGaps(),
      };
      listeners.close();
      rows.push({ ...row, lost: row.seqGaps });
      console.log(JSON.stringify(row));
    }
  } finally {
    await driver.stop();
    await server.stop('SIGTERM');
  }
  const firstHalf = rows.slice(0, Math.max(1, Math.floor(rows.length / 2)));
  const secondHalf = rows.slice(Math.floor(rows.length / 2));
  const mean = (values: number[]): number =>
    Math.round(values.reduce((a, b) => a + b, 0) / Math.max(1, values.length));
  console.log(
    JSON.stringify({
      summary: {
        rssMiB: {
          first: rows[0]?.rssMiB,
          last: rows.at(-1)?.rssMiB,
          max: Math.max(...rows.map((r) => r.rssMiB)),
        },
        p99Ms: {
          firstHalfMean: mean(firstHalf.map((r) => r.p99)),
          secondHalfMean: mean(secondHalf.map((r) => r.p99)),
        },
        seqGaps: rows.reduce((a, r) => a + r.lost, 0),
      },
    }),
  );
}

await main();
process.exit(0);
