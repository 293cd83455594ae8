// A layer as CSV: one row per feature, its scalar properties as columns and the geometry as WKT.
import type { FeatureCollection } from 'geojson';
import { toWkt } from '../../geo';

function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  // RFC 4180 quoting; a leading = + - @ is prefixed so spreadsheets do not run it as a formula.
  const safe = /^[=+\-@]/.test(text) && !/^-?\d/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function toCsv(collection: FeatureCollection): string {
  const columns: string[] = [];
  for (const feature of collection.features) {
    for (const key of Object.keys(feature.properties ?? {})) if (!columns.includes(key)) columns.push(key);
  }
  const keys = columns.filter((key) => key !== 'id');
  const header = ['id', ...keys, 'wkt'];
  const rows = collection.features.map((feature) =>
    [
      cell(feature.id ?? feature.properties?.id),
      ...keys.map((key) => cell(feature.properties?.[key])),
      cell(toWkt(feature.geometry)),
    ].join(','),
  );
  return [header.join(','), ...rows].join('\r\n') + '\r\n';
}
