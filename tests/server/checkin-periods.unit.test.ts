// Check-in periods in local wall time, and the DEADLINES_JSON keys for check-ins and alert escalation.
import { describe, expect, it } from 'vitest';
import { describePeriod, lastEndedPeriod } from '../../server/domain/checkin-periods';
import { DeadlinesError, parseDeadlines, type CheckinSchedule } from '../../server/domain/deadlines';
import { createPostDirectory } from '../../server/domain/posts';

const HOUR = 3_600_000;
const at = (iso: string): number => Date.parse(iso);
const twiceByDay: CheckinSchedule = { everyMs: 6 * HOUR, fromMinute: 8 * 60, toMinute: 20 * 60 };

describe('lastEndedPeriod', () => {
  it.each([
    ['2026-11-29T07:59:59+08:00', '2026-11-28T14:00:00+08:00', '2026-11-28T20:00:00+08:00'],
    ['2026-11-29T13:59:59+08:00', '2026-11-28T14:00:00+08:00', '2026-11-28T20:00:00+08:00'],
    ['2026-11-29T14:00:00+08:00', '2026-11-29T08:00:00+08:00', '2026-11-29T14:00:00+08:00'],
    ['2026-11-29T19:00:00+08:00', '2026-11-29T08:00:00+08:00', '2026-11-29T14:00:00+08:00'],
    ['2026-11-29T20:00:00+08:00', '2026-11-29T14:00:00+08:00', '2026-11-29T20:00:00+08:00'],
    ['2026-11-29T23:30:00+08:00', '2026-11-29T14:00:00+08:00', '2026-11-29T20:00:00+08:00'],
  ])('at %s (Asia/Shanghai) is %s – %s', (now, start, end) => {
    expect(lastEndedPeriod(twiceByDay, at(now), 'Asia/Shanghai')).toEqual({ start: at(start), end: at(end) });
  });

  it('cuts the last period of the day short at `to`, and runs around the clock from 00:00 to 24:00', () => {
    const uneven = { everyMs: 5 * HOUR, fromMinute: 8 * 60, toMinute: 20 * 60 }; // 08–13, 13–18, 18–20
    expect(lastEndedPeriod(uneven, at('2026-11-29T21:00:00+08:00'), 'Asia/Shanghai')).toEqual({
      start: at('2026-11-29T18:00:00+08:00'),
      end: at('2026-11-29T20:00:00+08:00'),
    });
    const allDay = { everyMs: 8 * HOUR, fromMinute: 0, toMinute: 24 * 60 };
    const period = lastEndedPeriod(allDay, at('2026-11-29T01:00:00+08:00'), 'Asia/Shanghai');
    expect(period).toEqual({ start: at('2026-11-28T16:00:00+08:00'), end: at('2026-11-29T00:00:00+08:00') });
    expect(period && describePeriod(period, 'Asia/Shanghai')).toBe('16:00–24:00');
  });

  it('follows the wall clock across a DST change (Europe/Berlin, 2026-03-29)', () => {
    const period = lastEndedPeriod(twiceByDay, at('2026-03-29T15:00:00+02:00'), 'Europe/Berlin');
    expect(period).toEqual({ start: at('2026-03-29T08:00:00+02:00'), end: at('2026-03-29T14:00:00+02:00') });
    const before = lastEndedPeriod(twiceByDay, at('2026-03-29T07:00:00+02:00'), 'Europe/Berlin');
    expect(before).toEqual({ start: at('2026-03-28T14:00:00+01:00'), end: at('2026-03-28T20:00:00+01:00') });
  });
});

describe('DEADLINES_JSON: checkins and alertEscalation', () => {
  it('defaults to twice by day and 10 min / 1 h escalation up to level 3', () => {
    const d = parseDeadlines(undefined);
    expect(d.checkins ?? { everyMs: 6 * HOUR, fromMinute: 480, toMinute: 1200 }).toEqual(twiceByDay);
    const parsed = parseDeadlines('{}');
    expect(parsed.checkins).toEqual(twiceByDay);
    expect(parsed.alertEscalation).toEqual({
      afterMs: { critical: 600_000, warning: HOUR, info: null },
      maxLevel: 3,
    });
  });

  it('takes a schedule and per-severity times, null meaning never', () => {
    const d = parseDeadlines(
      '{"checkins":{"every":"4h","from":"06:00","to":"22:00"},"alertEscalation":{"critical":"5m","warning":null,"maxLevel":1}}',
    );
    expect(d.checkins).toEqual({ everyMs: 4 * HOUR, fromMinute: 360, toMinute: 1320 });
    expect(d.alertEscalation).toEqual({
      afterMs: { critical: 300_000, warning: null, info: null },
      maxLevel: 1,
    });
  });

  it.each([
    ['{"checkins":{"every":"4h","from":"22:00","to":"06:00"}}', 'checkins.to'],
    ['{"checkins":{"every":"4x"}}', 'checkins.every'],
    ['{"checkins":{"every":"4h","from":"8:00"}}', 'checkins.from'],
    ['{"alertEscalation":{"critical":"soon"}}', 'alertEscalation.critical'],
    ['{"alertEscalation":{"maxLevel":99}}', 'alertEscalation.maxLevel'],
    ['{"alertEscalation":{"loud":"1m"}}', 'alertEscalation'],
  ])('refuses %s naming %s', (raw, where) => {
    expect(() => parseDeadlines(raw)).toThrow(DeadlinesError);
    expect(() => parseDeadlines(raw)).toThrow(where);
  });
});

describe('the posts layer', () => {
  it('expects households on the default schedule, facilities only with their own, never with false', () => {
    const point = (id: string, properties: object) => ({
      type: 'Feature' as const,
      id,
      properties: { id, ...properties },
      geometry: { type: 'Point' as const, coordinates: [106.7, 22.0] },
    });
    const posts = createPostDirectory({
      type: 'FeatureCollection',
      features: [
        point('h1', { type: 'household', groupId: 'g' }),
        point('h2', { type: 'household', groupId: 'g', checkinSchedule: false }),
        point('h3', { type: 'household', checkinSchedule: { every: 'bad' } }),
        point('c1', { type: 'checkpoint' }),
        point('c2', { type: 'checkpoint', checkinSchedule: { every: '12h', from: '00:00', to: '24:00' } }),
      ],
    });
    expect(posts.posts().map((p) => [p.id, p.schedule])).toEqual([
      ['h1', twiceByDay],
      ['h2', null],
      ['h3', twiceByDay],
      ['c1', null],
      ['c2', { everyMs: 12 * HOUR, fromMinute: 0, toMinute: 1440 }],
    ]);
    const h1 = posts.post('h1');
    expect(h1 && posts.groupMates(h1).map((p) => p.id)).toEqual(['h2']);
  });
});
