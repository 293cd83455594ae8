// Parsing of common query parameters: times as epoch ms or ISO 8601, bbox, limits; 400 naming the parameter.
import { ApiError } from './errors';

/** Epoch ms from "1732800000000" or "2026-11-28T10:00:00Z"; undefined when absent. */
export function parseTime(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  const value = /^\d+$/.test(raw) ? Number(raw) : Date.parse(raw);
  if (!Number.isFinite(value))
    throw new ApiError('invalid', `${name} must be epoch milliseconds or ISO 8601`);
  return value;
}

export function parseBbox(raw: string | undefined): [number, number, number, number] | undefined {
  if (raw === undefined || raw === '') return undefined;
  const parts = raw.split(',').map(Number);
  const [west, south, east, north] = parts;
  if (
    parts.length !== 4 ||
    parts.some((n) => !Number.isFinite(n)) ||
    west === undefined ||
    south === undefined ||
    east === undefined ||
    north === undefined ||
    west < -180 ||
    east > 180 ||
    south < -90 ||
    north > 90 ||
    west > east ||
    south > north
  ) {
    throw new ApiError('invalid', 'bbox must be west,south,east,north in degrees');
  }
  return [west, south, east, north];
}

export function parseLimit(raw: string | undefined, fallback: number, max: number): number {
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new ApiError('invalid', `limit must be an integer from 1 to ${max}`);
  }
  return value;
}

/**
 * Fastify's query-string parser for every route: one string per key. A repeated key joins its values with
 * commas, which is what list parameters mean (`status=a&status=b` ≡ `status=a,b`) and makes a repeated scalar
 * (`limit=1&limit=2`) a plain 400 instead of an array no handler expects. No prototype: `__proto__` is a key.
 */
export function parseQueryString(raw: string): Record<string, string> {
  const out = Object.create(null) as Record<string, string>;
  for (const [key, value] of new URLSearchParams(raw)) out[key] = key in out ? `${out[key]},${value}` : value;
  return out;
}
