// What the replay fetches over REST: history in chunks (paged when a chunk holds more fixes than one answer
// may), and the records shown on the same timeline — incidents, alerts, joint-patrol events, unit identities.
import type { Alert, DomainEvent, Incident, UnitKind } from '../../../server/contract';
import { apiGet } from '../net/api';
import type { UnitIdentity } from './replay-scene';
import { JOINT_PATROL_EVENTS } from './replay-records';
import type { HistoryFix } from './replay-tracks';

export type Getter = <T>(path: string) => Promise<T>;
export type Bbox = [west: number, south: number, east: number, north: number];

/** The server's largest page of /api/history. */
export const HISTORY_PAGE_LIMIT = 50_000;
/** A chunk denser than this is cut short rather than hold the browser (≈ 60 MB of fixes). */
const MAX_CHUNK_FIXES = 1_000_000;
const RECORD_PAGES = 20;

/**
 * Every fix with from ≤ t ≤ to (in bbox), in time order. A full page continues from its last instant; fixes
 * at that instant already received are skipped (the API orders by time, then unit id). More fixes at one
 * instant than a page holds cannot be paged by time: the rest of that instant is skipped.
 */
export async function fetchHistoryChunk(
  from: number,
  to: number,
  bbox: Bbox | null,
  options: { get?: Getter; limit?: number } = {},
): Promise<HistoryFix[]> {
  const get = options.get ?? apiGet;
  const limit = options.limit ?? HISTORY_PAGE_LIMIT;
  const fixes: HistoryFix[] = [];
  let cursor = from;
  let seenAtCursor = new Set<string>();
  while (fixes.length < MAX_CHUNK_FIXES && cursor <= to) {
    const query = new URLSearchParams({ from: String(cursor), to: String(to), limit: String(limit) });
    if (bbox) query.set('bbox', bbox.map((n) => n.toFixed(6)).join(','));
    const { items } = await get<{ items: HistoryFix[] }>(`/api/history?${query}`);
    for (const fix of items) if (!(fix.t === cursor && seenAtCursor.has(fix.unitId))) fixes.push(fix);
    const last = items[items.length - 1];
    if (items.length < limit || !last) break;
    if (last.t === cursor) {
      // A whole page at one instant: what else shares it cannot be reached by time; move past it.
      cursor = last.t + 1;
      seenAtCursor = new Set();
    } else {
      cursor = last.t;
      seenAtCursor = new Set(items.filter((fix) => fix.t === last.t).map((fix) => fix.unitId));
    }
  }
  return fixes;
}

/** Incidents changed since `since` (the ones still open and unchanged since come with the live snapshot). */
export async function fetchIncidentsSince(since: number, get: Getter = apiGet): Promise<Incident[]> {
  const incidents: Incident[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < RECORD_PAGES; page++) {
    const query = new URLSearchParams({ since: String(since), limit: '1000' });
    if (cursor) query.set('cursor', cursor);
    const answer: { items: Incident[]; nextCursor: string | null } = await get(`/api/incidents?${query}`);
    incidents.push(...answer.items);
    cursor = answer.nextCursor;
    if (!cursor) break;
  }
  return incidents;
}

/** Every alert the server lists (it keeps them ordered by severity, so there is no time cut-off to page to). */
export async function fetchAlerts(get: Getter = apiGet): Promise<Alert[]> {
  const alerts: Alert[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < RECORD_PAGES; page++) {
    const query = new URLSearchParams({ limit: '1000' });
    if (cursor) query.set('cursor', cursor);
    const answer: { items: Alert[]; nextCursor: string | null } = await get(`/api/alerts?${query}`);
    alerts.push(...answer.items);
    cursor = answer.nextCursor;
    if (!cursor) break;
  }
  return alerts;
}

/** joint.formed / changed / dissolved events after `since`, oldest first. */
export async function fetchJointPatrolEvents(since: number, get: Getter = apiGet): Promise<DomainEvent[]> {
  const events: DomainEvent[] = [];
  let cursor = String(since);
  for (let page = 0; page < RECORD_PAGES; page++) {
    const query = new URLSearchParams({ since: cursor, type: JOINT_PATROL_EVENTS.join(','), limit: '5000' });
    const answer: { items: DomainEvent[]; nextCursor: string | null } = await get(`/api/events?${query}`);
    events.push(...answer.items);
    if (!answer.nextCursor) break;
    cursor = answer.nextCursor;
  }
  return events;
}

/** Kind and callsign of every registered unit (history carries only ids). */
export async function fetchIdentities(get: Getter = apiGet): Promise<Map<string, UnitIdentity>> {
  const answer = await get<{ items: { id: string; kind: UnitKind; callsign: string }[] }>(
    '/api/units?registered=1',
  );
  return new Map(answer.items.map((unit) => [unit.id, { kind: unit.kind, callsign: unit.callsign }]));
}
