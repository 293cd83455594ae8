// Reads the scenario's inputs: the two district outlines and the Natural Earth China–Vietnam boundary
// (copied into data/source/ with their provenance) and world-atlas countries-10m from node_modules.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Feature, FeatureCollection, MultiLineString, Polygon, Position } from 'geojson';
import type { Topology } from 'topojson-specification';
import { cleanRing } from './geometry';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface Sources {
  dongcheng: Polygon;
  pingxiang: Polygon;
  /** Natural Earth China–Vietnam boundary, as line strings. */
  borderNe: Position[][];
  countries: Topology;
  versions: Record<string, string>;
}

function readJson<T>(relative: string): T {
  return JSON.parse(fs.readFileSync(`${REPO_ROOT}${relative}`, 'utf8')) as T;
}

function outline(fc: FeatureCollection<Polygon>, name: string): Polygon {
  const f = fc.features.find((x) => x.properties?.['name'] === name);
  if (!f || f.geometry.type !== 'Polygon')
    throw new Error(`data/source/districts.geojson: no polygon named ${name}`);
  const ring = f.geometry.coordinates[0];
  if (!ring) throw new Error(`${name}: empty outline`);
  // the outlines are snapped to 1/1024°: drop the repeated vertices and zero-width spikes that leaves
  return { type: 'Polygon', coordinates: [cleanRing(ring)] };
}

export function readSources(): Sources {
  const districts = readJson<FeatureCollection<Polygon>>('data/source/districts.geojson');
  const border = readJson<Feature<MultiLineString>>('data/source/cn-vn-border-10m.geojson');
  const version = (pkg: string): string =>
    readJson<{ version: string }>(`node_modules/${pkg}/package.json`).version;
  return {
    dongcheng: outline(districts, '东城区'),
    pingxiang: outline(districts, '凭祥市'),
    borderNe: border.geometry.coordinates,
    countries: readJson<Topology>('node_modules/world-atlas/countries-10m.json'),
    versions: {
      'world-atlas': version('world-atlas'),
      'topojson-client': version('topojson-client'),
      '@turf/turf': version('@turf/turf'),
    },
  };
}
