// The one door for positions: every adapter hands its PositionReport here; it is validated, applied to the
// live state (broadcast on the next flush) and resolved once its history write is durable.
import { PositionReport, describeIssue } from '../contract';
import type { LiveState } from '../engine/live-state';
import type { HistoryWriter } from '../store/history-writer';

export type SubmitResult =
  | { ok: true; applied: boolean }
  | { ok: false; error: { code: 'invalid' | 'not_found' | 'internal'; message: string } };

export interface Ingest {
  submit(report: PositionReport): Promise<SubmitResult>;
  /** Counters since start, for /metrics and tests. */
  stats(): { accepted: number; rejected: number };
}

/**
 * A real device outranks the demo simulator: for this long after a unit's last fix from a real source (a
 * patrol leader's tablet, a phone), the simulator's fixes for that unit are skipped, so a demo account's
 * own position does not jump between its GPS and the simulated route.
 */
export const REAL_DEVICE_PRIORITY_MS = 5 * 60_000;

export function createIngest(live: LiveState, history: HistoryWriter, now: () => number): Ingest {
  let accepted = 0;
  let rejected = 0;
  const lastReal = new Map<string, number>();
  return {
    async submit(input) {
      const parsed = PositionReport.safeParse(input);
      if (!parsed.success) {
        rejected++;
        return { ok: false, error: { code: 'invalid', message: describeIssue(parsed.error) } };
      }
      const report = parsed.data;
      const rx = now();
      if (report.source !== 'simulator') lastReal.set(report.unitId, rx);
      else if (rx - (lastReal.get(report.unitId) ?? -Infinity) < REAL_DEVICE_PRIORITY_MS)
        return { ok: true, applied: false };
      const result = live.accept(report, rx);
      if (result === 'unknown_unit') {
        rejected++;
        return { ok: false, error: { code: 'not_found', message: `unknown unit ${report.unitId}` } };
      }
      accepted++;
      try {
        await history.enqueue({ ...report, rx });
      } catch {
        return { ok: false, error: { code: 'internal', message: 'the fix could not be stored' } };
      }
      return { ok: true, applied: result === 'applied' };
    },
    stats: () => ({ accepted, rejected }),
  };
}
