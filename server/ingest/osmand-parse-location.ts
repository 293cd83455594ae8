// Variant C of the OsmAnd protocol: Traccar Client 9 JSON (the Transistorsoft background-geolocation format).
import {
  checkDeviceId,
  checkRanges,
  fail,
  isRecord,
  setAttribute,
  type AttributeValue,
  type OsmAndFix,
} from './osmand-parse-fields';
import { parseIsoTime, TimestampError } from './osmand-parse-time';

function num(value: unknown, field: string): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(`${field}: must be a number`);
  return value;
}

/** −1 (or any negative) means unknown in this format. */
function unknownIfNegative(value: number | null): number | null {
  return value !== null && value < 0 ? null : value;
}

function primitiveAttributes(source: unknown): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  if (!isRecord(source)) return out;
  for (const [key, value] of Object.entries(source)) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
      setAttribute(out, key, value);
  }
  return out;
}

function locationAttributes(location: Record<string, unknown>): Record<string, AttributeValue> {
  const coords = isRecord(location.coords) ? location.coords : {};
  const battery = isRecord(location.battery) ? location.battery : {};
  const activity = isRecord(location.activity) ? location.activity : {};
  const level = typeof battery.level === 'number' && battery.level >= 0 ? battery.level : null;
  const candidates: Record<string, unknown> = {
    altitude: coords.altitude,
    batt: level === null ? undefined : Math.round(level * 1000) / 10,
    charge: battery.is_charging,
    motion: location.is_moving,
    odometer: location.odometer,
    event: location.event,
    activity: activity.type,
    mock: location.mock,
  };
  return { ...primitiveAttributes(candidates), ...primitiveAttributes(location.extras) };
}

function timeOf(value: unknown, field: string, timeZone: string): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') fail(`${field}: must be an ISO 8601 string`);
  try {
    return parseIsoTime(value, timeZone);
  } catch (error) {
    if (error instanceof TimestampError) fail(`${field}: ${error.message}`);
    throw error;
  }
}

function fixFromLocation(deviceId: string, location: unknown, where: string, timeZone: string): OsmAndFix {
  if (!isRecord(location)) fail(`${where}: must be an object`);
  const coords = isRecord(location.coords) ? location.coords : fail(`${where}.coords: required`);
  const lat = num(coords.latitude, `${where}.coords.latitude`);
  const lon = num(coords.longitude, `${where}.coords.longitude`);
  const attributes = locationAttributes(location);
  const alarm = typeof attributes.alarm === 'string' ? attributes.alarm.toLowerCase() : null;
  const fix: OsmAndFix = {
    deviceId,
    lat: lat === null || lon === null ? null : lat,
    lon: lat === null || lon === null ? null : lon,
    t: timeOf(location.timestamp, `${where}.timestamp`, timeZone),
    speedMps: unknownIfNegative(num(coords.speed, `${where}.coords.speed`)),
    headingDeg: unknownIfNegative(num(coords.heading, `${where}.coords.heading`)),
    accuracyMeters: num(coords.accuracy, `${where}.coords.accuracy`),
    alarm,
    attributes,
  };
  const at = `${where}.coords.`;
  checkRanges(fix, {
    lat: `${at}latitude`,
    lon: `${at}longitude`,
    accuracy: `${at}accuracy`,
    speed: `${at}speed`,
    heading: `${at}heading`,
  });
  return fix;
}

/** `{location: {...} | [{...}], device_id}`; an array is the plugin's batch sync. */
export function fixesFromLocation(json: Record<string, unknown>, timeZone: string): OsmAndFix[] {
  const deviceId = checkDeviceId(json.device_id, 'device_id');
  const locations = Array.isArray(json.location) ? (json.location as unknown[]) : [json.location];
  return locations.map((location, i) =>
    fixFromLocation(
      deviceId,
      location,
      Array.isArray(json.location) ? `location[${i}]` : 'location',
      timeZone,
    ),
  );
}
