// Point and line features of the basemap: cities (approximate, from general knowledge), the South China Sea dashed
// line (centre lines of @surbowl's dash strips) and a label point for each country.
import * as turf from '@turf/turf';
import type { Feature, MultiLineString, Point, Polygon, Position } from 'geojson';
import { isDash } from './basemap-countries';
import type { BasemapSources } from './basemap-sources';
import { polygonsOf, roundTo, type Area } from './geometry';

export interface City {
  slug: string;
  name: string;
  nameEn: string;
  /** 1 national capital, 2 provincial capital or metropolis, 3 city, 4 border town: the style shows lower ranks later. */
  rank: 1 | 2 | 3 | 4;
  lonLat: [number, number];
}

/** WGS-84 city centres to ~1 km, from general knowledge (not surveyed): every city feature says approximate. */
export const CITIES: readonly City[] = [
  { slug: 'beijing', name: '北京', nameEn: 'Beijing', rank: 1, lonLat: [116.407, 39.904] },
  { slug: 'hanoi', name: '河内', nameEn: 'Hanoi', rank: 1, lonLat: [105.854, 21.029] },
  { slug: 'vientiane', name: '万象', nameEn: 'Vientiane', rank: 1, lonLat: [102.633, 17.975] },
  { slug: 'ulaanbaatar', name: '乌兰巴托', nameEn: 'Ulaanbaatar', rank: 1, lonLat: [106.917, 47.919] },
  { slug: 'seoul', name: '首尔', nameEn: 'Seoul', rank: 1, lonLat: [126.978, 37.566] },
  { slug: 'pyongyang', name: '平壤', nameEn: 'Pyongyang', rank: 1, lonLat: [125.762, 39.039] },
  { slug: 'shanghai', name: '上海', nameEn: 'Shanghai', rank: 2, lonLat: [121.474, 31.23] },
  { slug: 'tianjin', name: '天津', nameEn: 'Tianjin', rank: 2, lonLat: [117.201, 39.084] },
  { slug: 'chongqing', name: '重庆', nameEn: 'Chongqing', rank: 2, lonLat: [106.551, 29.563] },
  { slug: 'guangzhou', name: '广州', nameEn: 'Guangzhou', rank: 2, lonLat: [113.264, 23.129] },
  { slug: 'nanning', name: '南宁', nameEn: 'Nanning', rank: 2, lonLat: [108.366, 22.817] },
  { slug: 'kunming', name: '昆明', nameEn: 'Kunming', rank: 2, lonLat: [102.833, 24.88] },
  { slug: 'chengdu', name: '成都', nameEn: 'Chengdu', rank: 2, lonLat: [104.066, 30.573] },
  { slug: 'xian', name: '西安', nameEn: "Xi'an", rank: 2, lonLat: [108.94, 34.341] },
  { slug: 'wuhan', name: '武汉', nameEn: 'Wuhan', rank: 2, lonLat: [114.305, 30.593] },
  { slug: 'shenyang', name: '沈阳', nameEn: 'Shenyang', rank: 2, lonLat: [123.431, 41.806] },
  { slug: 'harbin', name: '哈尔滨', nameEn: 'Harbin', rank: 2, lonLat: [126.535, 45.803] },
  { slug: 'lhasa', name: '拉萨', nameEn: 'Lhasa', rank: 2, lonLat: [91.117, 29.647] },
  { slug: 'urumqi', name: '乌鲁木齐', nameEn: 'Ürümqi', rank: 2, lonLat: [87.617, 43.826] },
  { slug: 'haikou', name: '海口', nameEn: 'Haikou', rank: 2, lonLat: [110.199, 20.044] },
  { slug: 'taipei', name: '台北', nameEn: 'Taipei', rank: 2, lonLat: [121.565, 25.033] },
  { slug: 'hong-kong', name: '香港', nameEn: 'Hong Kong', rank: 2, lonLat: [114.169, 22.319] },
  { slug: 'macao', name: '澳门', nameEn: 'Macao', rank: 2, lonLat: [113.543, 22.199] },
  { slug: 'sanya', name: '三亚', nameEn: 'Sanya', rank: 3, lonLat: [109.512, 18.253] },
  { slug: 'haiphong', name: '海防', nameEn: 'Haiphong', rank: 3, lonLat: [106.682, 20.845] },
  { slug: 'chongzuo', name: '崇左', nameEn: 'Chongzuo', rank: 3, lonLat: [107.365, 22.377] },
  { slug: 'pingxiang', name: '凭祥', nameEn: 'Pingxiang', rank: 3, lonLat: [106.766, 22.094] },
  { slug: 'lang-son', name: '谅山', nameEn: 'Lang Son', rank: 3, lonLat: [106.761, 21.853] },
  { slug: 'dongxing', name: '东兴', nameEn: 'Dongxing', rank: 3, lonLat: [107.971, 21.548] },
  { slug: 'longzhou', name: '龙州', nameEn: 'Longzhou', rank: 4, lonLat: [106.854, 22.343] },
  { slug: 'ningming', name: '宁明', nameEn: 'Ningming', rank: 4, lonLat: [107.076, 22.14] },
  { slug: 'dong-dang', name: '同登', nameEn: 'Dong Dang', rank: 4, lonLat: [106.699, 21.944] },
];

type Props = { id: string; layer: string; name: string; nameEn: string } & Record<string, unknown>;

export function cityFeatures(): Feature<Point, Props>[] {
  return CITIES.map((c) => {
    const id = `city-${c.slug}`;
    const properties: Props = {
      id,
      layer: 'city',
      name: c.name,
      nameEn: c.nameEn,
      rank: c.rank,
      approximate: true,
    };
    return { type: 'Feature', id, properties, geometry: { type: 'Point', coordinates: c.lonLat } };
  });
}

/** The centre line of one dash strip: its two shortest edges are the ends; mid-points across the strip between. */
function dashCentreLine(p: Feature<Polygon>, digits: number): Position[] {
  const ring = (p.geometry.coordinates[0] ?? []).slice(0, -1);
  const n = ring.length;
  const length = (i: number): number => turf.distance(ring[i] as Position, ring[(i + 1) % n] as Position);
  const [e1, e2] = Array.from({ length: n }, (_, i) => i)
    .sort((a, b) => length(a) - length(b) || a - b)
    .slice(0, 2)
    .sort((a, b) => a - b) as [number, number];
  const side = (from: number, to: number): Position[] => {
    const out: Position[] = [];
    for (let i = from; i !== to; i = (i + 1) % n) out.push(ring[(i + 1) % n] as Position);
    return out;
  };
  const one = side(e1, e2);
  const other = turf.lineString(
    side(e2, e1).length >= 2 ? side(e2, e1) : [ring[e1] as Position, ring[e2] as Position],
  );
  const mid = (a: Position, b: Position): Position => [
    roundTo(((a[0] as number) + (b[0] as number)) / 2, digits),
    roundTo(((a[1] as number) + (b[1] as number)) / 2, digits),
  ];
  return one.map((v) => mid(v, turf.nearestPointOnLine(other, v).geometry.coordinates));
}

export function dashedLineFeature(sources: BasemapSources, digits: number): Feature<MultiLineString, Props> {
  const cn = sources.surbowl.features.find((f) => f.properties.iso_n3 === '156');
  const dashes = polygonsOf(cn?.geometry as Area)
    .map((rings) => turf.polygon(rings))
    .filter(isDash);
  if (dashes.length !== 10) throw new Error(`@surbowl: expected the ten dashes, found ${dashes.length}`);
  const id = 'scs-dashed-line';
  return {
    type: 'Feature',
    id,
    properties: { id, layer: 'dashed-line', name: '南海断续线', nameEn: 'South China Sea dashed line' },
    geometry: { type: 'MultiLineString', coordinates: dashes.map((d) => dashCentreLine(d, digits)) },
  };
}

/** Hand-placed label points where the largest part's centroid reads badly. */
const LABEL_AT: Record<string, Position> = { 'country-156': [103.5, 34.2] };

export function countryLabel(country: Feature<Area, Props>, digits: number): Feature<Point, Props> {
  const parts = polygonsOf(country.geometry).map((rings) => turf.polygon(rings));
  const largest = parts.sort((a, b) => turf.area(b) - turf.area(a))[0] as Feature<Polygon>;
  let at = LABEL_AT[country.properties.id] ?? turf.centroid(largest).geometry.coordinates;
  if (!turf.booleanPointInPolygon(at, largest)) at = turf.pointOnFeature(largest).geometry.coordinates;
  const id = `${country.properties.id}-label`;
  const km2 = turf.area(largest) / 1e6;
  const rank = country.properties.id === 'country-156' ? 1 : km2 > 100_000 ? 2 : 3;
  return {
    type: 'Feature',
    id,
    properties: {
      id,
      layer: 'country-label',
      name: country.properties.name,
      nameEn: country.properties.nameEn,
      rank,
    },
    geometry: {
      type: 'Point',
      coordinates: [roundTo(at[0] as number, digits), roundTo(at[1] as number, digits)],
    },
  };
}
