// Segment coverage: which border segments were patrolled along, how much of them, and when.
import type {
  CoverageOptions,
  CoverageTracker,
  LineIndex,
  LineLayer,
  NearestLine,
  SegmentCoverage,
  UnitKind,
} from './types';
import type { CoveredStretch } from './insert-covered-stretch';
import { createLineIndex } from './create-line-index';
import { insertCoveredStretch } from './insert-covered-stretch';
import { toLineFeatures } from './to-line-features';

const HOUR_MS = 3_600_000;

function requiredKindsOf(properties: Record<string, unknown> | null): Set<string> | null {
  const kinds = properties?.['requiredKinds'];
  if (!Array.isArray(kinds) || kinds.length === 0) return null;
  return new Set(kinds.filter((k): k is string => typeof k === 'string'));
}

interface Settings {
  corridorMeters: number;
  windowMs: number;
  overdueMs: number;
  maxGapMs: number;
  resolutionMs: number;
}

interface Tracker {
  s: Settings;
  index: LineIndex;
  /** Kinds each segment requires (null: any unit). */
  required: (Set<string> | null)[];
  stretches: CoveredStretch[][];
  lastPatrolledAt: (number | null)[];
  /** Each unit's last fix time and the segment parts its corridor matched. */
  lastFix: Map<string, { t: number; hits: NearestLine[] }>;
}

function addFix(
  tracker: Tracker,
  unitId: string,
  lon: number,
  lat: number,
  t: number,
  kind?: UnitKind,
): string[] {
  const { s, index, required, stretches, lastPatrolledAt } = tracker;
  const previous = tracker.lastFix.get(unitId);
  if (previous !== undefined && t <= previous.t) return [];
  const hits = index.within(lon, lat, s.corridorMeters).filter((hit) => {
    const kinds = required[hit.featureIndex];
    return kinds == null || (kind !== undefined && kinds.has(kind));
  });
  tracker.lastFix.set(unitId, { t, hits });
  if (previous === undefined || t - previous.t > s.maxGapMs) return [];
  const covered = new Set<string>();
  for (const hit of hits) {
    const from = previous.hits.find(
      (h) => h.featureIndex === hit.featureIndex && h.partIndex === hit.partIndex,
    );
    if (from === undefined) continue;
    const f = hit.featureIndex;
    const [start, end] = [
      Math.min(from.alongMeters, hit.alongMeters),
      Math.max(from.alongMeters, hit.alongMeters),
    ];
    stretches[f] = insertCoveredStretch(stretches[f] ?? [], start, end, t, t - s.windowMs, s.resolutionMs);
    lastPatrolledAt[f] = Math.max(lastPatrolledAt[f] ?? -Infinity, t);
    covered.add(hit.id);
  }
  return [...covered];
}

function report(tracker: Tracker, now: number): SegmentCoverage[] {
  const { s, index } = tracker;
  return index.ids.map((segmentId, f) => {
    const lengthMeters = index.lengthsMeters[f] as number;
    let coveredMeters = 0;
    for (const stretch of tracker.stretches[f] ?? []) {
      if (stretch.t >= now - s.windowMs) coveredMeters += stretch.end - stretch.start;
    }
    const lastPatrolledAt = tracker.lastPatrolledAt[f] ?? null;
    const coveredFraction = lengthMeters > 0 ? Math.min(1, coveredMeters / lengthMeters) : 0;
    const overdue = lastPatrolledAt === null || now - lastPatrolledAt > s.overdueMs;
    return { segmentId, coveredFraction, coveredMeters, lengthMeters, lastPatrolledAt, overdue };
  });
}

/**
 * Tracks coverage of border segments (LineString or MultiLineString features with ids). Consecutive
 * fixes of one unit that both lie within `corridorMeters` (50) of the same segment part cover the
 * stretch between their projections on it. `report(now)` gives per segment the fraction of its length
 * covered within `windowMs` (24 h), the time it was last patrolled, and `overdue` when that is more
 * than `overdueMs` (12 h) ago or never. Fix pairs more than `maxGapMs` (10 min) apart cover nothing;
 * out-of-order fixes are ignored. A segment with `properties.requiredKinds` (e.g. ['military']) counts
 * only fixes of those kinds. Stretches are merged as they come and pruned past the window.
 *
 * @example
 * const coverage = createCoverageTracker(segments);
 * coverage.addFix('unit-7', 106.7501, 22.1, 0, 'police');
 * coverage.addFix('unit-7', 106.7531, 22.1003, 60_000, 'police'); // ['seg-03']
 * coverage.report(120_000)[2];
 * // { segmentId: 'seg-03', coveredFraction: 0.21, lastPatrolledAt: 60000, overdue: false, … }
 */
export function createCoverageTracker(segments: LineLayer, options: CoverageOptions = {}): CoverageTracker {
  const windowMs = options.windowMs ?? 24 * HOUR_MS;
  const s: Settings = {
    ...{
      corridorMeters: options.corridorMeters ?? 50,
      windowMs,
      overdueMs: options.overdueMs ?? 12 * HOUR_MS,
    },
    ...{
      maxGapMs: options.maxGapMs ?? 600_000,
      resolutionMs: Math.max(1, options.resolutionMs ?? windowMs / 288),
    },
  };
  const index = createLineIndex(segments);
  const tracker: Tracker = {
    ...{ s, index, required: toLineFeatures(segments).map((f) => requiredKindsOf(f.properties)) },
    ...{ stretches: index.ids.map(() => []), lastPatrolledAt: index.ids.map(() => null), lastFix: new Map() },
  };
  return {
    addFix: (unitId, lon, lat, t, kind) => addFix(tracker, unitId, lon, lat, t, kind),
    report: (now) => report(tracker, now),
  };
}
