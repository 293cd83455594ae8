// data/manifest.json: counts, bounding boxes and centres of the scenario, for the server and the client.
import * as turf from '@turf/turf';
import type { Feature, Geometry } from 'geojson';
import { roundTo } from './geometry';
import type { Sources } from './sources';
import type { Unit } from './units';

type Props = Record<string, unknown>;

interface ManifestInput {
  src: Sources;
  areas: readonly Feature<Geometry, Props>[];
  grids: readonly Feature<Geometry, Props>[];
  segments: readonly Feature<Geometry, Props>[];
  posts: readonly Feature<Geometry, Props>[];
  sectors: readonly Feature<Geometry, Props>[];
  units: readonly Unit[];
  basemap: readonly Feature<Geometry, Props>[];
  lengthMeters: number;
  friendshipPass: Manifest['friendshipPass'];
}

export interface Manifest {
  version: 1;
  counts: {
    dongcheng: Record<string, number>;
    pingxiang: Record<string, number>;
    segments: number;
    posts: Record<string, number>;
    postsByRegion: Record<string, Record<string, number>>;
    jointDefenseGroups: number;
    sectors: Record<string, number>;
    units: Record<string, number>;
    basemapCountries: number;
  };
  borderLengthMeters: number;
  /** 友谊关 as placed, and its distance from the border line. */
  friendshipPass: { position: number[]; borderDistanceMeters: number; moved: boolean };
  bbox: { dongcheng: number[]; pingxiang: number[] };
  center: { dongcheng: number[]; pingxiang: number[] };
}

function tally(
  items: readonly Props[],
  key: string,
  filter: (p: Props) => boolean = () => true,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of items) if (filter(p)) out[String(p[key])] = (out[String(p[key])] ?? 0) + 1;
  return out;
}

export function buildManifest(m: ManifestInput): Manifest {
  const levels = (region: string): Record<string, number> => ({
    ...tally(
      m.areas.map((a) => a.properties),
      'level',
      (p) => p['region'] === region,
    ),
    grid: m.grids.filter((g) => g.properties['region'] === region).length,
  });
  const box = (g: Geometry): number[] => turf.bbox(g).map((x) => roundTo(x, 6));
  const centre = (b: number[]): number[] => [
    roundTo(((b[0] as number) + (b[2] as number)) / 2, 6),
    roundTo(((b[1] as number) + (b[3] as number)) / 2, 6),
  ];
  const bbox = { dongcheng: box(m.src.dongcheng), pingxiang: box(m.src.pingxiang) };
  const units = tally(m.units as unknown as Props[], 'kind');
  return {
    version: 1,
    counts: {
      dongcheng: levels('dongcheng'),
      pingxiang: levels('pingxiang'),
      segments: m.segments.length,
      posts: tally(
        m.posts.map((p) => p.properties),
        'type',
      ),
      postsByRegion: Object.fromEntries(
        ['dongcheng', 'pingxiang'].map((r) => [
          r,
          tally(
            m.posts.map((p) => p.properties),
            'type',
            (p) => p['region'] === r,
          ),
        ]),
      ),
      jointDefenseGroups: new Set(m.posts.map((p) => p.properties['groupId']).filter((g) => g !== null)).size,
      sectors: tally(
        m.sectors.map((s) => s.properties),
        'region',
      ),
      units: { ...units, total: m.units.length },
      basemapCountries: m.basemap.length,
    },
    borderLengthMeters: m.lengthMeters,
    friendshipPass: m.friendshipPass,
    bbox,
    center: { dongcheng: centre(bbox.dongcheng), pingxiang: centre(bbox.pingxiang) },
  };
}
