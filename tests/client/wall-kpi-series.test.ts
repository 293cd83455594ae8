// KPI sparklines: the cumulative hourly windows of today and yesterday, what each tile plots, samples of
// "now"-only figures bucketed by hour, and the SVG path with gaps.
import { describe, expect, it } from 'vitest';
import {
  HOUR_MS,
  addSample,
  cumulativeWindows,
  curveValue,
  hourlySamples,
  startOfDay,
  type KpiReport,
} from '../../client/lib/state/kpi-series';
import { sparkPath, yRange } from '../../client/lib/ui/sparkline';

const at = (h: number, m = 0): number => new Date(2026, 2, 5, h, m).getTime();

describe('cumulative windows', () => {
  it('has one window per whole hour passed today, then one up to now, and 24 for yesterday', () => {
    const now = at(14, 30);
    const { today, yesterday } = cumulativeWindows(now);
    expect(today).toHaveLength(15);
    expect(today.every((w) => w.from === at(0))).toBe(true);
    expect(today.slice(0, 14).map((w) => w.to)).toEqual(Array.from({ length: 14 }, (_, i) => at(i + 1)));
    expect(today[14]).toEqual({ x: 14.5, from: at(0), to: now });
    expect(yesterday).toHaveLength(24);
    expect(yesterday[0]!.from).toBe(new Date(2026, 2, 4).getTime());
    expect(yesterday[23]!.to).toBe(at(0));
    expect(yesterday.map((w) => w.x)).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));
  });

  it('on the hour has no empty window and ends at now', () => {
    const { today } = cumulativeWindows(at(3));
    expect(today.map((w) => w.x)).toEqual([1, 2, 3]);
    expect(today.every((w) => w.to > w.from)).toBe(true);
  });

  it('starts the day at local midnight', () => {
    expect(startOfDay(at(23, 59))).toBe(at(0));
    expect(startOfDay(at(0))).toBe(at(0));
  });
});

describe('tile curves', () => {
  const report: KpiReport = {
    from: 0,
    to: 1,
    incidents: { total: 7 },
    closure: { closed: 2, p50Ms: 3 * HOUR_MS, p90Ms: 5 * HOUR_MS },
    deadlineCompliance: { incidents: 7, onTime: 6, rate: 6 / 7 },
    mediation: { mediated: 0, settled: 0, rate: null },
    reportCompliance: { expected: 10, met: 9, rate: 0.9 },
    segmentCoverage: 0.42,
    jointPatrolsActive: 3,
  };

  it('plots the figure each tile shows', () => {
    expect(curveValue('open', report)).toBe(7);
    expect(curveValue('closure', report)).toBe(3);
    expect(curveValue('deadline', report)).toBeCloseTo(6 / 7);
    expect(curveValue('mediation', report)).toBeNull();
    expect(curveValue('reports', report)).toBe(0.9);
    expect(curveValue('coverage', report)).toBe(0.42);
    expect(curveValue('joint', report)).toBe(3);
  });
});

describe('samples of now-only figures', () => {
  it('keeps one sample a minute (the newest) and drops those older than the window', () => {
    let samples = addSample([], { t: at(1, 0), value: 1 });
    samples = addSample(samples, { t: at(1, 0) + 30_000, value: 2 });
    expect(samples).toEqual([{ t: at(1, 0) + 30_000, value: 2 }]);
    samples = addSample(samples, { t: at(2, 0), value: 3 }, 30 * 60_000);
    expect(samples).toEqual([{ t: at(2, 0), value: 3 }]);
  });

  it('buckets the last sample of each hour, null for hours without, up to now', () => {
    const samples = [
      { t: at(0, 10), value: 5 },
      { t: at(0, 50), value: 6 },
      { t: at(2, 5), value: 8 },
    ];
    const curve = hourlySamples(samples, at(0), at(2, 30));
    expect(curve).toEqual([
      { x: 1, y: 6 },
      { x: 2, y: null },
      { x: 2.5, y: 8 },
    ]);
  });
});

describe('sparkline path', () => {
  const box = { width: 100, height: 20, pad: 0 };

  it('shares a scale from 0 to the largest value of both days', () => {
    expect(
      yRange(
        [{ x: 1, y: 4 }],
        [
          { x: 1, y: 8 },
          { x: 2, y: null },
        ],
      ),
    ).toEqual([0, 8]);
    expect(yRange([], [])).toEqual([0, 1]);
  });

  it('draws x by hour of day and lifts the pen over gaps', () => {
    const path = sparkPath(
      [
        { x: 0, y: 0 },
        { x: 12, y: 10 },
        { x: 13, y: null },
        { x: 24, y: 5 },
      ],
      [0, 10],
      box,
    );
    expect(path).toBe('M0.0 20.0L50.0 0.0M100.0 10.0');
    expect(sparkPath([{ x: 3, y: null }], [0, 1], box)).toBe('');
  });
});
