// Check-in periods: the slots of a post's schedule in local wall time, and the latest slot that has ended.
import { zoneFormat } from './zone-format';
import type { CheckinSchedule } from './deadlines';

const MINUTE = 60_000;
const DAY = 86_400_000;

/** One check-in slot, epoch ms: a check-in at start ≤ t < end counts for it. */
export interface CheckinPeriod {
  start: number;
  end: number;
}

/** How far the zone's wall clock is ahead of UTC at instant t (Asia/Shanghai: 8 h). */
function offsetMs(t: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const part of zoneFormat(timeZone).formatToParts(new Date(t))) parts[part.type] = Number(part.value);
  const wall = Date.UTC(
    parts.year ?? 1970,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
    parts.second ?? 0,
  );
  return wall - (t - (((t % 1000) + 1000) % 1000));
}

/** The instant of a wall-clock time given as ms since the epoch "as if UTC" (two passes settle DST edges). */
function toInstant(wall: number, timeZone: string): number {
  const guess = wall - offsetMs(wall, timeZone);
  return wall - offsetMs(guess, timeZone);
}

/** The slot of the schedule that ended last at or before `now`, or null for a schedule with no slot. */
export function lastEndedPeriod(
  schedule: CheckinSchedule,
  now: number,
  timeZone: string,
): CheckinPeriod | null {
  const every = schedule.everyMs;
  const span = (schedule.toMinute - schedule.fromMinute) * MINUTE;
  if (!(every > 0) || !(span > 0)) return null;
  const wallNow = now + offsetMs(now, timeZone);
  const midnight = Math.floor(wallNow / DAY) * DAY;
  const slots = Math.ceil(span / every);
  const slot = (day: number, k: number): CheckinPeriod => {
    const from = day + schedule.fromMinute * MINUTE;
    const start = from + k * every;
    const end = Math.min(start + every, from + span);
    return { start: toInstant(start, timeZone), end: toInstant(end, timeZone) };
  };
  const elapsed = wallNow - (midnight + schedule.fromMinute * MINUTE);
  // Today's window: the slots that have ended, else the last slot of yesterday.
  if (elapsed >= span) return slot(midnight, slots - 1);
  if (elapsed >= every) return slot(midnight, Math.floor(elapsed / every) - 1);
  return slot(midnight - DAY, slots - 1);
}

/** "08:00–14:00" in the zone's wall time, for alert messages. */
export function describePeriod(period: CheckinPeriod, timeZone: string): string {
  const hhmm = (t: number): string => {
    const wall = t + offsetMs(t, timeZone);
    const minutes = Math.floor((((wall % DAY) + DAY) % DAY) / MINUTE);
    return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
  };
  const end = hhmm(period.end);
  return `${hhmm(period.start)}–${end === '00:00' ? '24:00' : end}`;
}
