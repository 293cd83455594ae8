// Normalises ring winding per RFC 7946 §3.1.6: exterior rings counterclockwise, holes clockwise.
import { rewind } from '@turf/turf';
import type { FeatureCollection, Geometry } from 'geojson';

/**
 * A copy of the collection with every polygon's rings wound as RFC 7946 asks; other geometry unchanged.
 * @example
 * rewindLayer(grids).features[0].geometry; // outer ring counterclockwise
 */
export function rewindLayer<G extends Geometry>(collection: FeatureCollection<G>): FeatureCollection<G> {
  return {
    ...collection,
    features: collection.features.map((feature) =>
      feature.geometry.type === 'Polygon' || feature.geometry.type === 'MultiPolygon'
        ? { ...feature, geometry: rewind(feature.geometry, { mutate: false }) as G }
        : feature,
    ),
  };
}
