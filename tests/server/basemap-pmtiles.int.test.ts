// A PMTiles basemap on a real server: a real archive (hand-encoded vector tiles, tests/support/pmtiles.ts) named
// by BASEMAP_PMTILES is served at /basemap.pmtiles by byte ranges, /basemap.json points at it, and the pmtiles
// reader the web client uses reads its header, metadata and tiles from the server, byte for byte.
import fs from 'node:fs';
import path from 'node:path';
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { PMTiles, TileType } from 'pmtiles';
import { validateStyleMin } from '@maplibre/maplibre-gl-style-spec';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBasemapConfig } from '../../client/lib/map/basemap-config';
import { describePmtiles } from '../../client/lib/map/pmtiles';
import { createBaseStyle } from '../../client/lib/map/style';
import { ConfigError, loadConfig } from '../../server/config';
import { basemapConfigFromEnv, pmtilesFileFromEnv } from '../../server/http/basemap-config';
import { parseRange } from '../../server/http/basemap-pmtiles';
import { demoVectorArchive, encodeVectorTile, tileAt } from '../support/pmtiles';
import { startTestServer, tempDir, type TestServer } from '../support/server';

const PINGXIANG: [number, number] = [106.75, 22.1];
const dir = tempDir('lianfang-pmtiles-');
const file = path.join(dir, 'pingxiang.pmtiles');
const archive = demoVectorArchive(...PINGXIANG, 6, '凭祥');
fs.writeFileSync(file, archive);

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ BASEMAP: 'pmtiles', BASEMAP_PMTILES: file });
});
afterAll(async () => {
  await server.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const get = (headers: Record<string, string> = {}, method = 'GET') =>
  fetch(`${server.url}/basemap.pmtiles`, { method, headers });
const bytes = async (response: Response) => new Uint8Array(await response.arrayBuffer());

describe('BASEMAP=pmtiles with a local archive', () => {
  it('points /basemap.json at /basemap.pmtiles on our own host, without the server’s file path', async () => {
    const response = await fetch(`${server.url}/basemap.json`);
    expect(await response.json()).toEqual({
      kind: 'pmtiles',
      url: '/basemap.pmtiles',
      attribution: '',
      gcj02Display: false,
    });
    expect(server.config.basemapPmtilesFile).toBe(file);
  });

  it('serves byte ranges: a closed range, an open one, a suffix, each with Content-Range', async () => {
    const head = await get({ range: 'bytes=0-126' });
    expect(head.status).toBe(206);
    expect(head.headers.get('content-range')).toBe(`bytes 0-126/${archive.length}`);
    expect(head.headers.get('content-length')).toBe('127');
    expect(head.headers.get('accept-ranges')).toBe('bytes');
    expect(head.headers.get('content-type')).toBe('application/vnd.pmtiles');
    expect(await bytes(head)).toEqual(archive.subarray(0, 127));

    const tail = await get({ range: `bytes=${archive.length - 10}-` });
    expect(tail.status).toBe(206);
    expect(await bytes(tail)).toEqual(archive.subarray(archive.length - 10));
    const suffix = await get({ range: 'bytes=-20' });
    expect(suffix.headers.get('content-range')).toBe(
      `bytes ${archive.length - 20}-${archive.length - 1}/${archive.length}`,
    );
    expect(await bytes(suffix)).toEqual(archive.subarray(archive.length - 20));
    // The reader's first request asks for 16 KiB of a smaller file: it gets what there is.
    const first = await get({ range: 'bytes=0-16383' });
    expect(first.status).toBe(206);
    expect(await bytes(first)).toEqual(archive);
  });

  it('sends the whole file without a Range, 416 past the end, and headers alone for HEAD', async () => {
    const whole = await get();
    expect(whole.status).toBe(200);
    expect(await bytes(whole)).toEqual(archive);
    const past = await get({ range: `bytes=${archive.length}-` });
    expect(past.status).toBe(416);
    expect(past.headers.get('content-range')).toBe(`bytes */${archive.length}`);
    expect(await past.json()).toMatchObject({ error: { code: 'range_not_satisfiable' } });
    const head = await get({}, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(archive.length));
    expect(await head.text()).toBe('');
  });

  it('gives a strong ETag, and the whole file when If-Range names another version', async () => {
    const etag = (await get({ range: 'bytes=0-0' })).headers.get('etag');
    expect(etag).toMatch(/^"[0-9a-f]+-[0-9a-f]+"$/);
    const same = await get({ range: 'bytes=0-0', 'if-range': etag ?? '' });
    expect(same.status).toBe(206);
    const other = await get({ range: 'bytes=0-0', 'if-range': '"another-version"' });
    expect(other.status).toBe(200);
    expect((await bytes(other)).length).toBe(archive.length);
  });

  it('is read by the pmtiles reader over HTTP: header, metadata, and every tile, decoded', async () => {
    const started = performance.now();
    const reader = new PMTiles(`${server.url}/basemap.pmtiles`);
    const header = await reader.getHeader();
    expect(header).toMatchObject({ specVersion: 3, tileType: TileType.Mvt, minZoom: 0, maxZoom: 6 });
    expect(header.minLon).toBeCloseTo(105.75, 6);
    expect(header.maxLat).toBeCloseTo(23.1, 6);
    const metadata = (await reader.getMetadata()) as { vector_layers: { id: string }[]; attribution: string };
    expect(metadata.vector_layers.map((l) => l.id)).toEqual(['earth', 'water', 'boundaries', 'places']);
    for (let z = 0; z <= 6; z++) {
      const { x, y } = tileAt(...PINGXIANG, z);
      const tile = await reader.getZxy(z, x, y);
      expect(tile, `tile ${z}/${x}/${y}`).toBeDefined();
      const decoded = new VectorTile(new PbfReader(new Uint8Array(tile?.data ?? new ArrayBuffer(0))));
      expect(Object.keys(decoded.layers)).toEqual(['earth', 'water', 'boundaries', 'places']);
      const place = decoded.layers['places']?.feature(0);
      expect(place?.properties).toEqual({ name: '凭祥' });
      expect(place?.loadGeometry()).toEqual([[{ x: 2048, y: 2048 }]]);
      const earth = decoded.layers['earth']?.feature(0);
      expect(earth?.type).toBe(3);
      expect(earth?.loadGeometry()[0]).toHaveLength(5); // four corners, closed
    }
    expect(await reader.getZxy(6, 0, 0)).toBeUndefined();
    console.log(
      `pmtiles reader: header, metadata, 8 tiles in ${(performance.now() - started).toFixed(0)} ms`,
    );
  });
});

describe('the web client’s side, against the real server', () => {
  it('describes the archive and builds a valid vector style whose tiles come through pmtiles://', async () => {
    const absolute = (url: string): string => new URL(url, server.url).href;
    const config = await loadBasemapConfig(((url: string) => fetch(absolute(url))) as typeof fetch, (url) =>
      describePmtiles(absolute(url)),
    );
    expect(config).toEqual({
      kind: 'pmtiles',
      url: '/basemap.pmtiles',
      attribution: '',
      gcj02Display: false,
      archive: {
        tileType: 'vector',
        minzoom: 0,
        maxzoom: 6,
        bounds: [105.75, 21.1, 107.75, 23.1],
        vectorLayers: ['earth', 'water', 'boundaries', 'places'],
        attribution: '测试底图 · test basemap',
      },
    });
    const style = createBaseStyle('dark', config, 'zh-CN');
    if (typeof style === 'string') throw new Error('expected a style object');
    expect(validateStyleMin(style)).toEqual([]);
    expect(style.sources['basemap-pmtiles']).toMatchObject({
      type: 'vector',
      tiles: ['pmtiles:///basemap.pmtiles/{z}/{x}/{y}'],
      attribution: '测试底图 · test basemap',
    });
  });

  it('falls back to the background alone when the archive cannot be read', async () => {
    const config = await loadBasemapConfig(
      ((url: string) => fetch(new URL(url, server.url))) as typeof fetch,
      (url) => describePmtiles(new URL(url.replace('.pmtiles', '.missing'), server.url).href),
    );
    expect(config).toEqual({
      kind: 'pmtiles',
      url: '/basemap.pmtiles',
      attribution: '',
      gcj02Display: false,
    });
    const style = createBaseStyle('light', config);
    expect(typeof style !== 'string' && style.layers.map((l) => l.id)).toEqual(['basemap-background']);
  });
});

describe('BASEMAP_PMTILES', () => {
  it('infers BASEMAP=pmtiles, and keeps a remote archive’s URL for the client to read', () => {
    expect(basemapConfigFromEnv({ BASEMAP_PMTILES: 'https://tiles.internal.example/china.pmtiles' })).toEqual(
      {
        kind: 'pmtiles',
        url: 'https://tiles.internal.example/china.pmtiles',
        attribution: '',
        gcj02Display: false,
      },
    );
    expect(
      pmtilesFileFromEnv({ BASEMAP_PMTILES: 'https://tiles.internal.example/china.pmtiles' }),
    ).toBeNull();
    expect(basemapConfigFromEnv({ BASEMAP_PMTILES: file, BASEMAP_ATTRIBUTION: '© 测绘' })).toMatchObject({
      url: '/basemap.pmtiles',
      attribution: '© 测绘',
    });
  });

  const notPmtiles = path.join(dir, 'tile.mvt');
  const version2 = path.join(dir, 'old.pmtiles');
  fs.writeFileSync(notPmtiles, encodeVectorTile([{ name: 'x', features: [] }]));
  fs.writeFileSync(version2, Buffer.concat([Buffer.from('PMTiles'), Buffer.from([2]), Buffer.alloc(200)]));
  const cases: [Record<string, string>, string][] = [
    [{ BASEMAP: 'pmtiles' }, 'BASEMAP_PMTILES is required with BASEMAP=pmtiles'],
    [{ BASEMAP_PMTILES: path.join(dir, 'missing.pmtiles') }, 'BASEMAP_PMTILES must be a readable file'],
    [{ BASEMAP_PMTILES: notPmtiles }, 'BASEMAP_PMTILES is not a PMTiles archive'],
    [{ BASEMAP_PMTILES: version2 }, 'BASEMAP_PMTILES must be a PMTiles version 3 archive, got version 2'],
    [{ BASEMAP_PMTILES: 'ftp://x/y.pmtiles' }, 'BASEMAP_PMTILES must be a readable file or an http(s) URL'],
    [{ BASEMAP: 'raster', BASEMAP_PMTILES: file }, 'BASEMAP_PMTILES is set but BASEMAP is raster'],
  ];
  for (const [env, message] of cases)
    it(`${JSON.stringify(env).replaceAll(dir, '<tmp>')} → ${message}`, () => {
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
});

describe('parseRange', () => {
  it.each([
    ['bytes=0-9', 100, [0, 9]],
    ['bytes=90-', 100, [90, 99]],
    ['bytes=95-200', 100, [95, 99]],
    ['bytes=-5', 100, [95, 99]],
    ['bytes=-500', 100, [0, 99]],
    ['bytes=100-', 100, 'unsatisfiable'],
    ['bytes=-0', 100, 'unsatisfiable'],
    ['bytes=9-3', 100, null],
    ['bytes=0-1,5-6', 100, null],
    ['items=0-1', 100, null],
    ['bytes=-', 100, null],
  ] as const)('%s of %d bytes → %j', (header, size, expected) => {
    expect(parseRange(header, size)).toEqual(expected);
  });
  it('leaves a request without Range alone', () => expect(parseRange(undefined, 10)).toBeNull());
});
