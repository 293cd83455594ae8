// Pure parser for the OsmAnd / Traccar Client HTTP protocol (PROTOCOLS.md c.1, all three variants) into fixes.
import {
  checkDeviceId,
  checkRanges,
  fail,
  isRecord,
  OsmAndInputError,
  setAttribute,
  type AttributeValue,
  type OsmAndFix,
} from './osmand-parse-fields';
import { fixesFromLocation } from './osmand-parse-location';
import { parseOsmAndTimestamp, TimestampError } from './osmand-parse-time';

export type { AttributeValue, OsmAndFix } from './osmand-parse-fields';

export type OsmAndVariant = 'query' | 'form' | 'json-batch' | 'json-flat' | 'json-location';

export interface OsmAndRequest {
  /** The raw query string without '?', '' when none. */
  query: string;
  contentType: string | null;
  body: string;
}

export type OsmAndParseResult =
  | { ok: true; variant: OsmAndVariant; fixes: OsmAndFix[] }
  | { ok: false; error: { code: 'invalid'; message: string } };

export const KNOTS_TO_MPS = 1852 / 3600;

type Params = Map<string, string[]>;

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const KNOWN = new Set([
  'id',
  'deviceid',
  'timestamp',
  'lat',
  'lon',
  'location',
  'speed',
  'bearing',
  'heading',
  'accuracy',
  'alarm',
]);
const REPEATABLE = new Set(['cell', 'wifi']);

function first(params: Params, ...keys: string[]): string | null {
  for (const key of keys) {
    const value = params.get(key)?.[0]?.trim();
    if (value !== undefined && value !== '') return value;
  }
  return null;
}

function toNumber(raw: string, field: string): number {
  const value = Number(raw);
  if (!NUMBER.test(raw) || !Number.isFinite(value)) fail(`${field}: "${raw}" is not a number`);
  return value;
}

function optionalNumber(params: Params, ...keys: string[]): number | null {
  const raw = first(params, ...keys);
  return raw === null ? null : toNumber(raw, keys[0] ?? 'value');
}

function position(params: Params): { lat: number | null; lon: number | null } {
  const location = first(params, 'location');
  let lat = optionalNumber(params, 'lat');
  let lon = optionalNumber(params, 'lon');
  if (location !== null && (lat === null || lon === null)) {
    const [rawLat = '', rawLon = ''] = location.split(',').map((part) => part.trim());
    lat = toNumber(rawLat, 'location (lat)');
    lon = toNumber(rawLon, 'location (lon)');
  }
  // One coordinate alone is no position: treat the message as a heartbeat, as Traccar does.
  if (lat === null || lon === null) return { lat: null, lon: null };
  const valid = first(params, 'valid');
  if (valid === 'false' || valid === '0') return { lat: null, lon: null };
  return { lat, lon };
}

function attributeValue(raw: string): string | number | boolean {
  if (raw === 'true' || raw === 'false') return raw === 'true';
  return NUMBER.test(raw.trim()) && Number.isFinite(Number(raw)) ? Number(raw) : raw;
}

function attributesOf(params: Params): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  for (const [key, values] of params) {
    if (KNOWN.has(key) || values.length === 0) continue;
    setAttribute(out, key, REPEATABLE.has(key) ? values : attributeValue(values[0] ?? ''));
  }
  return out;
}

function timestampOf(params: Params, timeZone: string): number | null {
  const raw = first(params, 'timestamp');
  if (raw === null) return null;
  try {
    return parseOsmAndTimestamp(raw, timeZone);
  } catch (error) {
    if (error instanceof TimestampError) fail(`timestamp: ${error.message}`);
    throw error;
  }
}

/** Variant A / B keys (query string, form body, or one flat JSON object turned into params). */
export function fixFromParams(params: Params, timeZone: string): OsmAndFix {
  const deviceId = checkDeviceId(first(params, 'id', 'deviceid'), 'id');
  const knots = optionalNumber(params, 'speed');
  const fix: OsmAndFix = {
    deviceId,
    ...position(params),
    t: timestampOf(params, timeZone),
    speedMps: knots === null ? null : knots * KNOTS_TO_MPS,
    headingDeg: optionalNumber(params, 'bearing', 'heading'),
    accuracyMeters: optionalNumber(params, 'accuracy'),
    alarm: first(params, 'alarm')?.toLowerCase() ?? null,
    attributes: attributesOf(params),
  };
  checkRanges(fix);
  return fix;
}

export function paramsFromQuery(query: string): Params {
  const params: Params = new Map();
  for (const [key, value] of new URLSearchParams(query)) {
    const values = params.get(key);
    if (values) values.push(value);
    else params.set(key, [value]);
  }
  return params;
}

function paramsFromObject(object: Record<string, unknown>): Params {
  const params: Params = new Map();
  for (const [key, value] of Object.entries(object)) {
    if (value === null || value === undefined) continue;
    const list = Array.isArray(value) ? (value as unknown[]) : [value];
    const strings = list.map((item) => {
      if (typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean')
        return String(item);
      return fail(`${key}: must be a number, string or boolean`);
    });
    params.set(key, strings);
  }
  return params;
}

function jsonBatch(items: unknown[], timeZone: string): OsmAndFix[] {
  return items.map((item, i) => {
    if (!isRecord(item)) return fail(`[${i}]: must be an object`);
    try {
      return fixFromParams(paramsFromObject(item), timeZone);
    } catch (error) {
      if (error instanceof OsmAndInputError) fail(`[${i}].${error.message}`);
      throw error;
    }
  });
}

function parseJson(body: string, timeZone: string): { variant: OsmAndVariant; fixes: OsmAndFix[] } {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    fail('body: not valid JSON');
  }
  if (Array.isArray(json)) return { variant: 'json-batch', fixes: jsonBatch(json, timeZone) };
  if (!isRecord(json)) fail('body: must be a JSON object or an array of objects');
  if ('location' in json && typeof json.location === 'object')
    return { variant: 'json-location', fixes: fixesFromLocation(json, timeZone) };
  return { variant: 'json-flat', fixes: [fixFromParams(paramsFromObject(json), timeZone)] };
}

/**
 * Parses one OsmAnd request: the query string when the URL has one, else the body (JSON when it starts with
 * '{' or '[' or is declared application/json, otherwise form-encoded). `timeZone` reads wall-clock timestamps.
 */
export function parseOsmAndRequest(request: OsmAndRequest, options: { timeZone: string }): OsmAndParseResult {
  try {
    if (request.query !== '')
      return {
        ok: true,
        variant: 'query',
        fixes: [fixFromParams(paramsFromQuery(request.query), options.timeZone)],
      };
    const body = request.body.trim();
    const json = /^[{[]/.test(body) || /\bjson\b/i.test(request.contentType ?? '');
    if (json) return { ok: true, ...parseJson(body, options.timeZone) };
    if (body === '') fail('id: required (no query string and no body)');
    return { ok: true, variant: 'form', fixes: [fixFromParams(paramsFromQuery(body), options.timeZone)] };
  } catch (error) {
    if (error instanceof OsmAndInputError)
      return { ok: false, error: { code: 'invalid', message: error.message } };
    throw error;
  }
}
