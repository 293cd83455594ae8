// OwnTracks HTTP mode over real HTTP: Basic auth as the device id, the PROTOCOLS.md message, answers [].
import fs from 'node:fs';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Delta, DomainEvent } from '../../server/contract';
import { installErrorHandlers } from '../../server/http/errors';
import { registerOwnTracksRoutes } from '../../server/ingest/owntracks';
import { startTestServer, waitFor, type TestServer, type TestSocket } from '../support/server';

const LOCATION = fs.readFileSync(
  new URL('../fixtures/protocols/owntracks-location.json', import.meta.url),
  'utf8',
);

let server: TestServer;
let http: FastifyInstance;
let url: string;
let wall: TestSocket;
const events: DomainEvent[] = [];

const basic = (user: string, password = 'any'): string =>
  'Basic ' + Buffer.from(`${user}:${password}`).toString('base64');

async function post(body: string, authorization?: string, contentType = 'application/json') {
  const headers: Record<string, string> = { 'content-type': contentType };
  if (authorization) headers.authorization = authorization;
  const response = await fetch(url, { method: 'POST', headers, body });
  const text = await response.text();
  return {
    status: response.status,
    json: text ? (JSON.parse(text) as unknown) : null,
    headers: response.headers,
  };
}

beforeAll(async () => {
  server = await startTestServer();
  // The main app is already listening in the harness; a Fastify built the same way stands in for it.
  http = Fastify();
  installErrorHandlers(http);
  http.post('/echo', async (request) => ({ body: request.body }));
  registerOwnTracksRoutes(http, {
    ingest: server.app.ingest,
    registry: server.app.registry,
    emit: (event) => {
      events.push(event);
      server.app.live.emit(event);
    },
    now: Date.now,
  });
  url = (await http.listen({ host: '127.0.0.1', port: 0 })) + '/ingest/owntracks';
  wall = (await server.socket((await server.login('operator')).token)).socket;
});
afterAll(async () => {
  await http.close();
  await server.close();
});

describe('POST /ingest/owntracks', () => {
  it('accepts the PROTOCOLS.md location message, answers [] and moves the unit live', async () => {
    const seen = waitFor<Delta>(wall, 'delta', (d) => d.units.upsert.some((u) => u.id === 't-mil-1'));
    const response = await post(LOCATION, basic('dev-t-mil-1'));
    expect(response.status).toBe(200);
    expect(response.json).toEqual([]);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const expected = { lat: 48.85833, lon: 2.29513, t: 1497476456000, accuracyMeters: 12, headingDeg: 270 };
    expect(server.app.live.unit('t-mil-1')).toMatchObject(expected);
    expect(server.app.live.unit('t-mil-1')?.speedMps).toBeCloseTo(5 / 3.6, 6);
    expect((await seen).units.upsert.find((u) => u.id === 't-mil-1')).toMatchObject(expected);
  });

  it('answers [] to an empty body (a friend was deleted) and to other _types, storing nothing', async () => {
    const before = server.app.live.unit('t-pol-1');
    expect(await post('', basic('dev-t-pol-1'))).toMatchObject({ status: 200, json: [] });
    const transition =
      '{"_type":"transition","event":"enter","desc":"Home","tst":1497476500,"lat":1,"lon":2}';
    expect(await post(transition, basic('dev-t-pol-1'))).toMatchObject({ status: 200, json: [] });
    expect(await post('{"_type":"lwt","tst":1497476500}', basic('dev-t-pol-1'))).toMatchObject({
      status: 200,
    });
    expect(server.app.live.unit('t-pol-1')).toEqual(before);
  });

  it('reads a missing vel/cog as unknown and a −1 as unknown', async () => {
    const body = '{"_type":"location","tid":"p1","tst":1600000000,"lat":21.99,"lon":106.7,"cog":-1}';
    expect((await post(body, basic('dev-t-pol-1'))).status).toBe(200);
    expect(server.app.live.unit('t-pol-1')).toMatchObject({
      speedMps: null,
      headingDeg: null,
      accuracyMeters: null,
    });
  });

  it('answers 401 without Basic auth, with a malformed one, or for an unknown device (plus device.unknown)', async () => {
    for (const authorization of [undefined, 'Bearer x', 'Basic !!!', basic('bad id')]) {
      const response = await post(LOCATION, authorization);
      expect(response).toMatchObject({ status: 401, json: { error: { code: 'unauthenticated' } } });
      expect(response.headers.get('www-authenticate')).toMatch(/^Basic realm="lianfang"/);
    }
    const seen = waitFor<Delta>(wall, 'delta', (d) => d.events.some((e) => e.type === 'device.unknown'));
    expect(await post(LOCATION, basic('jane-phone'))).toMatchObject({
      status: 401,
      json: { error: { code: 'unauthenticated', message: 'unknown device jane-phone' } },
    });
    await post(LOCATION, basic('jane-phone'));
    const event = (await seen).events.find((e) => e.type === 'device.unknown');
    expect(event).toMatchObject({
      message: 'unknown device jane-phone (owntracks)',
      data: { deviceId: 'jane-phone' },
    });
    expect(events.filter((e) => e.data.deviceId === 'jane-phone')).toHaveLength(1);
  });

  it('answers 400 naming the field for bad values and broken JSON', async () => {
    const bad = LOCATION.replace('"lat":48.85833', '"lat":148.85833');
    const response = await post(bad, basic('dev-t-civ-1'));
    expect(response).toMatchObject({ status: 400, json: { error: { code: 'invalid' } } });
    expect((response.json as { error: { message: string } }).error.message).toMatch(/^lat: /);
    const noTst = await post('{"_type":"location","lat":1,"lon":2}', basic('dev-t-civ-1'));
    expect((noTst.json as { error: { message: string } }).error.message).toMatch(/^tst: /);
    expect(await post('{"_type":', basic('dev-t-civ-1'))).toMatchObject({
      status: 400,
      json: { error: { message: 'body: not valid JSON' } },
    });
    const future = LOCATION.replace('"tst":1497476456', `"tst":${Math.floor(Date.now() / 1000) + 7200}`);
    expect((await post(future, basic('dev-t-civ-1'))).status).toBe(400);
    expect(server.app.live.unit('t-civ-1')).toBeUndefined();
  });

  it('keeps its raw-text body parser to itself: other routes still parse JSON', async () => {
    const response = await fetch(url.replace('/ingest/owntracks', '/echo'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"a":1}',
    });
    expect(await response.json()).toEqual({ body: { a: 1 } });
  });

  it('answers 413 to an oversize body', async () => {
    const big = JSON.stringify({ _type: 'location', pad: 'x'.repeat(100 * 1024) });
    expect(await post(big, basic('dev-t-civ-1'))).toMatchObject({
      status: 413,
      json: { error: { code: 'too_large' } },
    });
  });

  it('accepts a body sent as text/plain or without a content type', async () => {
    const body = LOCATION.replace('"tst":1497476456', '"tst":1497476999');
    expect((await post(body, basic('dev-t-mil-1'), 'text/plain')).status).toBe(200);
    const response = await fetch(url, {
      method: 'POST',
      headers: { authorization: basic('dev-t-mil-1') },
      body: '',
    });
    expect(response.status).toBe(200);
    expect(server.app.live.unit('t-mil-1')?.t).toBe(1497476999000);
  });
});
