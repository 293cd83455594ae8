// The base style under the operational layers: the built-in offline basemap from /basemap.geojson (no glyphs, no
// sprite, no tile server: labels render from local fonts through localIdeographFontFamily), or the operator's
// choice from /basemap.json (their style URL, raster tiles, a PMTiles archive, or none). Every layer id here starts
// with `basemap-`.
import type {
  ExpressionSpecification,
  FilterSpecification,
  LayerSpecification,
  StyleSpecification,
} from 'maplibre-gl';
import { BUILTIN_BASEMAP, type BasemapConfig, type RasterBasemap } from './basemap-config';
import { pmtilesStyle } from './style-pmtiles';

export type Theme = 'dark' | 'light';
export type Locale = 'zh-CN' | 'en';

export const BASEMAP_LAYER_PREFIX = 'basemap-';
export const BASEMAP_BACKGROUND_ID = 'basemap-background';
export const BASEMAP_GEOJSON_URL = '/basemap.geojson';

export interface Palette {
  water: string;
  land: string;
  china: string;
  outline: string;
  chinaBorder: string;
  province: string;
  district: string;
  dashedLine: string;
  cityDot: string;
  label: string;
  countryLabel: string;
  halo: string;
  textScale: number;
}

/** Dark for the command-center wall (quiet, so the operational layers carry the colour); light for tablets. */
const PALETTES: Record<Theme, Palette> = {
  dark: {
    water: '#0a1420',
    land: '#141f2d',
    china: '#1a293b',
    outline: '#2e3e54',
    chinaBorder: '#8a9fc4',
    province: '#33475f',
    district: '#6f9bd1',
    dashedLine: '#5f7ea6',
    cityDot: '#8da2bd',
    label: '#9db0c8',
    countryLabel: '#6f84a0',
    halo: '#0a1420',
    textScale: 1.15,
  },
  light: {
    water: '#cfe0ec',
    land: '#ecece6',
    china: '#f8f7f1',
    outline: '#a7b1ba',
    chinaBorder: '#7d5a86',
    province: '#b5aa98',
    district: '#3f6fb0',
    dashedLine: '#7d5a86',
    cityDot: '#59636e',
    label: '#3c4650',
    countryLabel: '#6b7580',
    halo: '#f8f7f1',
    textScale: 1,
  },
};

const ofLayer = (layer: string): ExpressionSpecification => ['==', ['get', 'layer'], layer];

/** Features of a layer whose `rank` is shown at the current zoom: rank r from the r-th stop on. */
function rankedFilter(layer: string, stops: number[]): FilterSpecification {
  const steps = stops.flatMap((zoom, i) => [zoom, i + 2]);
  return [
    'all',
    ofLayer(layer),
    ['<=', ['get', 'rank'], ['step', ['zoom'], 1, ...steps]],
  ] as FilterSpecification;
}

/** Chinese names by default; in English the English name (cities keep the Chinese below it, smaller). */
function labelText(locale: Locale, withChinese: boolean): ExpressionSpecification {
  if (locale === 'zh-CN') return ['get', 'name'];
  const english: ExpressionSpecification = ['coalesce', ['get', 'nameEn'], ['get', 'name']];
  return withChinese ? ['format', english, {}, '\n', {}, ['get', 'name'], { 'font-scale': 0.8 }] : english;
}

/** Cities of rank 1 (capitals) show from the start, rank 2 from z4, rank 3 from z7, rank 4 (border towns) from z9. */
const CITY_RANK_ZOOMS = [4, 7, 9];

/** The built-in basemap's label fields for a language: MapView sets them when the operator switches language. */
export function basemapLabelFields(locale: Locale): {
  'basemap-city-label': ExpressionSpecification;
  'basemap-country-label': ExpressionSpecification;
} {
  return { 'basemap-city-label': labelText(locale, true), 'basemap-country-label': labelText(locale, false) };
}

function builtinLayers(c: Palette, locale: Locale): LayerSpecification[] {
  const source = 'basemap';
  const s = (px: number): number => px * c.textScale;
  const halo = { 'text-halo-color': c.halo, 'text-halo-width': 1.2 };
  return [
    {
      id: 'basemap-land',
      type: 'fill',
      source,
      filter: ofLayer('country'),
      paint: { 'fill-color': ['case', ['==', ['get', 'id'], 'country-156'], c.china, c.land] },
    },
    {
      id: 'basemap-boundary',
      type: 'line',
      source,
      filter: ['all', ofLayer('boundary'), ['!=', ['get', 'china'], true]],
      layout: { 'line-join': 'round' },
      paint: { 'line-color': c.outline, 'line-width': 0.8 },
    },
    {
      id: 'basemap-province',
      type: 'line',
      source,
      minzoom: 3,
      filter: ofLayer('province'),
      paint: { 'line-color': c.province, 'line-width': 0.8, 'line-dasharray': [4, 2] },
    },
    {
      id: 'basemap-china-border',
      type: 'line',
      source,
      filter: ['all', ofLayer('boundary'), ['==', ['get', 'china'], true]],
      layout: { 'line-join': 'round' },
      paint: {
        'line-color': c.chinaBorder,
        'line-width': ['interpolate', ['linear'], ['zoom'], 3, 1.2, 10, 2.4],
      },
    },
    {
      id: 'basemap-dashed-line',
      type: 'line',
      source,
      filter: ofLayer('dashed-line'),
      layout: { 'line-cap': 'round' },
      paint: { 'line-color': c.dashedLine, 'line-width': 1.6 },
    },
    {
      id: 'basemap-district',
      type: 'line',
      source,
      minzoom: 6,
      filter: ofLayer('district'),
      paint: { 'line-color': c.district, 'line-width': 1.4, 'line-dasharray': [3, 1.5] },
    },
    {
      id: 'basemap-city-dot',
      type: 'circle',
      source,
      filter: rankedFilter('city', CITY_RANK_ZOOMS),
      paint: {
        'circle-color': c.cityDot,
        'circle-radius': ['match', ['get', 'rank'], 1, 4, 2, 3, 2.5],
        'circle-stroke-color': c.halo,
        'circle-stroke-width': 1,
      },
    },
    {
      id: 'basemap-city-label',
      type: 'symbol',
      source,
      filter: rankedFilter('city', CITY_RANK_ZOOMS),
      layout: {
        'text-field': basemapLabelFields(locale)['basemap-city-label'],
        'text-size': s(13),
        'text-anchor': 'left',
        'text-offset': [0.6, 0],
        'symbol-sort-key': ['get', 'rank'],
      },
      paint: { 'text-color': c.label, ...halo },
    },
    {
      id: 'basemap-country-label',
      type: 'symbol',
      source,
      maxzoom: 8,
      filter: rankedFilter('country-label', [0, 5]),
      layout: {
        'text-field': basemapLabelFields(locale)['basemap-country-label'],
        'text-size': ['match', ['get', 'rank'], 1, s(18), s(14)],
        'text-letter-spacing': 0.1,
        'symbol-sort-key': ['get', 'rank'],
      },
      paint: { 'text-color': c.countryLabel, ...halo },
    },
  ];
}

function rasterStyle(config: RasterBasemap, background: LayerSpecification): StyleSpecification {
  const source = (tiles: string[]) =>
    ({
      type: 'raster',
      tiles,
      tileSize: config.tileSize,
      maxzoom: config.maxzoom,
      attribution: config.attribution,
    }) as const;
  const withLabels = config.labelTiles.length > 0;
  return {
    version: 8,
    sources: {
      'basemap-raster': source(config.tiles),
      ...(withLabels ? { 'basemap-raster-labels': source(config.labelTiles) } : {}),
    },
    layers: [
      background,
      { id: 'basemap-raster', type: 'raster', source: 'basemap-raster' },
      ...(withLabels
        ? [{ id: 'basemap-raster-labels', type: 'raster', source: 'basemap-raster-labels' } as const]
        : []),
    ],
  };
}

/**
 * The map's initial style for a theme, a basemap choice and a label language. A style URL is returned as is
 * (MapLibre fetches it); everything else is a StyleSpecification whose only URL is on our host (/basemap.geojson,
 * or a PMTiles archive at /basemap.pmtiles) unless the operator configured a tile server.
 */
export function createBaseStyle(
  theme: Theme,
  config: BasemapConfig = BUILTIN_BASEMAP,
  locale: Locale = 'zh-CN',
): StyleSpecification | string {
  const c = PALETTES[theme];
  const background: LayerSpecification = {
    id: BASEMAP_BACKGROUND_ID,
    type: 'background',
    paint: { 'background-color': c.water },
  };
  switch (config.kind) {
    case 'style':
      return config.url;
    case 'raster':
      return rasterStyle(config, background);
    case 'pmtiles':
      return pmtilesStyle(config, background, c, locale);
    case 'off':
      return { version: 8, sources: {}, layers: [background] };
    case 'builtin':
      return {
        version: 8,
        sources: { basemap: { type: 'geojson', data: BASEMAP_GEOJSON_URL } },
        layers: [background, ...builtinLayers(c, locale)],
      };
  }
}
