// Stable text output: one feature (or unit) per line, coordinates rounded to 6 decimals (~0.1 m), key order
// fixed by construction, a trailing newline. The same input always gives the same bytes.
import type { Feature } from 'geojson';
import { roundGeometry } from './geometry';

export const COORD_DIGITS = 6;

export function featureCollectionText(features: readonly Feature[]): string {
  const lines = features.map((f) => {
    if (typeof f.id !== 'string' || f.id !== f.properties?.['id'])
      throw new Error(`feature id mismatch: ${String(f.id)}`);
    return JSON.stringify({
      type: 'Feature',
      id: f.id,
      properties: f.properties,
      geometry: roundGeometry(f.geometry, COORD_DIGITS),
    });
  });
  return `{"type":"FeatureCollection","features":[\n${lines.join(',\n')}\n]}\n`;
}

export function listText(key: string, items: readonly unknown[]): string {
  return `{"${key}":[\n${items.map((x) => JSON.stringify(x)).join(',\n')}\n]}\n`;
}

export function jsonText(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
