// Normalises every way of passing lines (layer, feature, geometry) to a list of features with parts.
import type { GeoJsonProperties, Position } from 'geojson';
import type { LineInput } from './types';
import { featureId } from './feature-id';

/** A line feature reduced to what the engine needs. */
export interface LineFeature {
  id: string;
  /** The LineString's coordinates, or each part of a MultiLineString. */
  parts: Position[][];
  properties: GeoJsonProperties;
}

/**
 * Turns a FeatureCollection, a Feature or a bare LineString/MultiLineString into line features. Ids
 * follow the layer rule (`feature.id`, else `properties.id`), else the feature's index as a string.
 * Features with other or no geometry are kept with no parts, so that indices stay aligned.
 *
 * @example
 * toLineFeatures({ type: 'LineString', coordinates: [[106.7, 22.1], [106.8, 22.1]] })[0]?.id; // '0'
 */
export function toLineFeatures(input: LineInput): LineFeature[] {
  if (input.type === 'LineString' || input.type === 'MultiLineString') {
    const parts = input.type === 'LineString' ? [input.coordinates] : input.coordinates;
    return [{ id: '0', parts, properties: null }];
  }
  const features = input.type === 'FeatureCollection' ? input.features : [input];
  return features.map((feature, index) => {
    const geometry = feature.geometry as LineInput | null;
    let parts: Position[][] = [];
    if (geometry?.type === 'LineString') parts = [geometry.coordinates];
    else if (geometry?.type === 'MultiLineString') parts = geometry.coordinates;
    return { id: featureId(feature) ?? String(index), parts, properties: feature.properties };
  });
}
