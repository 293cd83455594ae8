// Layer import/export: the one validator, all or nothing, a new version reaching the engine and the clients,
// CSV with WKT, and the CLI going through the same API.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Delta } from '../../server/contract';
import { TSX } from '../support/process';
import { ROOT, startTestServer, tempDir, waitFor, type TestServer } from '../support/server';

let server: TestServer;
let admin: string;
let operator: string;

const square = (id: string, west: number, south: number, size: number, clockwise = false) => {
  const ring = [
    [west, south],
    [west + size, south],
    [west + size, south + size],
    [west, south + size],
    [west, south],
  ];
  return {
    type: 'Feature',
    id,
    properties: { id, name: `网格${id}`, level: 'grid', parentId: null },
    geometry: { type: 'Polygon', coordinates: [clockwise ? ring.reverse() : ring] },
  };
};

beforeAll(async () => {
  server = await startTestServer();
  admin = (await server.login('admin')).token;
  operator = (await server.login('operator')).token;
});
afterAll(async () => server.close());

describe('layer import', () => {
  it('imports a layer, bumps its version, reclassifies units and tells the clients', async () => {
    await server.app.ingest.submit({
      unitId: 't-pol-2',
      source: 'simulator',
      lon: 106.95,
      lat: 21.95,
      t: Date.now(),
      accuracyMeters: 5,
      headingDeg: null,
      speedMps: null,
    });
    expect(server.app.live.unit('t-pol-2')?.gridId).toBeNull();
    const { socket } = await server.socket(operator);
    const told = waitFor<Delta>(socket, 'delta', (d) => d.events.some((e) => e.type === 'layers.updated'));
    const before = await server.request('GET', '/api/layers/grids', { token: operator });
    const collection = {
      type: 'FeatureCollection',
      features: [square('n-1', 106.9, 21.9, 0.1, true), square('n-2', 107.0, 21.9, 0.1)],
    };
    const response = await server.request('PUT', '/api/layers/grids', { token: admin, body: collection });
    expect(response).toMatchObject({ status: 200, body: { kind: 'grids', features: 2 } });
    const delta = await told;
    expect(delta.events.find((e) => e.type === 'layers.updated')?.data).toEqual({
      kind: 'grids',
      version: response.body.version,
    });
    expect(delta.units.upsert.find((u) => u.id === 't-pol-2')?.gridId).toBe('n-1');
    const after = await server.request('GET', '/api/layers/grids', { token: operator });
    expect(after.body.features.map((f: { id: string }) => f.id)).toEqual(['n-1', 'n-2']);
    expect(after.body.features).not.toEqual(before.body.features);
    // Winding normalised: the clockwise square comes back counterclockwise (RFC 7946).
    const ring = after.body.features[0].geometry.coordinates[0] as number[][];
    const area2 = ring.slice(1).reduce((sum, [x, y], i) => sum + (ring[i]![0]! * y! - x! * ring[i]![1]!), 0);
    expect(area2).toBeGreaterThan(0);
  });

  it('refuses a file with one bad feature whole, naming the feature, and keeps the old layer', async () => {
    const current = await server.request('GET', '/api/layers/segments', { token: operator });
    const good = current.body.features[0];
    const cases: [unknown, RegExp][] = [
      [{ type: 'FeatureCollection', features: [good, { ...good }] }, /features\[1\].*duplicate id/],
      [
        {
          type: 'FeatureCollection',
          features: [
            good,
            { ...good, id: 'x', properties: { id: 'x' }, geometry: { type: 'Point', coordinates: [1, 2] } },
          ],
        },
        /features\[1\]\.geometry/,
      ],
      [
        {
          type: 'FeatureCollection',
          features: [
            {
              ...good,
              id: 'y',
              properties: { id: 'y' },
              geometry: {
                type: 'LineString',
                coordinates: [
                  [200, 1],
                  [1, 1],
                ],
              },
            },
          ],
        },
        /features\[0\]\.geometry\.coordinates\[0\]\[0\].*longitude/,
      ],
      [{ type: 'Feature' }, /FeatureCollection/],
    ];
    for (const [body, message] of cases) {
      const response = await server.request('PUT', '/api/layers/segments', { token: admin, body });
      expect(response.status).toBe(400);
      expect(response.body.error.message).toMatch(message);
    }
    const unchanged = await server.request('GET', '/api/layers/segments', { token: operator });
    expect(unchanged.body).toEqual(current.body);
  });

  it('lets only admins import', async () => {
    const response = await server.request('PUT', '/api/layers/grids', {
      token: operator,
      body: { type: 'FeatureCollection', features: [] },
    });
    expect(response.status).toBe(403);
  });

  it('exports CSV with the properties and a WKT geometry column', async () => {
    const response = await fetch(`${server.url}/api/layers/segments?format=csv`, {
      headers: { authorization: `Bearer ${operator}` },
    });
    expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = (await response.text())
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe('id,index,name,nameEn,roadChief,wkt');
    expect(lines[1]).toMatch(
      /^t-seg-01,1,第1段,Segment 1,"\{""id"":""t-chief-1"".*\}","LINESTRING \(106\.7 21\.979, 106\.71 21\.979, 106\.72 21\.979\)"$/,
    );
    expect(lines).toHaveLength(3);
  });

  it('round-trips through the CLI: export, import, same features', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'segments.geojson');
    const env = { ...process.env, LIANFANG_URL: server.url, LIANFANG_PASSWORD: 'lianfang-demo' };
    const run = promisify(execFile);
    await run(TSX, ['scripts/layers.ts', 'export', '--layer', 'segments', '--out', file], { cwd: ROOT, env });
    const exported = JSON.parse(fs.readFileSync(file, 'utf8'));
    expect(exported.features).toHaveLength(2);
    const { stdout } = await run(TSX, ['scripts/layers.ts', 'import', file, '--layer', 'segments'], {
      cwd: ROOT,
      env,
    });
    expect(stdout).toMatch(/^imported 2 features into segments, version \d+/);
    const after = await server.request('GET', '/api/layers/segments', { token: operator });
    expect(after.body.features).toEqual(exported.features);
    const bad = path.join(dir, 'bad.geojson');
    fs.writeFileSync(
      bad,
      JSON.stringify({
        type: 'FeatureCollection',
        features: [
          { type: 'Feature', id: 'z', properties: {}, geometry: { type: 'Point', coordinates: [0, 0] } },
        ],
      }),
    );
    await expect(
      run(TSX, ['scripts/layers.ts', 'import', bad, '--layer', 'segments'], { cwd: ROOT, env }),
    ).rejects.toMatchObject({
      stderr: expect.stringMatching(/import refused \(400\).*features\[0\]\.geometry/),
    });
  });
});
