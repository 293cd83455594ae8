// PMTiles basemaps in the browser: one protocol handler for MapLibre (`pmtiles://<archive url>/{z}/{x}/{y}`,
// registered by MapView) and the archive's description (tile type, zooms, bounds, vector layers), read once
// through the same reader so the header and root directory are fetched a single time.
import { PMTiles, Protocol, TileType } from 'pmtiles';

export const pmtilesProtocol = new Protocol();

export interface PmtilesArchive {
  tileType: 'vector' | 'raster';
  minzoom: number;
  maxzoom: number;
  /** [west, south, east, north] */
  bounds: [number, number, number, number];
  /** The vector layers' ids (`source-layer` names), from the archive's metadata. */
  vectorLayers: string[];
  attribution: string | null;
}

/** MapLibre's tile URL template for an archive: the protocol handler finds the reader by the URL. */
export const pmtilesTiles = (url: string): string => `pmtiles://${url}/{z}/{x}/{y}`;

const RASTER = new Set([TileType.Png, TileType.Jpeg, TileType.Webp, TileType.Avif]);

function layerIds(metadata: unknown): string[] {
  const layers = (metadata as { vector_layers?: unknown } | null)?.vector_layers;
  if (!Array.isArray(layers)) return [];
  return layers
    .map((layer) => (layer as { id?: unknown } | null)?.id)
    .filter((id): id is string => typeof id === 'string' && id !== '');
}

/** Reads the archive's header and metadata (two range requests at most); throws on an unusable archive. */
export async function describePmtiles(url: string): Promise<PmtilesArchive> {
  const reader = pmtilesProtocol.get(url) ?? new PMTiles(url);
  pmtilesProtocol.add(reader);
  const header = await reader.getHeader();
  const vector = header.tileType === TileType.Mvt;
  if (!vector && !RASTER.has(header.tileType))
    throw new Error(`unsupported PMTiles tile type ${header.tileType} in ${url}`);
  const metadata: unknown = await reader.getMetadata().catch(() => null);
  const attribution = (metadata as { attribution?: unknown } | null)?.attribution;
  return {
    tileType: vector ? 'vector' : 'raster',
    minzoom: header.minZoom,
    maxzoom: header.maxZoom,
    bounds: [header.minLon, header.minLat, header.maxLon, header.maxLat],
    vectorLayers: vector ? layerIds(metadata) : [],
    attribution: typeof attribution === 'string' && attribution !== '' ? attribution : null,
  };
}
