// One node against two on Redis, end to end: N units at 1 Hz over OsmAnd HTTP (half to each node when there
// are two) into real server processes on one store (SQLite file, or PostgreSQL with BENCH_NODES_STORE=postgres), one JSON Socket.io client on the last node
// measuring ingest → client latency from each unit's `t`. One JSON line per run. On this 2-core machine the
// two nodes, Redis, the generator and the client share the same cores: a second node adds a Redis hop and
// a second process's work, not capacity (see docs/operations.md, "Sizing").
//   npx tsx tests/bench/nodes.bench.ts     (BENCH_MEASURE_S=12, BENCH_NODES_UNITS=1000,3000 by default)
//   BENCH_NODES_STORE=postgres            both nodes on a throwaway PostgreSQL (as several nodes are deployed)
import fs from 'node:fs';
import path from 'node:path';
import { openPostgresStore } from '../../server/store/postgres';
import { openSqliteStore } from '../../server/store/sqlite';
import type { Store } from '../../server/store/store';
import { startTestPostgres, type TestPostgres } from '../support/postgres';
import { startServerProcess, type ServerProcess } from '../support/process';
import { startRedis, type TestRedis } from '../support/redis';
import { tempDir } from '../support/server';
import { listen } from './load-clients';
import { startDriver, type Driver } from './load-generator';
import { cpuPressure, describeMachine, processTreeCpuMs, processTreeRssMiB } from './load-machine';

const MEASURE_S = Number(process.env.BENCH_MEASURE_S ?? 12);
const ON_POSTGRES = process.env.BENCH_NODES_STORE === 'postgres';
const LOADS = (process.env.BENCH_NODES_UNITS ?? '1000,3000').split(',').map(Number);
const WARM_S = 5;
const DRAIN_MS = 5_000;
const JWT_SECRET = 'nodes-bench-secret-nodes-bench-secret-0123';
const KINDS = ['military', 'police', 'civilian'] as const;

const deviceId = (i: number): string => `lbd-${i}`;
const unitOf = (id: string): number => (id.startsWith('lb-') ? Number(id.slice(3)) : -1);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function seedUnits(dataDir: string, count: number, databaseUrl: string | null): Promise<void> {
  fs.mkdirSync(dataDir, { recursive: true });
  const store: Store = databaseUrl ? await openPostgresStore(databaseUrl) : openSqliteStore(dataDir);
  await store.units.createMany(
    Array.from({ length: count }, (_, i) => ({
      id: `lb-${i}`,
      kind: KINDS[i % 3] ?? 'police',
      callsign: `LB-${i}`,
      deviceId: deviceId(i),
      createdAt: Date.now(),
    })),
  );
  await store.close();
}

interface Node {
  server: ServerProcess;
  osmand: number;
}

async function startNode(
  dataDir: string,
  redis: TestRedis | null,
  databaseUrl: string | null,
): Promise<Node> {
  const server = await startServerProcess({
    DEMO: '1',
    SIM_UNITS: '0',
    DEMO_BACKFILL_DAYS: '0',
    DEMO_LIFE_INTERVAL_MS: '0',
    DATA_DIR: dataDir,
    FLUSH_MS: '100',
    UNIT_STALE_MS: '600000',
    LOG_LEVEL: 'info',
    JWT_SECRET,
    ...(redis ? { REDIS_URL: redis.url } : {}),
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
  });
  const osmand = Number(/"osmand":(\d+)/.exec(server.output())?.[1]);
  return { server, osmand };
}

async function token(url: string): Promise<string> {
  const response = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'operator', password: 'lianfang-demo' }),
  });
  return ((await response.json()) as { token: string }).token;
}

async function run(nodeCount: 1 | 2, units: number) {
  const dir = tempDir('lianfang-nodes-bench-');
  const dataDir = path.join(dir, 'var');
  const redis = nodeCount === 2 ? await startRedis() : null;
  const postgres: TestPostgres | null = ON_POSTGRES ? await startTestPostgres({ fsync: true }) : null;
  const databaseUrl = postgres?.url ?? null;
  const nodes: Node[] = [];
  try {
    await seedUnits(dataDir, units, databaseUrl);
    nodes.push(await startNode(dataDir, redis, databaseUrl));
    if (nodeCount === 2) {
      // The first node takes the lease before the second starts (as the two-node test does).
      for (let i = 0; i < 100 && !nodes[0]?.server.output().includes('"msg":"engine leader"'); i++)
        await sleep(100);
      nodes.push(await startNode(dataDir, redis, databaseUrl));
    }
    const watcher = nodes[nodes.length - 1];
    if (!watcher) throw new Error('no node');
    const from = Date.now() + WARM_S * 1000;
    const window = { from, to: from + MEASURE_S * 1000 };
    const listeners = await listen({
      url: watcher.server.url,
      clients: 1,
      units,
      unitOf,
      token: await token(watcher.server.url),
      window,
    });
    // Units split evenly over the nodes' OsmAnd ports, as a balancer in front of them would.
    const share = Math.ceil(units / nodes.length);
    const drivers: Driver[] = nodes.map((node, k) =>
      startDriver({
        host: '127.0.0.1',
        port: node.osmand,
        units: Math.min(share, units - k * share),
        deviceId: (i) => deviceId(k * share + i),
        window,
        rampS: 2,
      }),
    );
    await sleep(window.from - Date.now());
    const cpuFrom = nodes.map((node) => processTreeCpuMs(node.server.child.pid ?? 0));
    const redisCpuFrom = redis ? processTreeCpuMs(redisPid(redis)) : 0;
    await sleep(window.to - Date.now());
    const cpuMs = nodes.map((node, k) => processTreeCpuMs(node.server.child.pid ?? 0) - (cpuFrom[k] ?? 0));
    const redisCpuMs = redis ? processTreeCpuMs(redisPid(redis)) - redisCpuFrom : 0;
    await Promise.all(drivers.map((driver) => driver.stop()));
    await sleep(DRAIN_MS);
    const fixes = drivers.map((driver) => driver.stats());
    const okInWindow = fixes.reduce((sum, f) => sum + f.okInWindow, 0);
    const latency = (q: number): number => listeners.latency.quantile(q);
    const line = {
      bench: 'nodes',
      nodes: nodeCount,
      store: ON_POSTGRES ? 'postgres' : 'sqlite',
      units,
      measureS: MEASURE_S,
      acceptedPerS: Math.round(okInWindow / MEASURE_S),
      failed: fixes.reduce((sum, f) => sum + f.failed, 0),
      skipped: fixes.reduce((sum, f) => sum + f.skipped, 0),
      delivered: listeners.delivered(),
      lost: okInWindow - listeners.delivered(),
      duplicates: listeners.duplicates(),
      seqGaps: listeners.seqGaps(),
      latencyMs: { p50: latency(0.5), p90: latency(0.9), p99: latency(0.99), max: latency(1) },
      cpuPct: {
        nodes: cpuMs.map((ms) => Math.round(ms / (MEASURE_S * 10))),
        redis: Math.round(redisCpuMs / (MEASURE_S * 10)),
      },
      rssMiB: nodes.map((node) => processTreeRssMiB(node.server.child.pid ?? 0)),
      cpuPressurePct: cpuPressure(),
      load: Number(fs.readFileSync('/proc/loadavg', 'utf8').split(' ')[0]),
    };
    listeners.close();
    return line;
  } finally {
    for (const node of nodes) await node.server.stop();
    await redis?.stop();
    await postgres?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** redis-server's pid, from the port it listens on (the test helper does not hand its child out). */
function redisPid(redis: TestRedis): number {
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (cmdline.includes('redis-server') && cmdline.includes(`:${redis.port}`)) return Number(entry);
    } catch {
      // gone
    }
  }
  return 0;
}

async function main(): Promise<void> {
  console.log(JSON.stringify({ bench: 'nodes', machine: describeMachine() }));
  for (const units of LOADS) {
    for (const nodeCount of [1, 2] as const) console.log(JSON.stringify(await run(nodeCount, units)));
  }
}

const watchdog = setTimeout(() => {
  console.error('nodes bench: watchdog fired');
  process.exit(1);
}, 600_000);
watchdog.unref();
main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
