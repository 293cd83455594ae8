// Which basemap to draw, as GET /basemap.json serves it: the plain JSON shape the server's basemap-config.ts
// produces (client/ may not import server/http/, so the shape is written here too; tests check the two agree).
// A PMTiles basemap is completed here with its archive's description, read from the archive itself.
import { describePmtiles, type PmtilesArchive } from './pmtiles';

/** The built-in offline basemap from /basemap.geojson (the default). */
export interface BuiltinBasemap {
  kind: 'builtin';
}
/** No basemap: a plain background under the operational layers. */
export interface NoBasemap {
  kind: 'off';
}
/** An operator's own MapLibre style (self-hosted, or a vendor's); our layers are drawn on top of it. */
export interface StyleBasemap {
  kind: 'style';
  url: string;
}
/** Raster XYZ tiles (e.g. Tianditu), optionally with a second, transparent label tile set drawn over them. */
export interface RasterBasemap {
  kind: 'raster';
  /** URL templates with {z}, {x}, {y}: mirrors of one tile set, as MapLibre's `tiles`. */
  tiles: string[];
  labelTiles: string[];
  attribution: string;
  maxzoom: number;
  tileSize: number;
}

/** A PMTiles archive (vector or raster): ours at /basemap.pmtiles, or the operator's http(s) URL. */
export interface PmtilesBasemap {
  kind: 'pmtiles';
  url: string;
  /** The operator's attribution (BASEMAP_ATTRIBUTION); '' to use the archive's own. */
  attribution: string;
  /** Filled in by loadBasemapConfig from the archive; absent when it could not be read (background only). */
  archive?: PmtilesArchive;
}

export type BasemapSource = BuiltinBasemap | NoBasemap | StyleBasemap | RasterBasemap | PmtilesBasemap;

export type BasemapConfig = BasemapSource & {
  /** The basemap is in GCJ-02 (Amap, Tianditu-GCJ tiles…): shift our WGS-84 layers for display. */
  gcj02Display: boolean;
};

export const BUILTIN_BASEMAP: BasemapConfig = { kind: 'builtin', gcj02Display: false };

const isStringArray = (v: unknown): v is string[] =>
  Array.isArray(v) && v.every((x) => typeof x === 'string');
const isUrl = (v: unknown): v is string => typeof v === 'string' && /^(\/|https?:\/\/)/.test(v);

/**
 * Reads /basemap.json defensively: anything malformed falls back to the built-in basemap, so a bad response never
 * leaves the wall without a map (the server validates the environment at startup; this guards the wire).
 */
export function toBasemapConfig(json: unknown): BasemapConfig {
  if (typeof json !== 'object' || json === null) return BUILTIN_BASEMAP;
  const o = json as Record<string, unknown>;
  const gcj02Display = o['gcj02Display'] === true;
  switch (o['kind']) {
    case 'builtin':
      return { kind: 'builtin', gcj02Display };
    case 'off':
      return { kind: 'off', gcj02Display };
    case 'style':
      return isUrl(o['url']) ? { kind: 'style', url: o['url'], gcj02Display } : BUILTIN_BASEMAP;
    case 'pmtiles': {
      const { url, attribution } = o;
      if (!isUrl(url)) return BUILTIN_BASEMAP;
      return {
        kind: 'pmtiles',
        url,
        attribution: typeof attribution === 'string' ? attribution : '',
        gcj02Display,
      };
    }
    case 'raster': {
      const { tiles, labelTiles, attribution, maxzoom, tileSize } = o;
      if (!isStringArray(tiles) || tiles.length === 0 || !tiles.every(isUrl)) return BUILTIN_BASEMAP;
      return {
        kind: 'raster',
        tiles,
        labelTiles: isStringArray(labelTiles) ? labelTiles.filter(isUrl) : [],
        attribution: typeof attribution === 'string' ? attribution : '',
        maxzoom: typeof maxzoom === 'number' && maxzoom >= 0 && maxzoom <= 24 ? maxzoom : 18,
        tileSize: tileSize === 512 ? 512 : 256,
        gcj02Display,
      };
    }
    default:
      return BUILTIN_BASEMAP;
  }
}

/**
 * Fetches the operator's choice from our own server; the built-in basemap when the request fails. A PMTiles
 * basemap comes back with its archive described (tile type, zooms, layers), or without when unreadable.
 */
export async function loadBasemapConfig(
  fetchImpl: typeof fetch = fetch,
  describe: (url: string) => Promise<PmtilesArchive> = describePmtiles,
): Promise<BasemapConfig> {
  let config: BasemapConfig;
  try {
    const response = await fetchImpl('/basemap.json');
    config = response.ok ? toBasemapConfig(await response.json()) : BUILTIN_BASEMAP;
  } catch {
    return BUILTIN_BASEMAP;
  }
  if (config.kind !== 'pmtiles') return config;
  try {
    return { ...config, archive: await describe(config.url) };
  } catch {
    return config;
  }
}
