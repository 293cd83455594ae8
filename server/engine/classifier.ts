// Builds the engine's classify(lon, lat) from the store's layers (grids, sectors, segments, border line).
import type { FeatureCollection, LineString, MultiLineString, MultiPolygon, Polygon } from 'geojson';
import { createClassifier } from '../../geo';
import type { Store } from '../store/store';
import type { Classify } from './live-state';

const EMPTY = { type: 'FeatureCollection', features: [] } as const;

export async function loadClassifier(store: Store, borderZoneMeters: number): Promise<Classify> {
  const layer = async (kind: 'grids' | 'sectors' | 'segments' | 'border'): Promise<FeatureCollection> =>
    (await store.layers.get(kind))?.collection ?? { ...EMPTY, features: [] };
  const border = (await layer('border')) as FeatureCollection<LineString | MultiLineString>;
  const classifier = createClassifier({
    grids: (await layer('grids')) as FeatureCollection<Polygon | MultiPolygon>,
    sectors: (await layer('sectors')) as FeatureCollection<Polygon | MultiPolygon>,
    segments: (await layer('segments')) as FeatureCollection<LineString | MultiLineString>,
    borderLine: border.features.length > 0 ? border : null,
    borderZoneMeters,
    // Far from the border the distance is of no use to the engine; skip the nearest-line search there.
    maxBorderDistanceMeters: Math.max(borderZoneMeters * 4, 5_000),
  });
  return (lon, lat) => classifier.classify(lon, lat);
}
