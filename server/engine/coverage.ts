// Segment coverage in the engine: every applied fix of a patrol unit feeds geo/'s tracker; a segment that
// turns overdue raises `segment.overdue` once. History of the last window is replayed at start.
import type { FeatureCollection, LineString, MultiLineString } from 'geojson';
import { createCoverageTracker, type CoverageTracker, type SegmentCoverage } from '../../geo';
import { newId } from '../domain/ids';
import type { HistoryStore } from '../store/store';
import type { LiveState } from './live-state';
import type { Registry } from './registry';

export const COVERAGE_WINDOW_MS = 24 * 3_600_000;

export interface SegmentStatus extends SegmentCoverage {
  name: string | null;
  nameEn: string | null;
}

export interface SegmentCoverageService {
  /** Re-evaluates overdue flags; emits `segment.overdue` for segments that just turned overdue. */
  tick(now: number): void;
  status(now: number): SegmentStatus[];
  /** Rebuilds for a new segments layer, replaying the window's history. */
  reload(segments: FeatureCollection, now: number): Promise<void>;
}

type Lines = FeatureCollection<LineString | MultiLineString>;

export async function createSegmentCoverage(
  segments: FeatureCollection,
  live: LiveState,
  registry: Registry,
  history: HistoryStore,
  now: number,
): Promise<SegmentCoverageService> {
  let tracker: CoverageTracker = createCoverageTracker(segments as Lines);
  let names = new Map<string, { name: string | null; nameEn: string | null }>();
  let overdue = new Set<string>();

  const replay = async (layer: FeatureCollection, at: number): Promise<void> => {
    tracker = createCoverageTracker(layer as Lines);
    names = new Map(
      layer.features.map((f) => [
        String(f.id ?? f.properties?.id),
        { name: (f.properties?.name as string) ?? null, nameEn: (f.properties?.nameEn as string) ?? null },
      ]),
    );
    const fixes = await history.query({ from: at - COVERAGE_WINDOW_MS, to: at, limit: 2_000_000 });
    for (const fix of fixes)
      tracker.addFix(fix.unitId, fix.lon, fix.lat, fix.t, registry.byId(fix.unitId)?.kind);
    overdue = new Set(tracker.report(at).flatMap((s) => (s.overdue ? [s.segmentId] : [])));
  };
  await replay(segments, now);
  live.onApplied((unit) => tracker.addFix(unit.id, unit.lon, unit.lat, unit.t, unit.kind));

  return {
    tick(at) {
      for (const segment of tracker.report(at)) {
        if (!segment.overdue) {
          overdue.delete(segment.segmentId);
          continue;
        }
        if (overdue.has(segment.segmentId)) continue;
        overdue.add(segment.segmentId);
        const name = names.get(segment.segmentId)?.name ?? segment.segmentId;
        live.emit({
          id: newId(at),
          type: 'segment.overdue',
          t: at,
          unitId: null,
          message: `${name} 超过 12 小时未巡逻`,
          data: { segmentId: segment.segmentId, lastPatrolledAt: segment.lastPatrolledAt },
        });
      }
    },
    status: (at) =>
      tracker.report(at).map((s) => ({ ...s, ...(names.get(s.segmentId) ?? { name: null, nameEn: null }) })),
    reload: (layer, at) => replay(layer, at),
  };
}
