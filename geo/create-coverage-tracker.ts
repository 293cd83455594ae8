// Segment coverage: which border segments were patrolled along, how much of them, and when.
import type { CoverageOptions, CoverageTracker, LineLayer, NearestLine, SegmentCoverage, UnitKind } from './types';
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
 * coverage.report(120_000)[2]; // { segmentId: 'seg-03', coveredFraction: 0.21, lastPatrolledAt: 60000, overdue: false, … }
 */
export function createCoverageTracker(segments: LineLayer, options: CoverageOptions = {}): CoverageTracker {
  const corridorMeters = options.corridorMeters ?? 50;
  const windowMs = options.windowMs ?? 24 * HOUR_MS;
  const overdueMs = options.overdueMs ?? 12 * HOUR_MS;
  const maxGapMs = options.maxGapMs ?? 600_000;
  const resolutionMs = Math.max(1, options.resolutionMs ?? windowMs / 288);
  const index = createLineIndex(segments);
  const required = toLineFeatures(segments).map((f) => requiredKindsOf(f.properties));
  const stretches: CoveredStretch[][] = index.ids.map(() => []);
  const lastPatrolledAt: (number | null)[] = index.ids.map(() => null);
  const lastFix = new Map<string, { t: number; hits: NearestLine[] }>();

  const addFix = (unitId: string, lon: number, lat: number, t: number, kind?: UnitKind): string[] => {
    const previous = lastFix.get(unitId);
    if (previous !== undefined && t <= previous.t) return [];
    const hits = index.within(lon, lat, corridorMeters).filter((hit) => {
      const kinds = required[hit.featureIndex];
      return kinds == null || (kind !== undefined && kinds.has(kind));
    });
    lastFix.set(unitId, { t, hits });
    if (previous === undefined || t - previous.t > maxGapMs) return [];
    const covered = new Set<string>();
    for (const hit of hits) {
      const from = previous.hits.find((h) => h.featureIndex === hit.featureIndex && h.partIndex === hit.partIndex);
      if (from === undefined) continue;
      const f = hit.featureIndex;
      const [start, end] = [Math.min(from.alongMeters, hit.alongMeters), Math.max(from.alongMeters, hit.alongMeters)];
      stretches[f] = insertCoveredStretch(stretches[f] ?? [], start, end, t, t - windowMs, resolutionMs);
      lastPatrolledAt[f] = Math.max(lastPatrolledAt[f] ?? -Infinity, t);
      covered.add(hit.id);
    }
    return [...covered];
  };

  const report = (now: number): SegmentCoverage[] =>
    index.ids.map((segmentId, f) => {
      const lengthMeters = index.lengthsMeters[f] as number;
      let coveredMeters = 0;
      for (const s of stretches[f] ?? []) if (s.t >= now - windowMs) coveredMeters += s.end - s.start;
      const last = lastPatrolledAt[f] ?? null;
      const coveredFraction = lengthMeters > 0 ? Math.min(1, coveredMeters / lengthMeters) : 0;
      return { segmentId, coveredFraction, coveredMeters, lengthMeters, lastPatrolledAt: last, overdue: last === null || now - last > overdueMs };
    });

  return { addFix, report };
}
