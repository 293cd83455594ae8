// Border segments coloured by time since their last patrol (GET /api/segments/status): green under 6 h,
// amber to 12 h, red when the server calls them overdue (12 h or never).
import type { Feature, FeatureCollection } from 'geojson';

/** One row of GET /api/segments/status (docs/api.md, "Live picture"). */
export interface SegmentStatus {
  segmentId: string;
  name: string | null;
  nameEn: string | null;
  coveredFraction: number;
  coveredMeters: number;
  lengthMeters: number;
  lastPatrolledAt: number | null;
  overdue: boolean;
}

export type PatrolAge = 'fresh' | 'aging' | 'overdue' | 'unknown';

export const FRESH_MS = 6 * 3_600_000;

/** 'unknown' until the status is known; the server's overdue flag wins over the client's clock. */
export function patrolAge(
  status: Pick<SegmentStatus, 'lastPatrolledAt' | 'overdue'> | undefined,
  now: number,
): PatrolAge {
  if (!status) return 'unknown';
  if (status.overdue || status.lastPatrolledAt === null) return 'overdue';
  return now - status.lastPatrolledAt < FRESH_MS ? 'fresh' : 'aging';
}

export const PATROL_AGE_COLORS: Record<PatrolAge, string> = {
  fresh: '#35c27a',
  aging: '#f2b233',
  overdue: '#ef4b4b',
  unknown: '#6b7d95',
};

/** Whole hours since the last patrol (0 under an hour), or null when never patrolled. */
export function hoursSincePatrol(lastPatrolledAt: number | null, now: number): number | null {
  return lastPatrolledAt === null ? null : Math.max(0, Math.floor((now - lastPatrolledAt) / 3_600_000));
}

/** The segments layer with `patrolAge` and a `label` (name · age, in the caller's words) on every feature. */
export function withPatrolAge(
  segments: FeatureCollection,
  statuses: ReadonlyMap<string, SegmentStatus>,
  now: number,
  label: (feature: Feature, status: SegmentStatus | undefined) => string,
): FeatureCollection {
  return {
    ...segments,
    features: segments.features.map((feature) => {
      const id = String(feature.id ?? feature.properties?.id);
      const status = statuses.get(id);
      return {
        ...feature,
        properties: {
          ...feature.properties,
          patrolAge: patrolAge(status, now),
          label: label(feature, status),
        },
      };
    }),
  };
}
