// The demo's check-in periods: the schedule's periods overlapping a window, in Asia/Shanghai wall time, for the
// default schedule, a short one round the clock and windows that cut periods; the same as the closed loop's.
import { describe, expect, it } from 'vitest';
import { periodsOverlapping } from '../../server/demo/checkins';
import { lastEndedPeriod } from '../../server/domain/checkin-periods';
import { DEFAULT_CHECKINS } from '../../server/domain/deadlines';

const ZONE = 'Asia/Shanghai';
const HOUR = 3_600_000;
const at = (utc: string): number => Date.parse(utc);

describe('periodsOverlapping', () => {
  it('gives the default schedule’s 08–14 and 14–20 local periods that overlap a window, oldest first', () => {
    // 2026-11-26 12:00 to 2026-11-28 12:00 local.
    const periods = periodsOverlapping(
      DEFAULT_CHECKINS,
      at('2026-11-26T04:00:00Z'),
      at('2026-11-28T04:00:00Z'),
      ZONE,
    );
    expect(periods.map((p) => [new Date(p.start).toISOString(), (p.end - p.start) / HOUR])).toEqual([
      ['2026-11-26T00:00:00.000Z', 6],
      ['2026-11-26T06:00:00.000Z', 6],
      ['2026-11-27T00:00:00.000Z', 6],
      ['2026-11-27T06:00:00.000Z', 6],
      ['2026-11-28T00:00:00.000Z', 6],
    ]);
  });

  it('gives nothing for a window at night, and the one period a window inside it touches', () => {
    expect(
      periodsOverlapping(DEFAULT_CHECKINS, at('2026-11-27T13:00:00Z'), at('2026-11-27T22:00:00Z'), ZONE),
    ).toEqual([]);
    expect(
      periodsOverlapping(DEFAULT_CHECKINS, at('2026-11-27T07:00:00Z'), at('2026-11-27T07:10:00Z'), ZONE),
    ).toEqual([{ start: at('2026-11-27T06:00:00Z'), end: at('2026-11-27T12:00:00Z') }]);
  });

  it('walks a short schedule round the clock, each period the one the closed loop judges at its end', () => {
    const schedule = { everyMs: 10_000, fromMinute: 0, toMinute: 24 * 60 };
    const from = at('2026-11-27T15:59:35Z'); // across local midnight
    const periods = periodsOverlapping(schedule, from, from + 60_000, ZONE);
    expect(periods).toHaveLength(7);
    expect(periods[0]).toEqual({ start: at('2026-11-27T15:59:30Z'), end: at('2026-11-27T15:59:40Z') });
    for (const period of periods) expect(lastEndedPeriod(schedule, period.end, ZONE)).toEqual(period);
  });
});
