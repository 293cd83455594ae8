// What the map's layers know that popups and the alarm takeover also read: open incidents per grid and
// segment coverage (place names are in place-names.ts).
import type { SegmentStatus } from './segment-age';

class GridOpenCounts {
  /** Open incidents per grid id (GridsLayer keeps it current). */
  value = $state.raw<ReadonlyMap<string, number>>(new Map());
}

class SegmentStatuses {
  /** The last GET /api/segments/status by segment id, and when it was fetched (SegmentsLayer polls it). */
  value = $state.raw<ReadonlyMap<string, SegmentStatus>>(new Map());
  fetchedAt = $state(0);
}

export const gridOpenCounts = new GridOpenCounts();
export const segmentStatuses = new SegmentStatuses();
