// The id rule of every layer: `feature.id`, else `properties.id`, as a string.
import type { Feature } from 'geojson';

/**
 * The id of a feature: `feature.id` if set, else `properties.id`; numbers become strings; null when
 * neither is a non-empty string or a finite number.
 *
 * @example
 * featureId({ type: 'Feature', properties: { id: 'g-1' }, geometry: null }); // 'g-1'
 */
export function featureId(feature: Feature): string | null {
  const own = feature.id;
  const fromProperties: unknown = feature.properties?.['id'];
  for (const candidate of [own, fromProperties]) {
    if (typeof candidate === 'string' && candidate !== '') return candidate;
    if (typeof candidate === 'number' && Number.isFinite(candidate)) return String(candidate);
  }
  return null;
}
