// Whether the store is fresh enough to backfill, and the marker the backfill leaves: a `demo.backfilled`
// event. The backfill runs once per store: never over a store that holds positions, incidents or reports.
import type { DomainEvent } from '../contract';
import { newId } from '../domain/ids';
import type { Store } from '../store/store';

export const BACKFILL_EVENT = 'demo.backfilled';

/** Why the store is not fresh, or null when it is. */
export async function whyNotFresh(store: Store): Promise<string | null> {
  if ((await store.events.query({ types: [BACKFILL_EVENT], limit: 1 })).length > 0)
    return 'it was backfilled before';
  if ((await store.history.query({ limit: 1 })).length > 0) return 'it holds position history';
  if ((await store.incidents.list({ scope: null, limit: 1 })).length > 0) return 'it holds incidents';
  if ((await store.reports.list({ limit: 1 })).length > 0) return 'it holds road-chief reports';
  return null;
}

/** The marker: also an entry in the event log (GET /api/events) saying what was made up and when. */
export function backfilledEvent(t: number, data: Record<string, unknown>): DomainEvent {
  return {
    id: newId(t),
    type: BACKFILL_EVENT,
    t,
    unitId: null,
    message: `演示数据：已回填 ${String(data.days)} 天的轨迹、事件、路长报告和户哨签到`,
    data,
  };
}
