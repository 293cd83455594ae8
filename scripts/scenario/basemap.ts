// Offline basemap countries: world-atlas countries-10m (Natural Earth) clipped to lon 95–125, lat 15–45.
// world-atlas draws Taiwan, Hong Kong, Macao (and Scarborough Reef) apart from China; they are merged into
// China's feature for display, following China's map conventions. Not simplified: ~0.4 MB as it is.
import * as turf from '@turf/turf';
import type { BBox, Feature, FeatureCollection, Geometry } from 'geojson';
import { feature as topoFeature } from 'topojson-client';
import type { GeometryObject, Topology } from 'topojson-specification';
import { feature, normaliseArea, type Area } from './geometry';

export const BASEMAP_BBOX: BBox = [95, 15, 125, 45];

const CHINA = '156';
/** world-atlas features shown as part of China: Taiwan, Hong Kong, Macao, and Scarborough Reef (no ISO id). */
export const MERGED_INTO_CHINA = ['158', '344', '446', 'Scarborough Reef'];

const NAME_ZH: Record<string, string> = {
  China: '中国',
  Vietnam: '越南',
  Laos: '老挝',
  Myanmar: '缅甸',
  Thailand: '泰国',
  Cambodia: '柬埔寨',
  India: '印度',
  Bhutan: '不丹',
  Bangladesh: '孟加拉国',
  Nepal: '尼泊尔',
  Mongolia: '蒙古国',
  Russia: '俄罗斯',
  'North Korea': '朝鲜',
  'South Korea': '韩国',
  Japan: '日本',
  Philippines: '菲律宾',
};

export interface CountryProps {
  id: string;
  name: string;
  nameZh: string;
  [key: string]: unknown;
}

function keyOf(f: Feature): string {
  return f.id !== undefined ? String(f.id) : String(f.properties?.['name'] ?? '');
}

export function buildBasemap(topo: Topology): Feature<Area, CountryProps>[] {
  const object = topo.objects['countries'] as GeometryObject;
  const all = topoFeature(topo, object) as FeatureCollection<Geometry>;
  const clipped = new Map<string, { name: string; geometry: Area }>();
  for (const f of all.features) {
    if (f.geometry.type !== 'Polygon' && f.geometry.type !== 'MultiPolygon') continue;
    const [x0, y0, x1, y1] = turf.bbox(f);
    if (x1 < BASEMAP_BBOX[0] || x0 > BASEMAP_BBOX[2] || y1 < BASEMAP_BBOX[1] || y0 > BASEMAP_BBOX[3])
      continue;
    const c = turf.bboxClip(f as Feature<Area>, BASEMAP_BBOX).geometry as Area;
    const rings = c.type === 'Polygon' ? c.coordinates : c.coordinates.flat();
    if (rings.every((r) => r.length < 4)) continue;
    clipped.set(keyOf(f), { name: String(f.properties?.['name'] ?? keyOf(f)), geometry: c });
  }
  const china = clipped.get(CHINA);
  if (!china) throw new Error('world-atlas: no China');
  const parts = [china.geometry, ...MERGED_INTO_CHINA.flatMap((k) => clipped.get(k)?.geometry ?? [])];
  const merged = turf.union(turf.featureCollection(parts.map((g) => turf.feature(g))));
  if (!merged) throw new Error('union of China failed');
  china.geometry = merged.geometry;
  for (const k of MERGED_INTO_CHINA) clipped.delete(k);

  return [...clipped.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, { name, geometry }]) => {
      const id = `country-${/^\d+$/.test(key) ? key : key.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
      return feature<Area, CountryProps>(normaliseArea(geometry, 6), {
        id,
        name,
        nameZh: NAME_ZH[name] ?? name,
      });
    });
}
