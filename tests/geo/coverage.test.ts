// Segment coverage and coverage voids: golden scenarios, fractions, overdue, pruning and the interval map.
import type { FeatureCollection, LineString } from 'geojson';
import { describe, expect, it } from 'vitest';
import { createCoverageTracker, createVoidTracker, insertCoveredStretch } from '../../geo';
import type { SegmentCoverage, UnitKind } from '../../geo';
import { scenario, scenarios, toGolden } from './support/golden';

interface CoverageScenario {
  description: string;
  segments: FeatureCollection<LineString>;
  fixes: { unitId: string; lon: number; lat: number; t: number; kind: UnitKind }[];
  reports: number[];
}

function run(s: CoverageScenario) {
  const tracker = createCoverageTracker(s.segments);
  const covered = s.fixes.map((f) => ({
    unitId: f.unitId,
    t: f.t,
    covered: tracker.addFix(f.unitId, f.lon, f.lat, f.t, f.kind),
  }));
  return { covered, reports: s.reports.map((now) => ({ now, segments: tracker.report(now) })) };
}

const byId = (segments: SegmentCoverage[]): Record<string, SegmentCoverage> =>
  Object.fromEntries(segments.map((s) => [s.segmentId, s]));
const reportsOf = (name: string) =>
  run(scenario<CoverageScenario>('coverage', name).input).reports.map((r) => byId(r.segments));

describe('coverage golden scenarios', () => {
  for (const { name, input, outPath } of scenarios<CoverageScenario>('coverage')) {
    it(name, async () => {
      await expect(toGolden({ description: input.description, ...run(input) })).toMatchFileSnapshot(outPath);
    });
  }
});

describe('createCoverageTracker', () => {
  const H = 3_600_000;

  it('walk-along-segment: half of seg-01 covered; overdue after 12 h', () => {
    const [oneHour, thirteenHours] = reportsOf('walk-along-segment');
    expect(oneHour?.['seg-01']?.coveredFraction).toBeCloseTo(0.5, 3);
    expect(oneHour?.['seg-01']?.lengthMeters).toBeCloseTo(1000, 3);
    expect(oneHour?.['seg-01']).toMatchObject({ lastPatrolledAt: 300_000, overdue: false });
    expect(oneHour?.['seg-02']).toMatchObject({ coveredFraction: 0, lastPatrolledAt: null, overdue: true });
    expect(thirteenHours?.['seg-01']).toMatchObject({ overdue: true });
    expect(thirteenHours?.['seg-01']?.coveredFraction).toBeCloseTo(0.5, 3);
  });

  it('segment-end-vertex: a walk across the shared vertex covers both segments', () => {
    const [report] = reportsOf('segment-end-vertex');
    expect(report?.['seg-01']?.coveredMeters).toBeCloseTo(200, 1);
    expect(report?.['seg-02']?.coveredMeters).toBeCloseTo(300, 1);
    expect(report?.['seg-02']?.coveredFraction).toBeCloseTo(300 / 2000, 3);
  });

  it('outside-corridor: nothing covered from 80 m away, nor by a pair with only one fix inside', () => {
    const [report] = reportsOf('outside-corridor');
    expect(report?.['seg-01']).toMatchObject({ coveredFraction: 0, lastPatrolledAt: null });
  });

  it('window-prunes: only stretches covered in the last 24 h count', () => {
    const [at21h, at25h] = reportsOf('window-prunes');
    expect(at21h?.['seg-01']?.coveredFraction).toBeCloseTo(1, 3);
    expect(at25h?.['seg-01']?.coveredFraction).toBeCloseTo(0.5, 3);
    expect(at25h?.['seg-01']?.lastPatrolledAt).toBe(20 * H + 150_000);
  });

  it('required-kinds: only military fixes count on seg-03; a 20-minute gap covers nothing', () => {
    const [report] = reportsOf('required-kinds');
    expect(report?.['seg-03']?.coveredMeters).toBeCloseTo(400, 0); // 400 m east at 2 km north of the generator's reference latitude
    expect(report?.['seg-03']?.lastPatrolledAt).toBe(120_000);
  });

  it('ignores out-of-order fixes', () => {
    const s = scenario<CoverageScenario>('coverage', 'walk-along-segment').input;
    const tracker = createCoverageTracker(s.segments);
    const [a, b, c] = s.fixes as [
      CoverageScenario['fixes'][number],
      CoverageScenario['fixes'][number],
      CoverageScenario['fixes'][number],
    ];
    expect(tracker.addFix('u', a.lon, a.lat, a.t)).toEqual([]);
    expect(tracker.addFix('u', c.lon, c.lat, c.t)).toEqual(['seg-01']);
    expect(tracker.addFix('u', b.lon, b.lat, b.t)).toEqual([]);
    expect(tracker.report(c.t)[0]?.coveredMeters).toBeCloseTo(100, 1);
  });
});

describe('insertCoveredStretch', () => {
  it('keeps stretches disjoint and refreshes the overlapped part only', () => {
    const result = insertCoveredStretch([{ start: 0, end: 100, t: 1_000 }], 50, 150, 2_000, 0, 1);
    expect(result).toEqual([
      { start: 0, end: 50, t: 1_000 },
      { start: 50, end: 150, t: 2_000 },
    ]);
  });

  it('keeps the later time where an out-of-order interval overlaps, and fills gaps with its own', () => {
    const stretches = [
      { start: 0, end: 10, t: 5_000 },
      { start: 20, end: 30, t: 5_000 },
    ];
    expect(insertCoveredStretch(stretches, 5, 25, 3_000, 0, 1)).toEqual([
      { start: 0, end: 10, t: 5_000 },
      { start: 10, end: 20, t: 3_000 },
      { start: 20, end: 30, t: 5_000 },
    ]);
  });

  it('merges touching stretches in the same time bucket and drops those older than the window', () => {
    const merged = insertCoveredStretch([{ start: 0, end: 10, t: 100 }], 10, 20, 200, 0, 1_000);
    expect(merged).toEqual([{ start: 0, end: 20, t: 200 }]);
    expect(insertCoveredStretch([{ start: 0, end: 10, t: 100 }], 10, 20, 5_000, 1_000, 1_000)).toEqual([
      { start: 10, end: 20, t: 5_000 },
    ]);
  });
});

describe('createVoidTracker', () => {
  it('flags required kinds missing for longer than voidMs, and any unit where none is required', () => {
    const voids = createVoidTracker(
      [{ id: 'seg-01', requiredKinds: ['military', 'police'] }, { id: 'g-1' }],
      { voidMs: 1_800_000, since: 0 },
    );
    voids.observe('seg-01', 'police', 600_000);
    voids.observe('g-1', 'civilian', 100_000);
    voids.observe('unknown-area', 'military', 100_000);
    expect(voids.report(1_000_000)).toEqual([]);
    expect(voids.report(2_000_000)).toEqual([
      { areaId: 'seg-01', kind: 'military', lastSeenAt: null },
      { areaId: 'g-1', kind: 'any', lastSeenAt: 100_000 },
    ]);
    expect(voids.report(2_500_000).map((v) => `${v.areaId}/${v.kind}`)).toEqual([
      'seg-01/military',
      'seg-01/police',
      'g-1/any',
    ]);
  });
});
