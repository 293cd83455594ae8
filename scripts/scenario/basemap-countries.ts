// Countries for the offline basemap, China drawn under China's map conventions: Natural Earth 10m (world-atlas) for
// the detail, with Taiwan, Hong Kong, Macao and the South China Sea islands merged into China, 藏南 and the island
// groups that Natural Earth lacks taken from @surbowl/world-geo-json-zh, and the Pingxiang border line spliced in.
import * as turf from '@turf/turf';
import type { BBox, Feature, FeatureCollection, Geometry, Polygon, Position } from 'geojson';
import { feature as topoFeature } from 'topojson-client';
import type { GeometryObject, Topology } from 'topojson-specification';
import { vietnamSideBand } from './basemap-splice';
import type { BasemapSources } from './basemap-sources';
import { polygonsOf, type Area } from './geometry';

/** Covers all of China (so it shows whole at low zoom), both demo regions and the southern dashes. */
export const BASEMAP_BBOX: BBox = [73, 3, 136, 54];

const CHINA = '156';
/** world-atlas features drawn as part of China: Taiwan, Hong Kong, Macao, Scarborough Reef (黄岩岛), the Spratlys. */
export const MERGED_INTO_CHINA = ['158', '344', '446', 'Scarborough Reef', 'Spratly Is.'];

/**
 * Areas China's official maps draw as China that Natural Earth's de-facto line gives to a neighbour, taken from
 * @surbowl's outline: each is the piece of (surbowl's China − Natural Earth's China) containing the point.
 */
export const CLAIMS_FROM_SURBOWL: { name: string; nameEn: string; point: Position }[] = [
  { name: '藏南', nameEn: 'South Tibet', point: [93.0, 27.8] },
];

/** Chinese names of world-atlas features without an ISO id (the rest come from @surbowl by ISO 3166 numeric). */
const NAME_ZH_BY_NE_NAME: Record<string, string> = { 'Siachen Glacier': '锡亚琴冰川' };

export interface CountryProps {
  id: string;
  layer: 'country';
  name: string;
  nameEn: string;
  [key: string]: unknown;
}

type AreaFeature = Feature<Area>;

const keyOf = (f: Feature): string =>
  f.id !== undefined ? String(f.id) : String(f.properties?.['name'] ?? '');

function union(parts: readonly Area[]): Area {
  if (parts.length === 1) return parts[0] as Area;
  const u = turf.union(turf.featureCollection(parts.map((g) => turf.feature(g))));
  if (!u) throw new Error('basemap: empty union');
  return u.geometry;
}

function difference(a: Area, b: Area): Area | null {
  const d = turf.difference(turf.featureCollection([turf.feature(a), turf.feature(b)]));
  return d ? d.geometry : null;
}

function intersects(a: BBox, b: BBox): boolean {
  return a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];
}

/** bboxClip leaves rings of fewer than 4 positions where a polygon only touches the box; the clipper rejects them. */
function withoutDegenerateRings(g: Area): Area | null {
  const polys = polygonsOf(g)
    .map((rings) => rings.filter((r) => r.length >= 4))
    .filter((rings) => rings.length > 0);
  if (polys.length === 0) return null;
  return polys.length === 1
    ? { type: 'Polygon', coordinates: polys[0] as Position[][] }
    : { type: 'MultiPolygon', coordinates: polys };
}

/** world-atlas countries clipped to the extent, by key (ISO numeric id, else the name). */
function clippedCountries(topo: Topology): Map<string, { nameEn: string; geometry: Area }> {
  const all = topoFeature(topo, topo.objects['countries'] as GeometryObject) as FeatureCollection<Geometry>;
  const out = new Map<string, { nameEn: string; geometry: Area }>();
  for (const f of all.features) {
    if (f.geometry.type !== 'Polygon' && f.geometry.type !== 'MultiPolygon') continue;
    if (!intersects(turf.bbox(f), BASEMAP_BBOX)) continue;
    const c = withoutDegenerateRings(turf.bboxClip(f as AreaFeature, BASEMAP_BBOX).geometry as Area);
    if (c) out.set(keyOf(f), { nameEn: String(f.properties?.['name'] ?? keyOf(f)), geometry: c });
  }
  return out;
}

/** surbowl's China, split into the main outline and its islands; the thin dash polygons are left out here. */
function surbowlChina(sources: BasemapSources): { mainland: Polygon; islands: Polygon[] } {
  const cn = sources.surbowl.features.find((f) => f.properties.iso_n3 === CHINA);
  if (!cn) throw new Error('@surbowl/world-geo-json-zh: no China');
  const polys = polygonsOf(cn.geometry).map((rings) => turf.polygon(rings));
  const byArea = [...polys].sort((a, b) => turf.area(b) - turf.area(a));
  const mainland = byArea[0];
  if (!mainland) throw new Error('@surbowl: China has no polygon');
  return {
    mainland: mainland.geometry,
    islands: polys.filter((p) => p !== mainland && !isDash(p)).map((p) => p.geometry),
  };
}

/** The dashes of the South China Sea line are strips ~2 km wide: isoperimetric quotient far below an island's. */
export function isDash(p: Feature<Polygon>): boolean {
  const perimeterM = turf.length(turf.polygonToLine(p) as Feature<never>) * 1000;
  return (4 * Math.PI * turf.area(p)) / (perimeterM * perimeterM) < 0.1;
}

/** What China gains beyond Natural Earth's China: the listed claims, surbowl's islands NE lacks, the Pingxiang outline. */
function chinaAdditions(neChina: Area, sources: BasemapSources, pingxiang: Polygon): Area[] {
  const { mainland, islands } = surbowlChina(sources);
  const beyond = difference(mainland, neChina);
  const claims = beyond
    ? polygonsOf(beyond)
        .map((rings) => turf.polygon(rings))
        .filter((p) => CLAIMS_FROM_SURBOWL.some((c) => turf.booleanPointInPolygon(c.point, p)))
        .map((p) => p.geometry)
    : [];
  if (claims.length !== CLAIMS_FROM_SURBOWL.length) throw new Error('basemap: a listed claim was not found');
  const ownIslands = islands.filter((g) => !turf.booleanIntersects(turf.feature(g), turf.feature(neChina)));
  return [...claims, ...ownIslands, pingxiang];
}

export interface CountriesInput {
  topo: Topology;
  sources: BasemapSources;
  /** The Pingxiang border line exactly as data/border.geojson has it. */
  borderLine: Position[];
}

export function buildCountries({ topo, sources, borderLine }: CountriesInput): Feature<Area, CountryProps>[] {
  const clipped = clippedCountries(topo);
  const neChina = union([CHINA, ...MERGED_INTO_CHINA].flatMap((k) => clipped.get(k)?.geometry ?? []));
  for (const k of MERGED_INTO_CHINA) clipped.delete(k);
  const pingxiang = sources.districts.find((d) => d.adcode === '451481')?.outline;
  if (!pingxiang) throw new Error('basemap: no Pingxiang outline');
  const add = chinaAdditions(neChina, sources, pingxiang);
  const band = vietnamSideBand(borderLine, pingxiang);
  let china = union([neChina, ...add]);
  if (band) china = difference(china, band) ?? china;

  const taken = union(add);
  const takenBox = turf.bbox(taken);
  const zh = new Map(sources.surbowl.features.map((f) => [f.properties.iso_n3, f.properties.name]));
  const out: Feature<Area, CountryProps>[] = [];
  for (const [key, { nameEn, geometry }] of [...clipped.entries()].sort(([a], [b]) =>
    a < b ? -1 : a > b ? 1 : 0,
  )) {
    let g: Area | null = geometry;
    if (key === CHINA) g = china;
    else {
      if (key === '704' && band) g = union([g, band]);
      if (intersects(turf.bbox(g), takenBox)) g = difference(g, taken);
    }
    if (!g) continue;
    const id = `country-${/^\d+$/.test(key) ? key : key.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
    const name = zh.get(key) ?? NAME_ZH_BY_NE_NAME[nameEn] ?? nameEn;
    out.push({ type: 'Feature', id, properties: { id, layer: 'country', name, nameEn }, geometry: g });
  }
  return out;
}
