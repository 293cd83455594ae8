// The PMTiles basemap on the client: /basemap.json's pmtiles shape read back as the server writes it, and the
// style built from an archive's description (vector: each layer's polygons, lines and labels; raster: one layer).
import { validateStyleMin } from '@maplibre/maplibre-gl-style-spec';
import type { StyleSpecification } from 'maplibre-gl';
import { describe, expect, it } from 'vitest';
import {
  BUILTIN_BASEMAP,
  toBasemapConfig,
  type BasemapConfig,
  type PmtilesBasemap,
} from '../../client/lib/map/basemap-config';
import type { PmtilesArchive } from '../../client/lib/map/pmtiles';
import { createBaseStyle } from '../../client/lib/map/style';
import { roleOf } from '../../client/lib/map/style-pmtiles';
import { basemapConfigFromEnv } from '../../server/http/basemap-config';

const spec = (style: StyleSpecification | string): StyleSpecification => {
  if (typeof style === 'string') throw new Error(`expected a style object, got ${style}`);
  return style;
};

const vector: PmtilesArchive = {
  tileType: 'vector',
  minzoom: 0,
  maxzoom: 14,
  bounds: [73, 3, 136, 54],
  vectorLayers: ['earth', 'water', 'boundaries', 'roads', 'places'],
  attribution: '© 测试',
};
const config = (archive?: PmtilesArchive, attribution = ''): PmtilesBasemap & BasemapConfig => ({
  kind: 'pmtiles',
  url: '/basemap.pmtiles',
  attribution,
  gcj02Display: false,
  ...(archive ? { archive } : {}),
});

describe('the pmtiles shape of /basemap.json', () => {
  it('reads back unchanged what the server writes', () => {
    for (const env of [
      { BASEMAP_PMTILES: 'https://tiles.internal.example/china.pmtiles', BASEMAP_GCJ02: '1' },
      { BASEMAP: 'pmtiles', BASEMAP_PMTILES: 'http://10.0.0.5/p.pmtiles', BASEMAP_ATTRIBUTION: '© 测绘' },
    ]) {
      const served = JSON.parse(JSON.stringify(basemapConfigFromEnv(env))) as unknown;
      expect(toBasemapConfig(served)).toEqual(served);
    }
  });

  it('falls back to the built-in basemap without a usable URL', () => {
    for (const bad of [{ kind: 'pmtiles' }, { kind: 'pmtiles', url: 'file:///etc/x.pmtiles' }])
      expect(toBasemapConfig(bad)).toEqual(BUILTIN_BASEMAP);
    expect(toBasemapConfig({ kind: 'pmtiles', url: '/basemap.pmtiles', attribution: 3 })).toEqual(config());
  });
});

describe('the style of a PMTiles basemap', () => {
  it('vector: one source through pmtiles://, fills under lines under labels, valid in both themes', () => {
    for (const theme of ['dark', 'light'] as const) {
      const style = spec(createBaseStyle(theme, config(vector), 'zh-CN'));
      expect(validateStyleMin(style)).toEqual([]);
      expect(style.glyphs).toBeUndefined();
      expect(style.sources).toEqual({
        'basemap-pmtiles': {
          type: 'vector',
          tiles: ['pmtiles:///basemap.pmtiles/{z}/{x}/{y}'],
          minzoom: 0,
          maxzoom: 14,
          bounds: [73, 3, 136, 54],
          attribution: '© 测试',
        },
      });
      const ids = style.layers.map((l) => l.id);
      expect(ids[0]).toBe('basemap-background');
      expect(ids).toHaveLength(1 + 3 * 5);
      expect(ids.every((id) => id.startsWith('basemap-'))).toBe(true);
      const kinds = style.layers.slice(1).map((l) => l.type);
      expect(kinds).toEqual([...Array(5).fill('fill'), ...Array(5).fill('line'), ...Array(5).fill('symbol')]);
    }
  });

  it('paints water as water and boundaries stronger, and labels in the chosen language', () => {
    const layers = spec(createBaseStyle('dark', config(vector), 'en')).layers;
    const paint = (id: string) =>
      (layers.find((l) => l.id === id) as { paint?: Record<string, unknown> }).paint;
    const background = paint('basemap-background')?.['background-color'];
    expect(paint('basemap-pm-water-fill')?.['fill-color']).toBe(background);
    expect(paint('basemap-pm-earth-fill')?.['fill-color']).not.toBe(background);
    expect(paint('basemap-pm-boundaries-line')?.['line-width']).toBeGreaterThan(
      Number(paint('basemap-pm-roads-line')?.['line-width']),
    );
    const label = layers.find((l) => l.id === 'basemap-pm-places-label') as {
      layout: Record<string, unknown>;
    };
    expect(JSON.stringify(label.layout['text-field'])).toContain('name:en');
    expect(['water', 'ocean', 'boundaries', 'transportation', 'landuse'].map(roleOf)).toEqual([
      'water',
      'water',
      'boundary',
      'road',
      'land',
    ]);
  });

  it('raster: one raster layer; the operator’s attribution wins over the archive’s', () => {
    const raster: PmtilesArchive = { ...vector, tileType: 'raster', vectorLayers: [] };
    const style = spec(createBaseStyle('light', config(raster, '天地图'), 'zh-CN'));
    expect(validateStyleMin(style)).toEqual([]);
    expect(style.sources['basemap-pmtiles']).toMatchObject({
      type: 'raster',
      tileSize: 256,
      attribution: '天地图',
    });
    expect(style.layers.map((l) => l.id)).toEqual(['basemap-background', 'basemap-pmtiles']);
  });

  it('an archive that could not be read: the background alone', () => {
    const style = spec(createBaseStyle('dark', config()));
    expect(style.sources).toEqual({});
    expect(style.layers.map((l) => l.id)).toEqual(['basemap-background']);
  });
});
