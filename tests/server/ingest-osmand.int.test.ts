// OsmAnd / Traccar Client over real HTTP into a real server: every variant, units, errors, limits, live deltas.
import fs from 'node:fs';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Delta, DomainEvent } from '../../server/contract';
import { createOsmAndServer, type OsmAndServer } from '../../server/ingest/osmand';
import { startTestServer, waitFor, type TestServer, type TestSocket } from '../support/server';

const fixture = (name: string): string =>
  fs.readFileSync(new URL(`../fixtures/protocols/${name}`, import.meta.url), 'utf8');

let server: TestServer;
let osmand: OsmAndServer;
let base: string;
let wall: TestSocket;
const events: DomainEvent[] = [];

async function register(id: string, deviceId: string): Promise<void> {
  const admin = await server.login('admin');
  const body = { id, kind: 'police', callsign: id.toUpperCase(), deviceId };
  const { status } = await server.request('POST', '/api/units', { token: admin.token, body });
  expect(status).toBe(201);
}

async function send(
  path: string,
  init: RequestInit = {},
): Promise<{ status: number; text: string; json: any }> {
  const response = await fetch(base + path, init);
  const text = await response.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    // not JSON: the empty 200 body
  }
  return { status: response.status, text, json };
}

const post = (path: string, body: string, contentType?: string) =>
  send(path, { method: 'POST', body, headers: contentType ? { 'content-type': contentType } : {} });

async function historyTimes(unitId: string): Promise<number[]> {
  return (await server.store.history.query({ unitId, limit: 100 })).map((fix) => fix.t);
}

beforeAll(async () => {
  server = await startTestServer();
  await register('osm-a', '123456');
  await register('osm-b', '862345678901234');
  await register('osm-c', '48241179');
  await register('osm-batch', 'batch-phone');
  osmand = createOsmAndServer({
    ingest: server.app.ingest,
    registry: server.app.registry,
    emit: (event) => {
      events.push(event);
      server.app.live.emit(event);
    },
    now: Date.now,
    logger: pino({ level: 'silent' }),
    timeZone: 'Asia/Shanghai',
    lastKnown: (unitId) => server.app.live.unit(unitId),
  });
  base = `http://127.0.0.1:${await osmand.listen('127.0.0.1', 0)}`;
  wall = (await server.socket((await server.login('operator')).token)).socket;
});
afterAll(async () => {
  await osmand.close();
  await server.close();
});

describe('OsmAnd variant A (query string / form)', () => {
  it('accepts the PROTOCOLS.md GET byte for byte and the unit shows up in a live delta', async () => {
    const seen = waitFor<Delta>(wall, 'delta', (d) => d.units.upsert.some((u) => u.id === 'osm-a'));
    const response = await send(fixture('osmand-query.txt'));
    expect(response).toEqual({ status: 200, text: '', json: null });
    const unit = (await seen).units.upsert.find((u) => u.id === 'osm-a');
    expect(unit).toMatchObject({
      lon: 30,
      lat: 60,
      t: 1377177267000,
      speedMps: 0,
      headingDeg: 0,
      accuracyMeters: 5,
    });
    expect(await historyTimes('osm-a')).toContain(1377177267000);
  });

  it('accepts the same query by POST, and a form body on any path', async () => {
    const query = await send('/?id=dev-t-pol-2&timestamp=1700000000&lat=21.99&lon=106.70', {
      method: 'POST',
    });
    expect(query.status).toBe(200);
    const form = await post(
      '/any/path',
      'id=dev-t-pol-2&timestamp=1700000100&lat=21.991&lon=106.701',
      'application/x-www-form-urlencoded',
    );
    expect(form.status).toBe(200);
    expect(server.app.live.unit('t-pol-2')).toMatchObject({ lat: 21.991, lon: 106.701, t: 1700000100000 });
  });

  it('converts knots to m/s', async () => {
    const now = Date.now();
    expect((await send(`/?id=dev-t-mil-1&lat=21.99&lon=106.7&speed=10&timestamp=${now}`)).status).toBe(200);
    expect(server.app.live.unit('t-mil-1')?.speedMps).toBeCloseTo(5.144, 3);
  });

  it.each([
    ['seconds', '1600000000', 1600000000000],
    ['milliseconds', '1600000060000', 1600000060000],
    ['ISO 8601', '2020-09-13T12:28:00Z', Date.parse('2020-09-13T12:28:00Z')],
    ['yyyy-MM-dd HH:mm:ss read at +08:00', '2020-09-13 20:29:00', Date.parse('2020-09-13T20:29:00+08:00')],
  ])('reads a timestamp in %s', async (_name, raw, t) => {
    const lon = 106.6 + (t % 1e7) / 1e9;
    expect(
      (await send(`/?id=dev-t-civ-2&lat=21.98&lon=${lon}&timestamp=${encodeURIComponent(raw)}`)).status,
    ).toBe(200);
    expect(await historyTimes('t-civ-2')).toContain(t);
  });

  it('refuses a bad value with 400 naming the field', async () => {
    const response = await send('/?id=dev-t-pol-1&lat=91&lon=106.7');
    expect(response).toMatchObject({
      status: 400,
      json: { error: { code: 'invalid', message: 'lat: 91 is outside [-90, 90]' } },
    });
    const future = await send(`/?id=dev-t-pol-1&lat=21&lon=106.7&timestamp=${Date.now() + 3_600_000}`);
    expect(future.status).toBe(400);
    expect(future.json.error.message).toMatch(/^timestamp: .* ahead of the server clock$/);
  });

  it('acknowledges a heartbeat: repeats the last position when there is one, else stores nothing', async () => {
    expect((await send('/?id=dev-t-civ-1&batt=50')).status).toBe(200);
    expect(server.app.live.unit('t-civ-1')).toBeUndefined();
    await send('/?id=dev-t-civ-1&lat=21.99&lon=106.71&accuracy=7&timestamp=1700000000');
    expect((await send('/?id=dev-t-civ-1&batt=49&timestamp=1700000030')).status).toBe(200);
    expect(server.app.live.unit('t-civ-1')).toMatchObject({
      lat: 21.99,
      lon: 106.71,
      accuracyMeters: 7,
      t: 1700000030000,
    });
  });

  it('raises an sos event for alarm=sos that reaches the wall', async () => {
    const seen = waitFor<Delta>(wall, 'delta', (d) => d.events.some((e) => e.type === 'sos'));
    const response = await send(`/?id=dev-t-pol-1&lat=21.97&lon=106.72&alarm=sos&timestamp=${Date.now()}`);
    expect(response.status).toBe(200);
    const event = (await seen).events.find((e) => e.type === 'sos');
    expect(event).toMatchObject({
      unitId: 't-pol-1',
      message: 'SOS from 边警-01 (osmand)',
      data: { source: 'osmand', lon: 106.72, lat: 21.97, deviceId: 'dev-t-pol-1' },
    });
  });
});

describe('OsmAnd variant B (Traccar Client SDK)', () => {
  it('accepts the SDK form POST with speed in knots', async () => {
    expect(
      (await post('/', fixture('osmand-sdk-form.txt'), 'application/x-www-form-urlencoded')).status,
    ).toBe(200);
    const unit = server.app.live.unit('osm-b');
    expect(unit).toMatchObject({
      lat: 21.99,
      lon: 106.705,
      t: 1764370000000,
      accuracyMeters: 4.5,
      headingDeg: 87.5,
    });
    expect(unit?.speedMps).toBeCloseTo(5.144, 3);
  });

  it('accepts the JSON-array batch, every fix stored, the last one live', async () => {
    // A unit of its own: history keeps one fix per 5 s only when the unit moved, and the form fix above sat
    // exactly where this batch starts.
    const batch = fixture('osmand-sdk-batch.json').replaceAll('862345678901234', 'batch-phone');
    expect((await post('/', batch, 'application/json')).status).toBe(200);
    expect(await historyTimes('osm-batch')).toEqual([1764370010000, 1764370020000, 1764370030000]);
    const unit = server.app.live.unit('osm-batch');
    expect(unit).toMatchObject({ lat: 21.9905, lon: 106.7057, t: 1764370030000, headingDeg: 92 });
    expect(unit?.speedMps).toBeCloseTo(2.999, 3);
  });

  it('refuses a batch over the fix limit with 413', async () => {
    const batch = JSON.stringify(Array.from({ length: 1001 }, () => ({ id: 'dev-t-mil-1', lat: 1, lon: 2 })));
    const response = await post('/', batch, 'application/json');
    expect(response).toMatchObject({
      status: 413,
      json: { error: { code: 'too_large', message: 'a batch holds at most 1000 fixes' } },
    });
  });
});

describe('OsmAnd variant C (Traccar Client 9 JSON)', () => {
  it('accepts the PROTOCOLS.md example byte for byte, speed in m/s, heading −1 unknown', async () => {
    expect((await post('/', fixture('osmand-traccar-client-9.json'), 'application/json')).status).toBe(200);
    expect(server.app.live.unit('osm-c')).toMatchObject({
      lat: 37.42,
      lon: -122.08,
      t: 1749995112862,
      speedMps: 0,
      headingDeg: null,
      accuracyMeters: 5,
    });
  });
});

describe('OsmAnd refusals', () => {
  it('answers an unknown device with 400 on every variant and one device.unknown event a minute', async () => {
    const seen = waitFor<Delta>(wall, 'delta', (d) => d.events.some((e) => e.type === 'device.unknown'));
    const c9 = fixture('osmand-traccar-client-9.json').replace('48241179', 'nope-1');
    const responses = [
      await send('/?id=nope-1&lat=1&lon=2'),
      await post('/', 'id=nope-1&lat=1&lon=2', 'application/x-www-form-urlencoded'),
      await post('/', '[{"id":"nope-1","lat":1,"lon":2}]', 'application/json'),
      await post('/', c9, 'application/json'),
    ];
    for (const response of responses)
      expect(response).toMatchObject({
        status: 400,
        json: { error: { code: 'invalid', message: 'unknown device id nope-1' } },
      });
    const event = (await seen).events.find((e) => e.type === 'device.unknown');
    expect(event).toMatchObject({
      unitId: null,
      message: 'unknown device nope-1 (osmand)',
      data: { deviceId: 'nope-1', source: 'osmand' },
    });
    expect(events.filter((e) => e.type === 'device.unknown' && e.data.deviceId === 'nope-1')).toHaveLength(1);
  });

  it('refuses an oversize body with 413 and keeps serving', async () => {
    const response = await post(
      '/',
      'id=dev-t-mil-1&x=' + 'a'.repeat(300 * 1024),
      'application/x-www-form-urlencoded',
    );
    expect(response).toMatchObject({ status: 413, json: { error: { code: 'too_large' } } });
    expect((await send('/?id=dev-t-mil-1&batt=1')).status).toBe(200);
  });

  it('refuses broken JSON, an empty request and other methods without a 5xx', async () => {
    expect(await post('/', '{"id":', 'application/json')).toMatchObject({
      status: 400,
      json: { error: { message: 'body: not valid JSON' } },
    });
    expect(await post('/', '')).toMatchObject({ status: 400, json: { error: { code: 'invalid' } } });
    expect((await send('/?id=dev-t-mil-1', { method: 'PUT' })).status).toBe(405);
  });
});
