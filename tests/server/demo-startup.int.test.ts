// `npm start` in demo mode on a fresh DATA_DIR, as a real process over the shipped scenario: the backfill
// runs before listening (timed in the log), the first screen has history, incidents and KPIs, demo life adds
// incidents, and a restart over the same store does not backfill again.
import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from '../support/process';
import { DEMO_PASSWORD, tempDir } from '../support/server';

const dataDir = tempDir('lianfang-demo-start-');
const ENV = {
  DATA_DIR: dataDir,
  DEMO_BACKFILL_DAYS: '1',
  DEMO_LIFE_INTERVAL_MS: '300',
  SIM_INTERVAL_MS: '1000',
};
let server: ServerProcess | null = null;

afterAll(async () => {
  await server?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function api(url: string, route: string, token?: string): Promise<any> {
  const response = await fetch(url + route, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  expect(response.status).toBe(200);
  return response.json();
}

async function login(url: string): Promise<string> {
  const response = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'operator', password: DEMO_PASSWORD }),
  });
  return ((await response.json()) as { token: string }).token;
}

function logLine(output: string, msg: string): Record<string, unknown> | null {
  const line = output.split('\n').find((l) => l.includes(`"msg":"${msg}"`));
  return line ? (JSON.parse(line) as Record<string, unknown>) : null;
}

describe('npm start with DEMO=1 on a fresh store', () => {
  it('backfills before listening, then demo life goes on; a restart does not backfill again', async () => {
    const t0 = performance.now();
    server = await startServerProcess(ENV, 120_000);
    console.log(`first start listening after ${Math.round(performance.now() - t0)} ms`);
    const done = logLine(server.output(), 'demo backfill: done');
    expect(done).not.toBeNull();
    console.log('backfill log:', JSON.stringify(done));
    expect(done?.ms).toEqual(expect.any(Number));
    expect(done?.fixes).toBe(1440 * 96);
    // The backfill finished before the server said it was listening.
    const output = server.output();
    expect(output.indexOf('demo backfill: done')).toBeLessThan(output.indexOf('lianfang listening'));

    const token = await login(server.url);
    const marker = await api(server.url, '/api/events?type=demo.backfilled', token);
    expect(marker.items).toHaveLength(1);
    const start = marker.items[0].t as number;
    const track = await api(
      server.url,
      `/api/units/px-rc-01/track?from=${start - 86_400_000}&to=${start - 1}`,
      token,
    );
    expect(track.properties.times).toHaveLength(1440);
    const kpis = await api(server.url, `/api/kpis?from=${start - 86_400_000}&to=${start}`, token);
    console.log('KPIs of the backfilled day:', JSON.stringify(kpis));
    expect(kpis.incidents.total).toBeGreaterThan(10);
    expect(kpis.closure.closed).toBeGreaterThan(0);
    expect(kpis.reportCompliance.rate).toBeGreaterThan(0.5);
    expect(kpis.segmentCoverage).toBeGreaterThan(0.5);

    // Demo life: new incidents after the start, made by the demo's actors.
    const waited = performance.now();
    let live: { createdAt: number; createdBy: string }[] = [];
    while (live.length === 0 && performance.now() - waited < 15_000) {
      await new Promise((resolve) => setTimeout(resolve, 300));
      const list = await api(server.url, `/api/incidents?since=${start}&limit=1000`, token);
      live = (list.items as { createdAt: number; createdBy: string }[]).filter((i) => i.createdAt >= start);
    }
    console.log(`first live incident after ${Math.round(performance.now() - waited)} ms`);
    expect(live.length).toBeGreaterThan(0);
    expect(live[0]?.createdBy).toMatch(/^demo:/);
    expect(await server.stop('SIGTERM')).toBe(0);

    server = await startServerProcess(ENV, 60_000);
    const skipped = logLine(server.output(), 'demo backfill skipped');
    expect(skipped?.reason).toBe('it was backfilled before');
    expect(logLine(server.output(), 'demo backfill: done')).toBeNull();
    const again = await login(server.url);
    expect((await api(server.url, '/api/events?type=demo.backfilled', again)).items).toHaveLength(1);
    const trackAgain = await api(
      server.url,
      `/api/units/px-rc-01/track?from=${start - 86_400_000}&to=${start - 1}`,
      again,
    );
    expect(trackAgain.properties.times).toHaveLength(1440);
  }, 240_000);
});
