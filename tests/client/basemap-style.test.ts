// The base style: offline (no glyphs, sprite or foreign URL), valid per the style spec, per theme and language,
// in step with data/basemap.geojson's `layer` values; the alternatives produce the sources they should.
import fs from 'node:fs';
import { validateStyleMin } from '@maplibre/maplibre-gl-style-spec';
import type { FeatureCollection } from 'geojson';
import type { LayerSpecification, StyleSpecification } from 'maplibre-gl';
import { describe, expect, it } from 'vitest';
import type { BasemapConfig } from '../../client/lib/map/basemap-config';
import { basemapLayerIds, setBasemapVisible } from '../../client/lib/map/basemap-visibility';
import { basemapLabelFields, createBaseStyle, type Theme } from '../../client/lib/map/style';

const THEMES: Theme[] = ['dark', 'light'];

function spec(style: StyleSpecification | string): StyleSpecification {
  if (typeof style === 'string') throw new Error(`expected a style object, got the URL ${style}`);
  return style;
}

/** Every URL a style would make MapLibre fetch: glyphs, sprite, source data/url/tiles. */
function urlsOf(style: StyleSpecification): string[] {
  const urls: string[] = [];
  if (style.glyphs) urls.push(style.glyphs);
  if (style.sprite) urls.push(JSON.stringify(style.sprite));
  for (const source of Object.values(style.sources)) {
    const s = source as { data?: unknown; url?: string; tiles?: string[] };
    if (typeof s.data === 'string') urls.push(s.data);
    if (s.url) urls.push(s.url);
    urls.push(...(s.tiles ?? []));
  }
  return urls;
}

describe('the built-in basemap style', () => {
  for (const theme of THEMES)
    it(`${theme}: valid, no glyphs or sprite, and its only URL is /basemap.geojson on our host`, () => {
      const style = spec(createBaseStyle(theme));
      expect(validateStyleMin(style)).toEqual([]);
      expect(style.glyphs).toBeUndefined();
      expect(style.sprite).toBeUndefined();
      const urls = urlsOf(style);
      expect(urls).toEqual(['/basemap.geojson']);
      for (const url of urls) expect(url.startsWith('/') && !url.startsWith('//')).toBe(true);
    });

  it('has the same layers in both themes, all named basemap-*, in drawing order', () => {
    const ids = (t: Theme): string[] => spec(createBaseStyle(t)).layers.map((l) => l.id);
    expect(ids('dark')).toEqual(ids('light'));
    expect(ids('dark')).toEqual([
      'basemap-background',
      'basemap-land',
      'basemap-boundary',
      'basemap-province',
      'basemap-china-border',
      'basemap-dashed-line',
      'basemap-district',
      'basemap-city-dot',
      'basemap-city-label',
      'basemap-country-label',
    ]);
  });

  it('the themes differ in colour: dark water for the wall, light for tablets', () => {
    const water = (t: Theme): unknown =>
      (spec(createBaseStyle(t)).layers[0] as { paint: Record<string, unknown> }).paint['background-color'];
    expect(water('dark')).toBe('#0a1420');
    expect(water('light')).not.toBe(water('dark'));
  });

  it('draws China apart: its own fill colour and a stronger national border than other outlines', () => {
    const layers = spec(createBaseStyle('dark')).layers;
    const land = layers.find((l) => l.id === 'basemap-land') as { paint: Record<string, unknown> };
    expect(JSON.stringify(land.paint['fill-color'])).toContain('country-156');
    const width = (id: string): unknown =>
      (layers.find((l) => l.id === id) as { paint: Record<string, unknown> }).paint['line-width'];
    expect(width('basemap-boundary')).toBe(0.8);
    expect(width('basemap-china-border')).toEqual(['interpolate', ['linear'], ['zoom'], 3, 1.2, 10, 2.4]);
  });

  it('labels in Chinese by default and in English for the en locale (cities keep the Chinese)', () => {
    const field = (locale: 'zh-CN' | 'en', id: string): unknown =>
      (
        spec(createBaseStyle('dark', undefined, locale)).layers.find((l) => l.id === id) as {
          layout: Record<string, unknown>;
        }
      ).layout['text-field'];
    expect(field('zh-CN', 'basemap-city-label')).toEqual(['get', 'name']);
    expect(field('zh-CN', 'basemap-country-label')).toEqual(['get', 'name']);
    expect(JSON.stringify(field('en', 'basemap-country-label'))).toContain('nameEn');
    const city = JSON.stringify(field('en', 'basemap-city-label'));
    expect(city.indexOf('nameEn')).toBeLessThan(city.lastIndexOf('"name"'));
    expect(basemapLabelFields('en')['basemap-city-label']).toEqual(field('en', 'basemap-city-label'));
  });

  it('filters only on `layer` values that data/basemap.geojson has, and uses each of them', () => {
    const data = JSON.parse(
      fs.readFileSync(new URL('../../data/basemap.geojson', import.meta.url), 'utf8'),
    ) as FeatureCollection;
    const inData = new Set(data.features.map((f) => String(f.properties?.['layer'])));
    const inStyle = new Set(
      spec(createBaseStyle('dark'))
        .layers.map((l) => JSON.stringify((l as { filter?: unknown }).filter ?? null))
        .flatMap((f) => [...f.matchAll(/\["get","layer"\],"([a-z-]+)"/g)].map((m) => m[1] as string)),
    );
    expect([...inStyle].sort()).toEqual([...inData].sort());
  });
});

describe('alternative basemaps', () => {
  const raster: BasemapConfig = {
    kind: 'raster',
    tiles: ['https://t0.example.cn/vec_w/{z}/{x}/{y}.png', 'https://t1.example.cn/vec_w/{z}/{x}/{y}.png'],
    labelTiles: ['https://t0.example.cn/cva_w/{z}/{x}/{y}.png'],
    attribution: '© Example',
    maxzoom: 18,
    tileSize: 256,
    gcj02Display: false,
  };

  it('raster: one raster source with the tiles, attribution and max zoom, and a label overlay above it', () => {
    const style = spec(createBaseStyle('dark', raster));
    expect(validateStyleMin(style)).toEqual([]);
    expect(style.sources['basemap-raster']).toEqual({
      type: 'raster',
      tiles: raster.tiles,
      tileSize: 256,
      maxzoom: 18,
      attribution: '© Example',
    });
    expect(style.layers.map((l: LayerSpecification) => l.id)).toEqual([
      'basemap-background',
      'basemap-raster',
      'basemap-raster-labels',
    ]);
    expect(style.sources['basemap']).toBeUndefined();
  });

  it('raster without label tiles: no overlay source or layer', () => {
    const style = spec(createBaseStyle('light', { ...raster, labelTiles: [] }));
    expect(Object.keys(style.sources)).toEqual(['basemap-raster']);
    expect(style.layers).toHaveLength(2);
  });

  it("style: the operator's style URL, handed to MapLibre as is", () => {
    expect(createBaseStyle('dark', { kind: 'style', url: '/tiles/style.json', gcj02Display: false })).toBe(
      '/tiles/style.json',
    );
  });

  it('off: the background alone, no source', () => {
    const style = spec(createBaseStyle('dark', { kind: 'off', gcj02Display: false }));
    expect(style.sources).toEqual({});
    expect(style.layers.map((l) => l.id)).toEqual(['basemap-background']);
  });
});

describe('switching the built-in basemap off', () => {
  function stubMap(ids: string[]) {
    const visibility = new Map<string, string>();
    return {
      visibility,
      getStyle: () => ({ layers: ids.map((id) => ({ id })) }),
      setLayoutProperty: (id: string, _name: 'visibility', value: string) => visibility.set(id, value),
    };
  }

  it('hides every basemap layer but the background, and no operational layer', () => {
    const ids = [...spec(createBaseStyle('dark')).layers.map((l) => l.id), 'grids-fill', 'units-symbol'];
    const map = stubMap(ids);
    expect(basemapLayerIds(map)).not.toContain('basemap-background');
    setBasemapVisible(map, false);
    expect([...map.visibility.keys()].sort()).toEqual(
      ids.filter((id) => id.startsWith('basemap-') && id !== 'basemap-background').sort(),
    );
    expect(new Set(map.visibility.values())).toEqual(new Set(['none']));
    setBasemapVisible(map, true);
    expect(new Set(map.visibility.values())).toEqual(new Set(['visible']));
  });
});
