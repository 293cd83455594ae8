// The base style of a PMTiles basemap: a raster archive as one raster layer; a vector archive, whatever its
// schema, drawn from its own layer list: polygons, lines and point labels of each layer in the theme's colours,
// water, boundaries and roads told apart by the layer's name. No glyphs, as in the built-in basemap.
import type { ExpressionSpecification, LayerSpecification, StyleSpecification } from 'maplibre-gl';
import type { PmtilesBasemap } from './basemap-config';
import { pmtilesTiles } from './pmtiles';
import type { Locale, Palette } from './style';

export const PMTILES_SOURCE_ID = 'basemap-pmtiles';

type Role = 'water' | 'boundary' | 'road' | 'land';

/** What a vector layer holds, guessed from its name (Protomaps, OpenMapTiles and Shortbread names match). */
export function roleOf(layerId: string): Role {
  if (/water|ocean|lake|river|sea/i.test(layerId)) return 'water';
  if (/bound|admin|border/i.test(layerId)) return 'boundary';
  if (/road|transport|street|highway|rail/i.test(layerId)) return 'road';
  return 'land';
}

const geometry = (type: 'Polygon' | 'LineString' | 'Point'): ExpressionSpecification => [
  '==',
  ['geometry-type'],
  type,
];

/** Chinese names first (name:zh, name_zh), English for the en locale, else whatever `name` is. */
function nameOf(locale: Locale): ExpressionSpecification {
  const local = locale === 'zh-CN' ? ['name:zh', 'name_zh'] : ['name:en', 'name_en'];
  return ['coalesce', ...local.map((key): ExpressionSpecification => ['get', key]), ['get', 'name']];
}

function vectorLayers(ids: string[], c: Palette, locale: Locale): LayerSpecification[] {
  const source = PMTILES_SOURCE_ID;
  const fills: LayerSpecification[] = [];
  const lines: LayerSpecification[] = [];
  const labels: LayerSpecification[] = [];
  for (const id of ids) {
    const role = roleOf(id);
    const layer = { source, 'source-layer': id };
    fills.push({
      id: `basemap-pm-${id}-fill`,
      type: 'fill',
      ...layer,
      filter: geometry('Polygon'),
      paint: { 'fill-color': role === 'water' ? c.water : c.land, 'fill-outline-color': c.outline },
    });
    lines.push({
      id: `basemap-pm-${id}-line`,
      type: 'line',
      ...layer,
      filter: geometry('LineString'),
      layout: { 'line-join': 'round' },
      paint:
        role === 'boundary'
          ? { 'line-color': c.chinaBorder, 'line-width': 1.2 }
          : { 'line-color': role === 'road' ? c.province : c.outline, 'line-width': 0.8 },
    });
    labels.push({
      id: `basemap-pm-${id}-label`,
      type: 'symbol',
      ...layer,
      filter: ['all', geometry('Point'), ['has', 'name']],
      layout: { 'text-field': nameOf(locale), 'text-size': 12 * c.textScale },
      paint: { 'text-color': c.label, 'text-halo-color': c.halo, 'text-halo-width': 1.2 },
    });
  }
  return [...fills, ...lines, ...labels];
}

/** The style for a described archive; the background alone when the archive could not be read. */
export function pmtilesStyle(
  config: PmtilesBasemap,
  background: LayerSpecification,
  c: Palette,
  locale: Locale,
): StyleSpecification {
  const archive = config.archive;
  if (!archive) return { version: 8, sources: {}, layers: [background] };
  const attribution = config.attribution || archive.attribution;
  const common = {
    tiles: [pmtilesTiles(config.url)],
    minzoom: archive.minzoom,
    maxzoom: archive.maxzoom,
    bounds: archive.bounds,
    ...(attribution ? { attribution } : {}),
  };
  if (archive.tileType === 'raster') {
    return {
      version: 8,
      sources: { [PMTILES_SOURCE_ID]: { type: 'raster', tileSize: 256, ...common } },
      layers: [background, { id: PMTILES_SOURCE_ID, type: 'raster', source: PMTILES_SOURCE_ID }],
    };
  }
  return {
    version: 8,
    sources: { [PMTILES_SOURCE_ID]: { type: 'vector', ...common } },
    layers: [background, ...vectorLayers(archive.vectorLayers, c, locale)],
  };
}
