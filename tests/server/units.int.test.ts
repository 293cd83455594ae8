// The unit registry: admin-only writes, one device per unit, 409 on duplicates, live units as GeoJSON.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server';

let server: TestServer;
let admin: string;
let operator: string;
beforeAll(async () => {
  server = await startTestServer();
  admin = (await server.login('admin')).token;
  operator = (await server.login('operator')).token;
});
afterAll(async () => server.close());

describe('unit registry', () => {
  it('registers a unit (admin) → 201, and the duplicate → 409', async () => {
    const body = { id: 'px-mil-99', kind: 'military', callsign: '边防-99', deviceId: 'dev-99' };
    const created = await server.request('POST', '/api/units', { token: admin, body });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject(body);
    expect((await server.request('POST', '/api/units', { token: admin, body })).status).toBe(409);
    const sameDevice = await server.request('POST', '/api/units', {
      token: admin,
      body: { ...body, id: 'px-mil-98' },
    });
    expect(sameDevice.status).toBe(409);
    expect(sameDevice.body.error.code).toBe('conflict');
  });

  it('forbids an operator to register units', async () => {
    const response = await server.request('POST', '/api/units', {
      token: operator,
      body: { id: 'x1', kind: 'police', callsign: 'X', deviceId: 'dx1' },
    });
    expect(response.status).toBe(403);
    expect(response.body.error.code).toBe('forbidden');
  });

  it('rejects bad registrations with 400 naming the field', async () => {
    const cases = [
      [{ id: 'bad id!', kind: 'police', callsign: 'X', deviceId: 'd1' }, 'id'],
      [{ id: 'ok-1', kind: 'navy', callsign: 'X', deviceId: 'd1' }, 'kind'],
      [{ id: 'ok-1', kind: 'police', callsign: '', deviceId: 'd1' }, 'callsign'],
    ] as const;
    for (const [body, field] of cases) {
      const response = await server.request('POST', '/api/units', { token: admin, body });
      expect(response.status).toBe(400);
      expect(response.body.error.message).toContain(field);
    }
  });

  it('patches and deletes, and lists the registry with ?registered=1', async () => {
    const body = { id: 'px-pol-77', kind: 'police', callsign: '边警-77', deviceId: 'dev-77' };
    await server.request('POST', '/api/units', { token: admin, body });
    const patched = await server.request('PATCH', '/api/units/px-pol-77', {
      token: admin,
      body: { callsign: '边警-78' },
    });
    expect(patched).toMatchObject({ status: 200, body: { callsign: '边警-78', deviceId: 'dev-77' } });
    const list = await server.request('GET', '/api/units?registered=1', { token: operator });
    expect(list.body.items.map((u: { id: string }) => u.id)).toContain('px-pol-77');
    expect((await server.request('DELETE', '/api/units/px-pol-77', { token: admin })).status).toBe(204);
    expect((await server.request('GET', '/api/units/px-pol-77', { token: operator })).status).toBe(404);
  });

  it('lists live units as a GeoJSON FeatureCollection', async () => {
    await server.app.ingest.submit({
      unitId: 't-mil-1',
      source: 'simulator',
      lon: 106.71,
      lat: 21.985,
      t: Date.now(),
      accuracyMeters: 5,
      headingDeg: 0,
      speedMps: 1,
    });
    const response = await server.request('GET', '/api/units', { token: operator });
    expect(response.status).toBe(200);
    expect(response.body.type).toBe('FeatureCollection');
    const feature = response.body.features.find((f: { id: string }) => f.id === 't-mil-1');
    expect(feature.geometry).toEqual({ type: 'Point', coordinates: [106.71, 21.985] });
    expect(feature.properties).toMatchObject({ kind: 'military', callsign: '边防-01' });
  });

  it('serves scenario layers as FeatureCollections with a version ETag', async () => {
    const response = await fetch(`${server.url}/api/layers/segments`, {
      headers: { authorization: `Bearer ${operator}` },
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { features: unknown[] };
    expect(body.features).toHaveLength(2);
    const etag = response.headers.get('etag');
    expect(etag).toMatch(/^"segments-\d+"$/);
    const again = await fetch(`${server.url}/api/layers/segments`, {
      headers: { authorization: `Bearer ${operator}`, 'if-none-match': etag ?? '' },
    });
    expect(again.status).toBe(304);
    expect((await server.request('GET', '/api/layers/roads', { token: operator })).status).toBe(404);
  });
});
