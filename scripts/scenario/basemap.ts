// The offline basemap (data/basemap.geojson): one FeatureCollection whose `layer` property tells the style what each
// feature is: `country` polygons, `boundary` lines between countries, `province` boundary lines, `district` outlines, the South China Sea `dashed-line`,
// `city` points and `country-label` points. China follows China's map conventions (see basemap-countries.ts).
import type { Feature, Geometry } from 'geojson';
import type { Topology } from 'topojson-specification';
import { extractBorderLine } from './border';
import { buildCountries } from './basemap-countries';
import { landBoundaries } from './basemap-boundaries';
import { buildProvinceBoundaries } from './basemap-provinces';
import { cityFeatures, countryLabel, dashedLineFeature } from './basemap-places';
import { readBasemapSources, type BasemapSources } from './basemap-sources';
import { normaliseArea, type Area } from './geometry';

export { BASEMAP_BBOX, MERGED_INTO_CHINA, CLAIMS_FROM_SURBOWL } from './basemap-countries';

/**
 * ~10 m: far below the inputs' own resolution (world-atlas is quantised to ~370 m, the districts snapped to ~100 m)
 * and invisible at zoom 12 (~35 m a pixel at Pingxiang), and it keeps the file well under 2 MB.
 */
export const BASEMAP_DIGITS = 4;

export const BASEMAP_LAYERS = [
  'country',
  'boundary',
  'province',
  'district',
  'dashed-line',
  'city',
  'country-label',
] as const;
export type BasemapLayer = (typeof BASEMAP_LAYERS)[number];

export type BasemapProps = { id: string; layer: BasemapLayer; name: string; nameEn: string } & Record<
  string,
  unknown
>;

/** Land boundaries between countries (not coasts, not the extent's edges): China's apart, to be drawn stronger. */
function countryBoundaries(
  countries: readonly Feature<Area, BasemapProps>[],
): Feature<Geometry, BasemapProps>[] {
  const lines = landBoundaries(countries, 'country-156');
  return [true, false].map((isChina) => {
    const id = isChina ? 'boundary-china' : 'boundary-other';
    return {
      type: 'Feature',
      id,
      properties: {
        id,
        layer: 'boundary',
        name: isChina ? '中国陆地国界' : '其他陆地国界',
        nameEn: isChina ? "China's land boundary" : 'Other land boundaries',
        china: isChina,
      },
      geometry: { type: 'MultiLineString', coordinates: isChina ? lines.china : lines.other },
    };
  });
}

export function buildBasemap(
  topo: Topology,
  sources: BasemapSources = readBasemapSources(),
): Feature<Geometry, BasemapProps>[] {
  const pingxiang = sources.districts.find((d) => d.adcode === '451481');
  if (!pingxiang) throw new Error('basemap: no Pingxiang outline');
  const borderLine = extractBorderLine(pingxiang.outline, sources.borderNe);
  const countries = buildCountries({ topo, sources, borderLine }).map((f): Feature<Area, BasemapProps> => ({
    ...f,
    geometry: normaliseArea(f.geometry, BASEMAP_DIGITS),
  }));
  const provinces: Feature<Geometry, BasemapProps> = {
    type: 'Feature',
    id: 'province-boundaries',
    properties: {
      id: 'province-boundaries',
      layer: 'province',
      name: '省级界线',
      nameEn: 'Provincial boundaries',
      approximate: true,
    },
    geometry: buildProvinceBoundaries(sources.provinces, BASEMAP_DIGITS),
  };
  const districts = sources.districts.map((d): Feature<Geometry, BasemapProps> => {
    const id = `district-${d.adcode}`;
    return {
      type: 'Feature',
      id,
      properties: { id, layer: 'district', name: d.name, nameEn: d.nameEn, adcode: d.adcode },
      geometry: normaliseArea(d.outline, BASEMAP_DIGITS),
    };
  });
  return [
    ...countries,
    ...countryBoundaries(countries),
    provinces,
    ...districts,
    dashedLineFeature(sources, BASEMAP_DIGITS),
    ...cityFeatures(),
    ...countries.map((c) => countryLabel(c, BASEMAP_DIGITS)),
  ] as Feature<Geometry, BasemapProps>[];
}
