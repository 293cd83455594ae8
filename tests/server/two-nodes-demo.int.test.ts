// The demo simulator in a cluster runs on the engine leader only, and moves with the lease: after a clean
// stop (SIGTERM) of the leader, the lease is given back and the other node takes over and simulates at once.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from '../support/process';
import { startRedis, type TestRedis } from '../support/redis';
import { tempDir } from '../support/server';
import { until } from '../support/until';

let redis: TestRedis;
let dataDir: string;
const nodes: ServerProcess[] = [];

const start = (): Promise<ServerProcess> =>
  startServerProcess({
    DATA_DIR: dataDir,
    REDIS_URL: redis.url,
    JWT_SECRET: 'two-nodes-demo-secret-two-nodes-demo-0123',
    DEMO: '1',
    DEMO_BACKFILL_DAYS: '0',
    DEMO_LIFE_INTERVAL_MS: '0',
    SIM_UNITS: '10',
    SIM_INTERVAL_MS: '200',
    FLUSH_MS: '50',
    LOG_LEVEL: 'info',
  });

/** Simulator fixes this node has accepted, from its /metrics. */
async function simulated(node: ServerProcess): Promise<number> {
  const text = await (await fetch(`${node.url}/metrics`)).text();
  const line = /^lianfang_ingest_fixes_total\{protocol="simulator",outcome="accepted"\} (\d+)$/m.exec(text);
  return Number(line?.[1] ?? 0);
}

const leads = (node: ServerProcess): boolean => node.output().includes('"msg":"engine leader"');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** /metrics is scraped over HTTP: ten times a second is enough. */
const POLL_MS = 100;

beforeAll(async () => {
  redis = await startRedis();
  dataDir = tempDir('lianfang-two-nodes-demo-');
  nodes.push(await start());
  await until(() => leads(nodes[0] as ServerProcess), 'A to lead', 20_000);
  nodes.push(await start());
}, 90_000);

afterAll(async () => {
  for (const node of nodes) await node.stop();
  await redis?.stop();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('the demo simulator on several nodes', () => {
  it('runs on the leader only, and moves to the other node when the leader stops', async () => {
    const [a, b] = nodes as [ServerProcess, ServerProcess];
    await until(async () => (await simulated(a)) > 20, 'A to simulate', 10_000, POLL_MS);
    await sleep(1_000);
    expect(await simulated(b)).toBe(0);

    const stopped = Date.now();
    expect(await a.stop('SIGTERM')).toBe(0);
    // A gave the lease back on its way out: B takes over within a lease round, not a lease lifetime.
    const ms = await until(() => leads(b), 'B to lead', 10_000);
    console.log(`B took over ${Date.now() - stopped} ms after SIGTERM to A (waited ${ms} ms)`);
    expect(Date.now() - stopped).toBeLessThan(5_000);
    await until(async () => (await simulated(b)) > 20, 'B to simulate', 10_000, POLL_MS);
  }, 60_000);
});
