// The /basemap.json shape is written twice (server and client may not share a module): the two must agree, and
// the client's reader must fall back to the built-in basemap on anything malformed. Also the GCJ-02 display helpers.
import type { FeatureCollection, LineString, Point } from 'geojson';
import { describe, expect, it } from 'vitest';
import { wgs84ToGcj02 } from '../../geo';
import {
  BUILTIN_BASEMAP,
  loadBasemapConfig,
  toBasemapConfig,
  type BasemapConfig as ClientConfig,
} from '../../client/lib/map/basemap-config';
import {
  fromDisplayPosition,
  toDisplayCollection,
  toDisplayGeometry,
  toDisplayPosition,
} from '../../client/lib/map/basemap-gcj02';
import { basemapConfigFromEnv, type BasemapConfig as ServerConfig } from '../../server/http/basemap-config';

// compile-time: each shape is assignable to the other
const toClient = (c: ServerConfig): ClientConfig => c;
const toServer = (c: ClientConfig): ServerConfig => c;

describe('the /basemap.json shape', () => {
  const envs: Record<string, string>[] = [
    {},
    { BASEMAP: 'off' },
    { BASEMAP_STYLE_URL: '/tiles/style.json', BASEMAP_GCJ02: '1' },
    {
      BASEMAP_TILES: 'https://t0.example.cn/{z}/{x}/{y}.png,https://t1.example.cn/{z}/{x}/{y}.png',
      BASEMAP_LABEL_TILES: 'https://t0.example.cn/cva/{z}/{x}/{y}.png',
      BASEMAP_ATTRIBUTION: '© Example',
      BASEMAP_MAXZOOM: '17',
      BASEMAP_TILE_SIZE: '512',
    },
  ];
  for (const env of envs)
    it(`reads back unchanged on the client: ${JSON.stringify(env)}`, () => {
      const served = JSON.parse(JSON.stringify(basemapConfigFromEnv(env))) as unknown;
      expect(toBasemapConfig(served)).toEqual(served);
      expect(toServer(toClient(basemapConfigFromEnv(env)))).toEqual(served);
    });

  it('falls back to the built-in basemap on malformed input', () => {
    for (const bad of [
      null,
      'builtin',
      42,
      {},
      { kind: 'vector' },
      { kind: 'style', url: 'ftp://x' },
      { kind: 'raster', tiles: [] },
    ])
      expect(toBasemapConfig(bad)).toEqual(BUILTIN_BASEMAP);
  });

  it('loads from our own server, and falls back when the request fails', async () => {
    const urls: string[] = [];
    const ok = (async (url: string) => {
      urls.push(url);
      return new Response(JSON.stringify({ kind: 'off', gcj02Display: false }));
    }) as typeof fetch;
    expect(await loadBasemapConfig(ok)).toEqual({ kind: 'off', gcj02Display: false });
    expect(urls).toEqual(['/basemap.json']);
    const down = (async () => {
      throw new TypeError('network');
    }) as typeof fetch;
    expect(await loadBasemapConfig(down)).toEqual(BUILTIN_BASEMAP);
    const missing = (async () => new Response('', { status: 404 })) as typeof fetch;
    expect(await loadBasemapConfig(missing)).toEqual(BUILTIN_BASEMAP);
  });
});

describe('GCJ-02 display helpers', () => {
  const pass: [number, number] = [106.7, 21.98];
  const data: FeatureCollection<Point | LineString> = {
    type: 'FeatureCollection',
    features: [
      {
        type: 'Feature',
        id: 'p',
        properties: { name: '友谊关' },
        geometry: { type: 'Point', coordinates: pass },
      },
      {
        type: 'Feature',
        id: 'l',
        properties: {},
        geometry: { type: 'LineString', coordinates: [pass, [106.71, 21.99]] },
      },
    ],
  };

  it('leave data untouched (the same objects) on a WGS-84 basemap', () => {
    expect(toDisplayCollection(data, false)).toBe(data);
    expect(toDisplayGeometry(data.features[0]!.geometry, false)).toBe(data.features[0]!.geometry);
    expect(toDisplayPosition(...pass, false)).toEqual(pass);
  });

  it('shift every position to GCJ-02 for display, without changing the input or the properties', () => {
    const shown = toDisplayCollection(data, true);
    expect(shown.features[0]!.geometry.coordinates).toEqual(wgs84ToGcj02(...pass));
    expect((shown.features[1]!.geometry as LineString).coordinates[1]).toEqual(wgs84ToGcj02(106.71, 21.99));
    expect(shown.features[0]!.properties).toEqual({ name: '友谊关' });
    expect(data.features[0]!.geometry.coordinates).toEqual(pass);
  });

  it('read positions back from the map within a millimetre', () => {
    const shown = toDisplayPosition(...pass, true);
    const [lon, lat] = fromDisplayPosition(...shown, true);
    expect(Math.abs(lon - pass[0])).toBeLessThan(1e-8);
    expect(Math.abs(lat - pass[1])).toBeLessThan(1e-8);
  });
});
