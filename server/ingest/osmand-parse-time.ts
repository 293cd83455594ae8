// Timestamps as OsmAnd / Traccar Client devices send them: epoch seconds or ms, ISO 8601, or local wall time.
import { zoneFormat } from '../domain/zone-format';
const TWO_POW_31 = 2 ** 31;

const EPOCH = /^\d+(\.\d+)?$/;
const WALL = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?$/;
// An unencoded '+' in a query string arrives as a space, so ' 08:00' is read as '+08:00'.
const ISO =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|z|[+\- ]\d{2}(?::?\d{2})?)?$/;

export class TimestampError extends Error {}

interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  ms: number;
}

/** True when Intl knows the IANA zone name (e.g. 'Asia/Shanghai'). */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    zoneFormat(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The zone's offset from UTC at instant t, in ms (Asia/Shanghai → 8 h). */
function zoneOffsetMs(t: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const part of zoneFormat(timeZone).formatToParts(new Date(t))) parts[part.type] = Number(part.value);
  const asUtc = Date.UTC(
    parts.year ?? 1970,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
    parts.second ?? 0,
  );
  return asUtc - (t - (((t % 1000) + 1000) % 1000));
}

function utcOf(wall: WallTime): number {
  const t = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second, wall.ms);
  const back = new Date(t);
  const valid =
    back.getUTCFullYear() === wall.year &&
    back.getUTCMonth() === wall.month - 1 &&
    back.getUTCDate() === wall.day &&
    back.getUTCHours() === wall.hour &&
    back.getUTCMinutes() === wall.minute &&
    back.getUTCSeconds() === wall.second;
  if (!valid) throw new TimestampError('not a calendar date and time');
  return t;
}

/** The instant when the wall clock in `timeZone` shows `wall` (the later offset wins across a DST change). */
function zonedToEpoch(wall: WallTime, timeZone: string): number {
  const asUtc = utcOf(wall);
  const first = asUtc - zoneOffsetMs(asUtc, timeZone);
  const second = asUtc - zoneOffsetMs(first, timeZone);
  return second;
}

function wallOf(match: RegExpExecArray): WallTime {
  const n = (i: number): number => Number(match[i] ?? '0');
  const fraction = match[7] ?? '';
  return {
    year: n(1),
    month: n(2),
    day: n(3),
    hour: n(4),
    minute: n(5),
    second: n(6),
    ms: fraction ? Math.floor(Number(`0${fraction}`) * 1000) : 0,
  };
}

function offsetMs(zone: string): number {
  if (zone === 'Z' || zone === 'z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2) || '0');
  if (hours > 18 || minutes > 59) throw new TimestampError(`bad UTC offset "${zone}"`);
  return sign * (hours * 60 + minutes) * 60_000;
}

/** ISO 8601 with an offset, or without one (then read as wall time in `timeZone`). */
export function parseIsoTime(raw: string, timeZone: string): number {
  const match = ISO.exec(raw.trim());
  if (!match) throw new TimestampError(`"${raw}" is not an ISO 8601 time`);
  const wall = wallOf(match);
  const zone = match[8];
  return zone === undefined ? zonedToEpoch(wall, timeZone) : utcOf(wall) - offsetMs(zone);
}

/**
 * Epoch ms from an OsmAnd `timestamp`: integer (or decimal) seconds, milliseconds when ≥ 2^31, ISO 8601 when
 * it contains 'T', else 'yyyy-MM-dd HH:mm:ss' wall time in `timeZone`. Throws TimestampError.
 * @example parseOsmAndTimestamp('2013-08-22 21:14:27', 'Asia/Shanghai') // 1377177267000
 */
export function parseOsmAndTimestamp(raw: string, timeZone: string): number {
  const value = raw.trim();
  if (EPOCH.test(value)) {
    const n = Number(value);
    return Math.round(n >= TWO_POW_31 ? n : n * 1000);
  }
  if (value.includes('T')) return parseIsoTime(value, timeZone);
  const wall = WALL.exec(value);
  if (!wall)
    throw new TimestampError(`"${raw}" is not seconds, milliseconds, ISO 8601 or yyyy-MM-dd HH:mm:ss`);
  return zonedToEpoch(wallOf(wall), timeZone);
}
