// Reads the committed scenario files for the data tests.
import fs from 'node:fs';
import type { Manifest } from '../../scripts/scenario/manifest';
import type { Feature, FeatureCollection, Geometry, LineString, MultiPolygon, Point, Polygon } from 'geojson';

export const DATA_DIR = new URL('../../data/', import.meta.url);

export type Props = Record<string, unknown> & { id: string };
/** Scenario features always carry a string id (checked by the tests). */
export type Feat<G extends Geometry> = Feature<G, Props> & { id: string };
export type AreaFeature = Feat<Polygon | MultiPolygon>;

export function readText(name: string): string {
  return fs.readFileSync(new URL(name, DATA_DIR), 'utf8');
}

export function readCollection<G extends Geometry>(name: string): Feat<G>[] {
  const fc = JSON.parse(readText(name)) as FeatureCollection<G, Props> & { features: Feat<G>[] };
  if (fc.type !== 'FeatureCollection') throw new Error(`${name} is not a FeatureCollection`);
  return fc.features;
}

export interface Unit {
  id: string;
  kind: string;
  callsign: string;
  name: string;
  deviceId: string;
  region: string;
  segmentId: string | null;
  gridId: string | null;
  role: string;
}

export function loadScenario() {
  return {
    areas: readCollection<Polygon | MultiPolygon>('areas.geojson'),
    grids: readCollection<Polygon | MultiPolygon>('grids.geojson'),
    border: readCollection<LineString>('border.geojson'),
    segments: readCollection<LineString>('segments.geojson'),
    sectors: readCollection<Polygon | MultiPolygon>('sectors.geojson'),
    posts: readCollection<Point>('posts.geojson'),
    basemap: readCollection<Polygon | MultiPolygon>('basemap.geojson'),
    units: (JSON.parse(readText('units.json')) as { units: Unit[] }).units,
    manifest: JSON.parse(readText('manifest.json')) as Manifest,
  };
}
