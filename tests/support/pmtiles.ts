// Writes real PMTiles v3 archives for tests: Mapbox Vector Tiles encoded by hand (protobuf, MVT 2.1) and the
// archive laid out as the spec has it (127-byte header, root directory, JSON metadata, tile data), uncompressed.
import { zxyToTileId } from 'pmtiles';

// ── protobuf ────────────────────────────────────────────────────────────────────────────────────────────
class Writer {
  private bytes: number[] = [];
  varint(n: number): this {
    let v = n;
    while (v >= 0x80) {
      this.bytes.push((v % 0x80) | 0x80);
      v = Math.floor(v / 0x80);
    }
    this.bytes.push(v);
    return this;
  }
  /** field key: number and wire type (0 varint, 1 64-bit, 2 length-delimited) */
  key(field: number, wire: 0 | 1 | 2): this {
    return this.varint(field * 8 + wire);
  }
  raw(data: Uint8Array | number[]): this {
    for (const b of data) this.bytes.push(b);
    return this;
  }
  message(field: number, body: Uint8Array): this {
    return this.key(field, 2).varint(body.length).raw(body);
  }
  string(field: number, text: string): this {
    return this.message(field, new TextEncoder().encode(text));
  }
  packed(field: number, values: number[]): this {
    const inner = new Writer();
    for (const v of values) inner.varint(v);
    return this.message(field, inner.done());
  }
  double(field: number, value: number): this {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setFloat64(0, value, true);
    return this.key(field, 1).raw(b);
  }
  done(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

// ── Mapbox Vector Tile 2.1 ──────────────────────────────────────────────────────────────────────────────
export type TileGeometry =
  | { type: 'Point'; coordinates: [number, number] }
  | { type: 'LineString'; coordinates: [number, number][] }
  /** rings without the closing point; exterior clockwise in tile coordinates (y down) */
  | { type: 'Polygon'; coordinates: [number, number][][] };

export interface TileFeature {
  geometry: TileGeometry;
  properties: Record<string, string | number>;
}

export interface TileLayer {
  name: string;
  features: TileFeature[];
  extent?: number;
}

const zigzag = (n: number): number => (n << 1) ^ (n >> 31);
const command = (id: number, count: number): number => (id & 7) | (count << 3);
const MOVE_TO = 1;
const LINE_TO = 2;
const CLOSE_PATH = 7;

function geometryCommands(geometry: TileGeometry): { type: number; commands: number[] } {
  const commands: number[] = [];
  let cx = 0;
  let cy = 0;
  const to = ([x, y]: [number, number]): void => {
    commands.push(zigzag(x - cx), zigzag(y - cy));
    cx = x;
    cy = y;
  };
  const path = (points: [number, number][], close: boolean): void => {
    const [first, ...rest] = points;
    if (!first) return;
    commands.push(command(MOVE_TO, 1));
    to(first);
    commands.push(command(LINE_TO, rest.length));
    rest.forEach(to);
    if (close) commands.push(command(CLOSE_PATH, 1));
  };
  switch (geometry.type) {
    case 'Point':
      commands.push(command(MOVE_TO, 1));
      to(geometry.coordinates);
      return { type: 1, commands };
    case 'LineString':
      path(geometry.coordinates, false);
      return { type: 2, commands };
    case 'Polygon':
      for (const ring of geometry.coordinates) path(ring, true);
      return { type: 3, commands };
  }
}

/** One vector tile, as the bytes a tile server sends (uncompressed). */
export function encodeVectorTile(layers: TileLayer[]): Uint8Array {
  const tile = new Writer();
  for (const layer of layers) {
    const keys: string[] = [];
    const values: (string | number)[] = [];
    const indexOf = <T>(list: T[], item: T): number => {
      const at = list.indexOf(item);
      return at >= 0 ? at : list.push(item) - 1;
    };
    const body = new Writer().key(15, 0).varint(2).string(1, layer.name);
    layer.features.forEach((feature, i) => {
      const tags = Object.entries(feature.properties).flatMap(([k, v]) => [
        indexOf(keys, k),
        indexOf(values, v),
      ]);
      const { type, commands } = geometryCommands(feature.geometry);
      const encoded = new Writer()
        .key(1, 0)
        .varint(i + 1)
        .packed(2, tags)
        .key(3, 0)
        .varint(type)
        .packed(4, commands);
      body.message(2, encoded.done());
    });
    for (const k of keys) body.string(3, k);
    for (const v of values) {
      const value = typeof v === 'string' ? new Writer().string(1, v) : new Writer().double(3, v);
      body.message(4, value.done());
    }
    body.key(5, 0).varint(layer.extent ?? 4096);
    tile.message(3, body.done());
  }
  return tile.done();
}

// ── PMTiles v3 ──────────────────────────────────────────────────────────────────────────────────────────
export interface ArchiveTile {
  z: number;
  x: number;
  y: number;
  data: Uint8Array;
}

export interface ArchiveOptions {
  /** 1 MVT, 2 PNG, 3 JPEG, 4 WebP */
  tileType: 1 | 2 | 3 | 4;
  bounds: [number, number, number, number];
  center: [number, number, number];
  metadata: Record<string, unknown>;
}

const HEADER_BYTES = 127;

function directory(entries: { tileId: number; offset: number; length: number }[]): Uint8Array {
  const w = new Writer().varint(entries.length);
  let last = 0;
  for (const e of entries) {
    w.varint(e.tileId - last);
    last = e.tileId;
  }
  for (let i = 0; i < entries.length; i++) w.varint(1); // run lengths
  for (const e of entries) w.varint(e.length);
  entries.forEach((e, i) => {
    const previous = entries[i - 1];
    // 0 = right after the previous tile's bytes; else offset + 1
    w.varint(previous && e.offset === previous.offset + previous.length ? 0 : e.offset + 1);
  });
  return w.done();
}

/** A whole archive: header, root directory (every tile, no leaves), metadata, tile data in tile-id order. */
export function writePmtiles(tiles: ArchiveTile[], options: ArchiveOptions): Uint8Array {
  const sorted = tiles
    .map((tile) => ({ ...tile, tileId: zxyToTileId(tile.z, tile.x, tile.y) }))
    .sort((a, b) => a.tileId - b.tileId);
  let offset = 0;
  const entries = sorted.map((tile) => {
    const entry = { tileId: tile.tileId, offset, length: tile.data.length };
    offset += tile.data.length;
    return entry;
  });
  const root = directory(entries);
  const metadata = new TextEncoder().encode(JSON.stringify(options.metadata));
  const rootOffset = HEADER_BYTES;
  const metadataOffset = rootOffset + root.length;
  const leafOffset = metadataOffset + metadata.length;
  const dataOffset = leafOffset;
  const size = dataOffset + offset;
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  out.set(new TextEncoder().encode('PMTiles'), 0);
  view.setUint8(7, 3);
  const u64 = (at: number, n: number): void => view.setBigUint64(at, BigInt(n), true);
  u64(8, rootOffset);
  u64(16, root.length);
  u64(24, metadataOffset);
  u64(32, metadata.length);
  u64(40, leafOffset);
  u64(48, 0);
  u64(56, dataOffset);
  u64(64, offset);
  u64(72, sorted.length); // addressed tiles
  u64(80, sorted.length); // tile entries
  u64(88, sorted.length); // tile contents
  view.setUint8(96, 1); // clustered: tile data in tile-id order
  view.setUint8(97, 1); // internal compression: none
  view.setUint8(98, 1); // tile compression: none
  view.setUint8(99, options.tileType);
  view.setUint8(100, Math.min(...sorted.map((t) => t.z)));
  view.setUint8(101, Math.max(...sorted.map((t) => t.z)));
  const e7 = (at: number, degrees: number): void => view.setInt32(at, Math.round(degrees * 1e7), true);
  const [west, south, east, north] = options.bounds;
  e7(102, west);
  e7(106, south);
  e7(110, east);
  e7(114, north);
  view.setUint8(118, options.center[2]);
  e7(119, options.center[0]);
  e7(123, options.center[1]);
  out.set(root, rootOffset);
  out.set(metadata, metadataOffset);
  for (const [i, tile] of sorted.entries()) out.set(tile.data, dataOffset + (entries[i]?.offset ?? 0));
  return out;
}

/** The x/y of the tile that holds a point at zoom z (Web Mercator). */
export function tileAt(lon: number, lat: number, z: number): { x: number; y: number } {
  const n = 2 ** z;
  const x = Math.floor(((lon + 180) / 360) * n);
  const rad = (lat * Math.PI) / 180;
  const y = Math.floor(((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * n);
  return { x, y };
}

const FULL = 4096;

/**
 * A small vector basemap around a point, zooms 0 to maxZoom, one tile per zoom: in each tile land over the
 * whole tile (`earth`), a lake (`water`), a boundary line (`boundaries`) and a named place (`places`).
 */
export function demoVectorArchive(lon: number, lat: number, maxZoom: number, placeName: string): Uint8Array {
  const tiles: ArchiveTile[] = [];
  for (let z = 0; z <= maxZoom; z++) {
    const { x, y } = tileAt(lon, lat, z);
    tiles.push({
      z,
      x,
      y,
      data: encodeVectorTile([
        {
          name: 'earth',
          features: [
            {
              geometry: {
                type: 'Polygon',
                coordinates: [
                  [
                    [0, 0],
                    [FULL, 0],
                    [FULL, FULL],
                    [0, FULL],
                  ],
                ],
              },
              properties: { kind: 'earth' },
            },
          ],
        },
        {
          name: 'water',
          features: [
            {
              geometry: {
                type: 'Polygon',
                coordinates: [
                  [
                    [512, 512],
                    [1536, 512],
                    [1536, 1536],
                    [512, 1536],
                  ],
                ],
              },
              properties: { kind: 'lake', name: '湖' },
            },
          ],
        },
        {
          name: 'boundaries',
          features: [
            {
              geometry: {
                type: 'LineString',
                coordinates: [
                  [0, 3000],
                  [2048, 2900],
                  [FULL, 3100],
                ],
              },
              properties: { kind_detail: 2 },
            },
          ],
        },
        {
          name: 'places',
          features: [
            { geometry: { type: 'Point', coordinates: [2048, 2048] }, properties: { name: placeName } },
          ],
        },
      ]),
    });
  }
  const layer = (id: string) => ({ id, fields: {} });
  return writePmtiles(tiles, {
    tileType: 1,
    bounds: [lon - 1, lat - 1, lon + 1, lat + 1],
    center: [lon, lat, maxZoom],
    metadata: {
      name: 'lianfang test basemap',
      attribution: '测试底图 · test basemap',
      vector_layers: ['earth', 'water', 'boundaries', 'places'].map(layer),
    },
  });
}
