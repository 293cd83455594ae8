// GET /basemap.json and /basemap.geojson on a real server: public (the login screen shows the map), configured by
// the BASEMAP* variables; a bad variable stops the start with a one-line message naming it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config';
import { basemapConfigFromEnv } from '../../server/http/basemap-config';
import { startTestServer, type TestServer } from '../support/server';

describe('the built-in basemap (default)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it('serves /basemap.json without a token', async () => {
    const response = await fetch(`${server.url}/basemap.json`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toEqual({ kind: 'builtin', gcj02Display: false });
  });

  it('serves the scenario directory’s basemap.geojson without a token', async () => {
    const response = await fetch(`${server.url}/basemap.geojson`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/geo\+json/);
    const body = (await response.json()) as { type: string; features: unknown[] };
    expect(body.type).toBe('FeatureCollection');
    expect(body.features.length).toBeGreaterThan(0);
  });
});

describe('an operator’s raster basemap (Tianditu-style, GCJ-02 display)', () => {
  let server: TestServer;
  const env = {
    BASEMAP: 'raster',
    BASEMAP_TILES:
      'https://t0.tianditu.gov.cn/vec_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=vec&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=TOKEN',
    BASEMAP_ATTRIBUTION: '天地图',
    BASEMAP_MAXZOOM: '18',
    BASEMAP_GCJ02: '1',
  };
  beforeAll(async () => {
    server = await startTestServer(env);
  });
  afterAll(async () => {
    await server.close();
  });

  it('describes it at /basemap.json', async () => {
    const { status, body } = await server.request('GET', '/basemap.json');
    expect(status).toBe(200);
    expect(body).toEqual({
      kind: 'raster',
      tiles: [env.BASEMAP_TILES],
      labelTiles: [],
      attribution: '天地图',
      maxzoom: 18,
      tileSize: 256,
      gcj02Display: true,
    });
  });

  it('no longer serves the built-in data', async () => {
    const { status, body } = await server.request('GET', '/basemap.geojson');
    expect(status).toBe(404);
    expect(JSON.stringify(body)).toContain('basemap.json');
  });
});

describe('a bad BASEMAP* variable', () => {
  const cases: [Record<string, string>, string][] = [
    [
      { BASEMAP: 'satellite' },
      'BASEMAP must be one of builtin, off, style, raster, pmtiles, got "satellite"',
    ],
    [{ BASEMAP: 'style' }, 'BASEMAP_STYLE_URL is required with BASEMAP=style'],
    [
      { BASEMAP_STYLE_URL: 'file:///etc/passwd' },
      'BASEMAP_STYLE_URL must be an http(s) URL or a path starting with /',
    ],
    [{ BASEMAP_STYLE_URL: '//cdn.example.com/style.json' }, 'BASEMAP_STYLE_URL must be an http(s) URL'],
    [
      { BASEMAP_TILES: 'https://tiles.example.com/{z}/{x}.png', BASEMAP_ATTRIBUTION: 'x' },
      'BASEMAP_TILES templates need {z}, {x} and {y}',
    ],
    [
      { BASEMAP_TILES: 'https://tiles.example.com/{z}/{x}/{y}.png' },
      'BASEMAP_ATTRIBUTION is required with raster tiles',
    ],
    [
      { BASEMAP_TILES: 'https://t/{z}/{x}/{y}.png', BASEMAP_ATTRIBUTION: 'x', BASEMAP_MAXZOOM: '30' },
      'BASEMAP_MAXZOOM must be an integer from 0 to 24, got "30"',
    ],
    [
      { BASEMAP_TILES: 'https://t/{z}/{x}/{y}.png', BASEMAP_ATTRIBUTION: 'x', BASEMAP_TILE_SIZE: '300' },
      'BASEMAP_TILE_SIZE must be 256 or 512',
    ],
    [
      { BASEMAP: 'builtin', BASEMAP_TILES: 'https://t/{z}/{x}/{y}.png' },
      'BASEMAP_TILES is set but BASEMAP is builtin',
    ],
    [{ BASEMAP_GCJ02: 'maybe' }, 'BASEMAP_GCJ02 must be 1 or 0, got "maybe"'],
  ];
  for (const [env, message] of cases)
    it(`${JSON.stringify(env)} → ${message}`, () => {
      expect(() => basemapConfigFromEnv(env)).toThrow(message);
      let thrown: unknown;
      try {
        loadConfig({ ...env, LOG_LEVEL: 'silent' });
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(ConfigError);
      expect((thrown as Error).message).toContain(message);
      expect((thrown as Error).message).not.toContain('\n');
    });

  it('refuses to start a server with it', async () => {
    await expect(startTestServer({ BASEMAP: 'vector' })).rejects.toThrow('BASEMAP must be one of');
  });

  it('accepts the documented examples', () => {
    expect(basemapConfigFromEnv({ BASEMAP: 'off' })).toEqual({ kind: 'off', gcj02Display: false });
    expect(basemapConfigFromEnv({ BASEMAP_STYLE_URL: '/tiles/style.json' })).toEqual({
      kind: 'style',
      url: '/tiles/style.json',
      gcj02Display: false,
    });
    expect(basemapConfigFromEnv({ BASEMAP: 'builtin', BASEMAP_GCJ02: '0' })).toEqual({
      kind: 'builtin',
      gcj02Display: false,
    });
  });
});
