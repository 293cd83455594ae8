// Local clock arithmetic for the demo's daily rhythm (TZ, default Asia/Shanghai): the hour of day and the
// local midnight of a time. The offset is taken once per call, which is exact for zones without DST.
import { zoneFormat } from '../domain/zone-format';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** How far the zone's wall clock is ahead of UTC at time t, in ms. */
export function zoneOffsetMs(timeZone: string, t: number): number {
  const parts = zoneFormat(timeZone).formatToParts(t);
  const part = (type: Intl.DateTimeFormatPartTypes): number =>
    Number(parts.find((p) => p.type === type)?.value ?? 0);
  const wall = Date.UTC(
    part('year'),
    part('month') - 1,
    part('day'),
    part('hour'),
    part('minute'),
    part('second'),
  );
  return wall - Math.floor(t / 1000) * 1000;
}

export function localHour(t: number, offsetMs: number): number {
  return Math.floor(((((t + offsetMs) % DAY) + DAY) % DAY) / HOUR);
}

/** The local midnight at or before t. */
export function localMidnight(t: number, offsetMs: number): number {
  return t - ((((t + offsetMs) % DAY) + DAY) % DAY);
}
