// Real-time load, end to end: N registered units at 1 Hz over OsmAnd HTTP keep-alive into the real server
// (server/main.ts in a child process, as `npm start` runs it) while M Socket.io clients listen; and, in the
// same run, the same load through the bare relay (tests/bench/relay.ts). One JSON line per scenario, then a
// summary line. Loopback only; a watchdog ends the run whatever happens. The server, the relay and this
// process (generator + clients) share the machine's cores.
//   npx tsx tests/bench/load.bench.ts            (BENCH_MEASURE_S=12 by default; BENCH_LOAD_SCALE=0.1 for a
//                                                 smoke run with a tenth of the units and clients)
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { openSqliteStore } from '../../server/store/sqlite';
import { startServerProcess, TSX, type ServerProcess } from '../support/process';
import { ROOT, tempDir } from '../support/server';
import { listenInWorkers } from './load-client-workers';
import { watchServer, type ServerView } from './load-server-metrics';
import type { Listeners } from './load-clients';
import { startDriver, type DriveOptions, type Driver } from './load-generator';
import {
  cpuPressure,
  describeMachine,
  listenOverflows,
  processTreeCpuMs,
  processTreeRssMiB,
  startProbe,
} from './load-machine';

const MEASURE_S = Number(process.env.BENCH_MEASURE_S ?? 12);
const SCALE = Number(process.env.BENCH_LOAD_SCALE ?? 1);
const scaled = (n: number): number => Math.max(1, Math.round(n * SCALE));
const WATCHDOG_MS = 170_000;
const DRAIN_MS = 2_000;
const FLUSH_MS = 100;
const MAX_UNITS = 5_000;
/** Registered through the REST API (and timed); the rest are written to the store before the server starts. */
const REST_UNITS = 200;
const KINDS = ['military', 'police', 'civilian'] as const;

interface Target {
  name: 'lianfang' | 'relay';
  url: string;
  host: string;
  ingestPort: number;
  pid: number;
  token?: string;
}

interface Scenario {
  name: string;
  target: Target;
  packed: boolean;
  units: number;
  clients: number;
  rampS: number;
  warmS: number;
  /** Every unit reports once before the clients connect, so that they start from a full snapshot. */
  preload: boolean;
}

const unitId = (i: number): string => `lb-${i}`;
const deviceId = (i: number): string => `lbd-${i}`;
/** Threads the listening clients are spread over (BENCH_CLIENT_WORKERS; 1 puts them all in one loop). */
const CLIENT_WORKERS = Number(process.env.BENCH_CLIENT_WORKERS ?? 2);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function startRelay(): Promise<{ child: ChildProcess; url: string }> {
  const cpus = process.env.SERVER_CPUS; // pinned like the server (see pinCores)
  const [command, args] = cpus
    ? ['taskset', ['-c', cpus, TSX, 'tests/bench/relay.ts']]
    : [TSX, ['tests/bench/relay.ts']];
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { ...process.env, FLUSH_MS: String(FLUSH_MS), PORT: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const url = /"url":"([^"]+)"/.exec(output)?.[1];
      if (url) resolve({ child, url });
    });
    child.on('exit', (code) => reject(new Error(`relay exited with ${code}`)));
  });
}

async function post(url: string, body: unknown, token?: string): Promise<{ status: number; body: any }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body) });
  return { status: response.status, body: await response.json().catch(() => null) };
}

async function login(url: string, username: string): Promise<string> {
  const { status, body } = await post(`${url}/api/auth/login`, { username, password: 'lianfang-demo' });
  if (status !== 200) throw new Error(`login ${username}: ${status}`);
  return (body as { token: string }).token;
}

const registration = (i: number) => ({
  id: unitId(i),
  kind: KINDS[i % 3] ?? 'police',
  callsign: `LB-${i}`,
  deviceId: deviceId(i),
});

/** Units [from, to) straight into the store, in one transaction, before the server opens it. */
async function seedUnits(dataDir: string, from: number, to: number): Promise<void> {
  const store = openSqliteStore(dataDir);
  const units = Array.from({ length: to - from }, (_, i) => ({
    ...registration(from + i),
    createdAt: Date.now(),
  }));
  await store.units.createMany(units);
  await store.close();
}

/** Units [0, count) through POST /api/units as an admin, 16 requests at a time. */
async function registerUnits(url: string, token: string, count: number): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < count; i = next++) {
      const { status } = await post(`${url}/api/units`, registration(i), token);
      if (status !== 201 && status !== 409) throw new Error(`register ${unitId(i)}: ${status}`);
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN);
}

const drive = (scenario: Scenario, window: DriveOptions['window'], rampS: number): Driver =>
  startDriver({
    host: scenario.target.host,
    port: scenario.target.ingestPort,
    units: scenario.units,
    deviceId: (i) => (scenario.target.name === 'relay' ? unitId(i) : deviceId(i)),
    window,
    rampS,
  });

interface Observed {
  probeMs: number[];
  /** Lianfang only: its /metrics over the window. */
  server: ServerView | null;
  serverCpuMs: number;
  benchCpu: NodeJS.CpuUsage;
  overflows: number;
}

/** Waits out the window while watching the target: CPU, responsiveness, dropped connections. */
async function observe(target: Target, window: { from: number; to: number }): Promise<Observed> {
  await sleep(window.from - Date.now());
  const cpuFrom = processTreeCpuMs(target.pid);
  const benchCpuFrom = process.cpuUsage();
  const overflowsFrom = listenOverflows();
  const probe = startProbe(target.name === 'relay' ? `${target.url}/probe` : `${target.url}/healthz`);
  const metrics = target.name === 'lianfang' ? await watchServer(target.url) : null;
  await sleep(window.to - Date.now());
  return {
    probeMs: probe.stop(),
    server: metrics ? await metrics.end() : null,
    serverCpuMs: processTreeCpuMs(target.pid) - cpuFrom,
    benchCpu: process.cpuUsage(benchCpuFrom),
    overflows: listenOverflows() - overflowsFrom,
  };
}

function describeRun(
  scenario: Scenario,
  driver: Driver,
  listeners: Omit<Listeners, 'close'>,
  seen: Observed,
) {
  const fixes = driver.stats();
  const expected = fixes.okInWindow * scenario.clients;
  const wire = listeners.wire();
  const latency = (q: number): number => listeners.latency.quantile(q);
  return {
    scenario: scenario.name,
    target: scenario.target.name,
    encoding: scenario.packed ? 'packed' : 'json',
    units: scenario.units,
    clients: scenario.clients,
    measureS: MEASURE_S,
    fixes,
    deliveries: { expected, delivered: listeners.delivered(), lost: expected - listeners.delivered() },
    duplicates: listeners.duplicates(),
    unplaced: listeners.unplaced(),
    seqGaps: listeners.seqGaps(),
    ...(scenario.packed ? { shapes: listeners.shapes() } : {}),
    latencyMs: {
      p50: latency(0.5),
      p90: latency(0.9),
      p99: latency(0.99),
      p999: latency(0.999),
      max: latency(1),
    },
    ...(scenario.packed && listeners.inbound.count > 0
      ? {
          // The first leg: fix sent → server received it (rx); the rest is the server's and the way out.
          inboundMs: {
            p50: listeners.inbound.quantile(0.5),
            p99: listeners.inbound.quantile(0.99),
            p999: listeners.inbound.quantile(0.999),
            max: listeners.inbound.quantile(1),
          },
        }
      : {}),
    bytesPerUnit: wire.units > 0 ? Math.round((wire.bytes / wire.units) * 10) / 10 : null,
    probeMs: {
      p50: quantile(seen.probeMs, 0.5),
      p99: quantile(seen.probeMs, 0.99),
      max: quantile(seen.probeMs, 1),
    },
    listenOverflows: seen.overflows,
    ...(seen.server ? { server: seen.server } : {}),
    ...(listeners.loopDelayMs
      ? {
          clientLoopDelayMs: listeners
            .loopDelayMs()
            .map(({ p99, max }) => ({ p99: Math.round(p99), max: Math.round(max) })),
        }
      : {}),
    serverRssMiB: processTreeRssMiB(scenario.target.pid),
    cpuPressurePct: cpuPressure(),
    cpu: {
      serverPct: Math.round(seen.serverCpuMs / (MEASURE_S * 10)),
      benchPct: Math.round((seen.benchCpu.user + seen.benchCpu.system) / (MEASURE_S * 10_000)),
    },
  };
}
type RunResult = ReturnType<typeof describeRun>;

async function run(scenario: Scenario): Promise<RunResult> {
  if (scenario.preload) {
    const now = Date.now();
    const preload = drive(scenario, { from: now, to: now + 3_000 }, 2);
    await sleep(3_000);
    await preload.stop();
  }
  const pool = await listenInWorkers(
    {
      url: scenario.target.url,
      clients: scenario.clients,
      units: scenario.units,
      unitPrefix: 'lb-',
      packed: scenario.packed,
      ...(scenario.target.token ? { token: scenario.target.token } : {}),
    },
    CLIENT_WORKERS,
  );
  const window = { from: Date.now() + (scenario.rampS + scenario.warmS) * 1000, to: Infinity };
  window.to = window.from + MEASURE_S * 1000;
  pool.setWindow(window);
  const driver = drive(scenario, window, scenario.rampS);
  const seen = await observe(scenario.target, window);
  await sleep(DRAIN_MS);
  await driver.stop();
  return describeRun(scenario, driver, await pool.collect(), seen);
}

const children: (ChildProcess | ServerProcess)[] = [];
const dataDir = tempDir('lianfang-bench-');

/** Stops the server and the relay and removes the data dir, however the run ends. */
async function stopAll(): Promise<void> {
  for (const child of children.splice(0)) {
    if ('stop' in child) await child.stop();
    else child.kill('SIGTERM');
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
}

function exitAfterCleanup(code: number): void {
  void stopAll().finally(() => process.exit(code));
}

/** The relay and our server, with the bench units registered. */
async function startTargets(): Promise<{ ours: Target; bare: Target }> {
  const relay = await startRelay();
  children.push(relay.child);
  await seedUnits(path.join(dataDir, 'var'), REST_UNITS, MAX_UNITS);
  const server = await startServerProcess({
    DEMO: '1',
    SIM_UNITS: '0',
    DEMO_BACKFILL_DAYS: '0',
    DEMO_LIFE_INTERVAL_MS: '0',
    DATA_DIR: path.join(dataDir, 'var'),
    FLUSH_MS: String(FLUSH_MS),
    UNIT_STALE_MS: '600000',
    LOG_LEVEL: 'info',
  });
  children.push(server);
  const admin = await login(server.url, 'admin');
  const registering = Date.now();
  await registerUnits(server.url, admin, REST_UNITS);
  const ms = Date.now() - registering;
  const perS = Math.round(REST_UNITS / (ms / 1000));
  console.log(JSON.stringify({ registeredByRest: REST_UNITS, ms, perS }));
  const host = '127.0.0.1';
  return {
    ours: {
      name: 'lianfang',
      url: server.url,
      host,
      ingestPort: Number(/"osmand":(\d+)/.exec(server.output())?.[1]),
      pid: server.child.pid ?? 0,
      token: await login(server.url, 'operator'),
    },
    bare: {
      name: 'relay',
      url: relay.url,
      host,
      ingestPort: Number(new URL(relay.url).port),
      pid: relay.child.pid ?? 0,
    },
  };
}

function summarize(results: (RunResult | undefined)[]): Record<string, unknown> {
  const [relayJson, oursJson, , packedRun] = results;
  return {
    p99RatioOursToRelay:
      relayJson && oursJson
        ? Math.round((oursJson.latencyMs.p99 / relayJson.latencyMs.p99) * 100) / 100
        : null,
    goalRatio: 1.3,
    lostJson: oursJson?.deliveries.lost,
    packedP99Ms: packedRun?.latencyMs.p99,
    goalPackedP99Ms: 150,
    packedBytesPerUnit: packedRun?.bytesPerUnit,
    jsonBytesPerUnit: oursJson?.bytesPerUnit,
    goalBytesPerUnit: 16,
    lostPacked: packedRun?.deliveries.lost,
  };
}

/**
 * BENCH_PIN=1: the server on core 0, this process (generator, clients and their workers) on core 1 — the
 * server with a core to itself, as when the phones and browsers are other machines. Linux only (taskset).
 */
function pinCores(): void {
  if (process.env.BENCH_PIN !== '1') return;
  execFileSync('taskset', ['-a', '-cp', '1', String(process.pid)], { stdio: 'ignore' });
  process.env.SERVER_CPUS = '0';
}

async function main(): Promise<void> {
  pinCores();
  const started = Date.now();
  const watchdog = setTimeout(() => {
    console.error(`load bench: watchdog after ${WATCHDOG_MS} ms`);
    exitAfterCleanup(2);
  }, WATCHDOG_MS);
  process.once('SIGINT', () => exitAfterCleanup(130));
  process.once('SIGTERM', () => exitAfterCleanup(143));

  console.log(JSON.stringify({ machine: describeMachine(), pinned: process.env.BENCH_PIN === '1' }));
  const { ours, bare } = await startTargets();
  const json = { packed: false, rampS: 2, warmS: 2, preload: true };
  const packed = { packed: true, rampS: 3, warmS: 3, preload: true };
  const scenarios: Scenario[] = [
    { name: 'json-1k-50', target: bare, units: scaled(1_000), clients: scaled(50), ...json },
    { name: 'json-1k-50', target: ours, units: scaled(1_000), clients: scaled(50), ...json },
    { name: 'packed-2k-200', target: ours, units: scaled(2_000), clients: scaled(200), ...packed },
    { name: 'packed-5k-200', target: ours, units: scaled(5_000), clients: scaled(200), ...packed },
  ];
  // BENCH_SCENARIOS=packed-5k-200 runs only the scenarios named (both targets of a JSON one).
  const only = (process.env.BENCH_SCENARIOS ?? '').split(',').filter(Boolean);
  const results: (RunResult | undefined)[] = [];
  for (const scenario of scenarios) {
    if (only.length > 0 && !only.includes(scenario.name)) {
      results.push(undefined);
      continue;
    }
    results.push(await run(scenario));
    console.log(JSON.stringify(results.at(-1)));
  }
  const elapsedS = Math.round((Date.now() - started) / 1000);
  console.log(JSON.stringify({ summary: summarize(results), machineAfter: describeMachine(), elapsedS }));
  clearTimeout(watchdog);
  await stopAll();
}

main().catch((error: unknown) => {
  console.error(error);
  exitAfterCleanup(1);
});
