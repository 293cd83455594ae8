// `npm start` with DATABASE_URL, as a real process on a throwaway PostgreSQL: an OsmAnd fix and a REST
// incident survive a stop and a start on the same database, and the demo (scenario, accounts, backfill)
// seeds on the first start only.
import fs from 'node:fs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPostgres, type TestPostgres } from '../support/postgres';
import { runServerToExit, startServerProcess, type ServerProcess } from '../support/process';
import { DEMO_PASSWORD, tempDir } from '../support/server';

let cluster: TestPostgres;
let server: ServerProcess | null = null;
const dataDir = tempDir('lianfang-pg-restart-');

beforeAll(async () => {
  // fsync on: what the restart finds must have been on disk, not in a cache PostgreSQL was told to skip.
  cluster = await startTestPostgres({ fsync: true });
}, 60_000);
afterAll(async () => {
  await server?.stop('SIGKILL');
  await cluster.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const env = (): Record<string, string> => ({
  DATABASE_URL: cluster.url,
  JWT_SECRET: 'a-shared-secret-of-at-least-32-characters',
  DATA_DIR: dataDir,
  DEMO_BACKFILL_DAYS: '1',
  DEMO_LIFE_INTERVAL_MS: '0',
  SIM_UNITS: '20',
  SIM_INTERVAL_MS: '1000',
});

function logLine(output: string, msg: string): Record<string, unknown> | null {
  const line = output.split('\n').find((l) => l.includes(`"msg":"${msg}"`));
  return line ? (JSON.parse(line) as Record<string, unknown>) : null;
}

async function call(
  url: string,
  method: string,
  route: string,
  token: string | null,
  body?: unknown,
): Promise<{ status: number; body: any }> {
  const response = await fetch(url + route, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

async function login(url: string, username: string): Promise<string> {
  const reply = await call(url, 'POST', '/api/auth/login', null, { username, password: DEMO_PASSWORD });
  expect(reply.status).toBe(200);
  return (reply.body as { token: string }).token;
}

async function count(sql: string): Promise<number> {
  const client = new pg.Client({ connectionString: cluster.url });
  await client.connect();
  try {
    return Number((await client.query<{ n: string }>(sql)).rows[0]?.n);
  } finally {
    await client.end();
  }
}

describe('the server on PostgreSQL across a restart', () => {
  it('keeps an OsmAnd fix and a REST incident, and seeds the demo once', async () => {
    const t0 = performance.now();
    server = await startServerProcess(env(), 180_000);
    console.log(`first start listening after ${Math.round(performance.now() - t0)} ms`);
    const first = server.output();
    expect(logLine(first, 'lianfang listening')).toMatchObject({ store: 'postgres' });
    expect(logLine(first, 'store migrated')?.applied).toEqual([1, 2]);
    expect(logLine(first, 'scenario loaded')).not.toBeNull();
    expect(logLine(first, 'accounts created')).not.toBeNull();
    const backfill = logLine(first, 'demo backfill: done');
    expect(backfill).not.toBeNull();
    console.log(`backfill on PostgreSQL: ${String(backfill?.ms)} ms for ${String(backfill?.fixes)} fixes`);
    const ports = logLine(first, 'lianfang listening')?.ports as { osmand: number };

    const admin = await login(server.url, 'admin');
    const unit = { id: 'pg-phone', kind: 'police', callsign: 'PG-PHONE', deviceId: 'pg-phone-dev' };
    expect((await call(server.url, 'POST', '/api/units', admin, unit)).status).toBe(201);
    const seconds = Math.floor(Date.now() / 1000);
    const fix = await fetch(
      `http://127.0.0.1:${ports.osmand}/?id=pg-phone-dev&timestamp=${seconds}&lat=21.95&lon=100.75` +
        '&speed=1.0&bearing=90&altitude=600&accuracy=5&batt=80',
    );
    expect(fix.status).toBe(200);
    const operator = await login(server.url, 'operator');
    const created = await call(server.url, 'POST', '/api/incidents', operator, {
      category: 'dispute',
      summary: '重启前登记的纠纷',
      source: 'hotline',
      lon: 100.75,
      lat: 21.95,
      idempotencyKey: 'pg-restart-1',
    });
    expect(created.status).toBe(201);
    const incidentId = (created.body as { id: string }).id;
    const users = await count('SELECT count(*) AS n FROM users');
    const units = await count('SELECT count(*) AS n FROM units');
    const fixes = await count('SELECT count(*) AS n FROM fixes');

    expect(await server.stop()).toBe(0);
    server = null;
    const t1 = performance.now();
    server = await startServerProcess(env(), 120_000);
    console.log(`second start listening after ${Math.round(performance.now() - t1)} ms`);
    const second = server.output();
    expect(logLine(second, 'store migrated')?.applied).toEqual([]);
    expect(logLine(second, 'scenario loaded')).toBeNull();
    expect(logLine(second, 'accounts created')).toBeNull();
    expect(logLine(second, 'demo backfill: done')).toBeNull();
    expect(logLine(second, 'demo backfill skipped')?.reason).toBe('it was backfilled before');

    const token = await login(server.url, 'operator');
    const incident = await call(server.url, 'GET', `/api/incidents/${incidentId}`, token);
    expect(incident.status).toBe(200);
    expect(incident.body).toMatchObject({ id: incidentId, summary: '重启前登记的纠纷', status: 'reported' });
    expect(incident.body.timeline.map((e: { action: string }) => e.action)).toEqual(['created']);
    const from = seconds * 1000 - 1_000;
    const track = await call(server.url, 'GET', `/api/units/pg-phone/track?from=${from}`, token);
    expect(track.status).toBe(200);
    expect(track.body.properties.times).toContain(seconds * 1000);
    expect(track.body.geometry.coordinates).toEqual([100.75, 21.95]);
    const marker = await call(server.url, 'GET', '/api/events?type=demo.backfilled', token);
    expect(marker.body.items).toHaveLength(1);
    expect(await count('SELECT count(*) AS n FROM users')).toBe(users);
    expect(await count('SELECT count(*) AS n FROM units')).toBe(units);
    // The simulator kept moving units in between; the backfilled history was not written twice.
    expect(await count('SELECT count(*) AS n FROM fixes')).toBeLessThan(fixes + 20 * 120);
    expect(await count("SELECT count(*) AS n FROM events WHERE type = 'demo.backfilled'")).toBe(1);
  }, 300_000);

  it('refuses to start, in one line without the password, when the database cannot be reached', async () => {
    const { code, stderr } = await runServerToExit({
      ...env(),
      DATABASE_URL: 'postgres://lianfang:hunter2-secret@127.0.0.1:1/lianfang',
    });
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain(
      'cannot open the PostgreSQL store at postgres://lianfang:***@127.0.0.1:1/lianfang',
    );
    expect(stderr).not.toContain('hunter2');
    const wrong = await runServerToExit({ ...env(), DATABASE_URL: 'mysql://127.0.0.1/lianfang' });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('DATABASE_URL must be a postgres:// or postgresql:// URL');
  });
});
