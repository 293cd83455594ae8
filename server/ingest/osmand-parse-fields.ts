// The normalised OsmAnd fix and the field checks every variant of the parser shares.
import { ID_PATTERN } from '../contract';

export type AttributeValue = string | number | boolean | string[];

/** One normalised fix. lon/lat null: a heartbeat without a position; t null: no timestamp (use server time). */
export interface OsmAndFix {
  deviceId: string;
  lon: number | null;
  lat: number | null;
  t: number | null;
  speedMps: number | null;
  headingDeg: number | null;
  accuracyMeters: number | null;
  /** Lower-cased `alarm` value, e.g. 'sos'. */
  alarm: string | null;
  /** Every other key: altitude, batt, charge, hdop, cell, wifi, extras… */
  attributes: Record<string, AttributeValue>;
}

/** A field-naming 400 message; thrown inside the parser, returned as an error result at its edge. */
export class OsmAndInputError extends Error {}

export function fail(message: string): never {
  throw new OsmAndInputError(message);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export interface FieldNames {
  lat: string;
  lon: string;
  accuracy: string;
  speed: string;
  heading: string;
}
const QUERY_NAMES: FieldNames = {
  lat: 'lat',
  lon: 'lon',
  accuracy: 'accuracy',
  speed: 'speed',
  heading: 'bearing',
};

/** Range checks shared by every variant; a message names the field as the device sent it. */
export function checkRanges(fix: OsmAndFix, names: FieldNames = QUERY_NAMES): void {
  if (fix.lat !== null && (fix.lat < -90 || fix.lat > 90))
    fail(`${names.lat}: ${fix.lat} is outside [-90, 90]`);
  if (fix.lon !== null && (fix.lon < -180 || fix.lon > 180))
    fail(`${names.lon}: ${fix.lon} is outside [-180, 180]`);
  if (fix.accuracyMeters !== null && fix.accuracyMeters < 0)
    fail(`${names.accuracy}: ${fix.accuracyMeters} must not be negative`);
  if (fix.speedMps !== null && fix.speedMps < 0) fail(`${names.speed}: must not be negative`);
  if (fix.headingDeg !== null && (fix.headingDeg < 0 || fix.headingDeg > 360))
    fail(`${names.heading}: ${fix.headingDeg} is outside [0, 360]`);
}

export function checkDeviceId(raw: unknown, field: string): string {
  if (raw === undefined || raw === null || raw === '') fail(`${field}: required`);
  const id = typeof raw === 'number' ? String(raw) : raw;
  if (typeof id !== 'string' || !ID_PATTERN.test(id)) fail(`${field}: must match ${ID_PATTERN.source}`);
  return id;
}

const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Sets an attribute unless its key could touch the object's prototype. */
export function setAttribute(out: Record<string, AttributeValue>, key: string, value: AttributeValue): void {
  if (!UNSAFE_KEYS.has(key)) out[key] = value;
}
