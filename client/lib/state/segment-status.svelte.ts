// The segment coverage board's data: GET /api/segments/status every 30 s while a board is on screen.
import { apiGet } from '../net/api';

export interface SegmentStatus {
  segmentId: string;
  name: string;
  nameEn: string;
  coveredFraction: number;
  coveredMeters: number;
  lengthMeters: number;
  lastPatrolledAt: number | null;
  overdue: boolean;
}

const EVERY_MS = 30_000;

/** Never patrolled first, then the longest since the last patrol. */
export function byPatrolAge(a: SegmentStatus, b: SegmentStatus): number {
  return (a.lastPatrolledAt ?? -Infinity) - (b.lastPatrolledAt ?? -Infinity) || a.name.localeCompare(b.name);
}

class SegmentBoard {
  items = $state.raw<SegmentStatus[]>([]);
  loaded = $state(false);
  error = $state.raw<string | null>(null);
  #watchers = 0;
  #timer: ReturnType<typeof setInterval> | null = null;

  watch(): () => void {
    if (this.#watchers++ === 0) {
      void this.refresh();
      this.#timer = setInterval(() => void this.refresh(), EVERY_MS);
    }
    return () => {
      if (--this.#watchers === 0 && this.#timer) clearInterval(this.#timer);
    };
  }

  async refresh(): Promise<void> {
    try {
      const { items } = await apiGet<{ items: SegmentStatus[] }>('/api/segments/status');
      this.items = [...items].sort(byPatrolAge);
      this.error = null;
    } catch (error) {
      this.error = error instanceof Error ? error.message : String(error);
    } finally {
      this.loaded = true;
    }
  }
}

export const segmentBoard = new SegmentBoard();
