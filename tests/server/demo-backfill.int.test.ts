// The demo backfill on a fresh temp store with a fixed clock and seed: N days of position history, incidents
// taken through the closed loop with their timelines, road-chief reports, household posts' check-ins (a few
// periods missed, each a checkin.missed alert), non-zero KPIs; nothing dated at or after the start; the same
// seed gives the same story; and a second start does not backfill again.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertRecord, Incident, IncidentAuditEntry } from '../../server/contract';
import type { BackfillResult } from '../../server/demo/backfill';
import { BACKFILL_EVENT } from '../../server/demo/marker';
import type { Store } from '../../server/store/store';
import { tempDir } from '../support/server';
import { MISSED_FOLLOW_UP_NOTE } from '../../server/demo/mix';
import {
  backfill,
  checkinsOf,
  demoPosts,
  expectedPosts,
  openDemoStore,
  serve,
  type CheckinRow,
  type Served,
} from './demo-support';

const DAY = 86_400_000;
const START = Date.parse('2026-11-28T04:00:00Z');
const DAYS = 2;
const SEED = 42;
const HOUR = 3_600_000;
/** Household posts in the test's posts layer (the shipped scenario has 265). */
const POSTS = 120;
const postsLayer = demoPosts(POSTS);

let dataDir: string;
let store: Store;
let result: BackfillResult;
let backfillMs: number;
/** Every alert the backfill left, read from the store before the app (and its live clock) started. */
let backfilledAlerts: AlertRecord[];
let unitCount: number;
let served: Served;
let token: string;

beforeAll(async () => {
  dataDir = tempDir('lianfang-demo-');
  const opened = await openDemoStore(dataDir, START - DAYS * DAY - 60_000);
  store = opened.store;
  unitCount = opened.unitCount;
  await store.layers.put('posts', postsLayer);
  const t0 = performance.now();
  result = await backfill(store, dataDir, opened.motion, { days: DAYS, seed: SEED, start: START });
  backfillMs = performance.now() - t0;
  console.log(
    `backfill of ${DAYS} days, ${unitCount} units: ${Math.round(backfillMs)} ms`,
    result.ran && result.world.counts,
  );
  backfilledAlerts = (await store.alerts.list({ limit: 1000 })).items;
  served = await serve(store, dataDir, () => START + 1_000);
  token = await served.login('operator');
}, 120_000);

afterAll(async () => {
  await served?.close();
  await store?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function allIncidents(): Promise<Incident[]> {
  const { status, body } = await served.request('GET', '/api/incidents?limit=1000', token);
  expect(status).toBe(200);
  return body.items as Incident[];
}

describe('demo backfill', () => {
  it('runs on a fresh store and writes a minute-by-minute history of every unit over the window', async () => {
    expect(result.ran).toBe(true);
    const from = START - DAYS * DAY;
    const { status, body } = await served.request(
      'GET',
      `/api/history?from=${from}&to=${START}&limit=50000`,
      token,
    );
    expect(status).toBe(200);
    const fixes = body.items as { unitId: string; t: number }[];
    expect(fixes).toHaveLength(DAYS * 1440 * unitCount);
    expect(new Set(fixes.map((f) => f.unitId)).size).toBe(unitCount);
    expect(Math.min(...fixes.map((f) => f.t))).toBe(from);
    expect(Math.max(...fixes.map((f) => f.t))).toBe(START - 60_000);
    const track = await served.request('GET', `/api/units/t-civ-1/track?from=${from}&to=${START}`, token);
    expect(track.body.geometry.type).toBe('LineString');
    expect(track.body.properties.times).toHaveLength(DAYS * 1440);
  });

  it('takes incidents through the closed loop: closed ones have the full timeline, in time order', async () => {
    const incidents = await allIncidents();
    console.log(
      'incidents by status:',
      countBy(incidents, (i) => i.status),
    );
    expect(incidents.length).toBeGreaterThan(DAYS * 20);
    expect(incidents.every((i) => i.createdAt >= START - DAYS * DAY && i.createdAt < START)).toBe(true);
    const closed = incidents.filter((i) => i.status === 'closed');
    expect(closed.length).toBeGreaterThan(5);
    // Some are still open at the start, as in any working linkage center.
    expect(incidents.some((i) => i.status !== 'closed' && i.status !== 'rejected')).toBe(true);
    for (const incident of closed.slice(0, 5)) {
      const detail = await served.request('GET', `/api/incidents/${incident.id}`, token);
      const timeline = detail.body.timeline as IncidentAuditEntry[];
      const moves = timeline.filter((e) => e.action === 'transition').map((e) => e.to);
      expect(moves).toEqual(
        expect.arrayContaining(['accepted', 'dispatched', 'in_progress', 'resolved', 'verified', 'closed']),
      );
      expect(moves.at(-1)).toBe('closed');
      const times = timeline.map((e) => e.t);
      expect(times).toEqual([...times].sort((a, b) => a - b));
      expect(Math.max(...times)).toBeLessThan(START);
    }
  });

  it('escalates overdue incidents, mediates disputes and takes feedback at close, through the real services', async () => {
    const incidents = await allIncidents();
    const escalated = incidents.filter((i) => i.level !== 'grid');
    expect(escalated.length).toBeGreaterThan(0);
    const overdue = backfilledAlerts.filter((a) => a.type === 'incident.overdue');
    expect(overdue.length).toBeGreaterThan(0);
    expect(backfilledAlerts.every((a) => a.t < START)).toBe(true);
    expect(overdue.some((a) => a.acknowledgedAt !== null && a.acknowledgedAt < START)).toBe(true);
    // Through the API too: the operator's queue holds them (the live engine may add its own from START on).
    const alerts = await served.request('GET', '/api/alerts?limit=500', token);
    expect(
      alerts.body.items.filter((a: { type: string }) => a.type === 'incident.overdue').length,
    ).toBeGreaterThanOrEqual(overdue.length);
    expect(incidents.some((i) => i.category === 'dispute' && i.mediation !== null)).toBe(true);
    expect(incidents.some((i) => i.feedback !== null)).toBe(true);
  });

  it('files road-chief reports on the segments, before the start', async () => {
    const { status, body } = await served.request('GET', '/api/reports?limit=1000', token);
    expect(status).toBe(200);
    const reports = body.items as { segmentId: string; t: number; status: string }[];
    expect(reports.length).toBeGreaterThan(DAYS * 2);
    expect(new Set(reports.map((r) => r.segmentId))).toEqual(new Set(['t-seg-01', 't-seg-02']));
    expect(reports.every((r) => r.t >= START - DAYS * DAY && r.t < START)).toBe(true);
  });

  it('checks the posts in once a period, spread over it; the few missed periods are the checkin.missed alerts', async () => {
    const posts = expectedPosts(postsLayer);
    const rows = await checkinsOf(
      (route) => served.request('GET', route, token),
      [...posts, 't-dp-cp', 't-dp-off'],
    );
    // The default schedule in Asia/Shanghai: 08–14 and 14–20 local are 00–06 and 06–12 UTC. START is 12:00
    // local: the window opens mid-period (not judged: the loop did not watch it from its start) and ends in one.
    const period = (utc: string) => ({ start: Date.parse(utc), end: Date.parse(utc) + 6 * HOUR });
    const judged = [
      period('2026-11-26T06:00:00Z'),
      period('2026-11-27T00:00:00Z'),
      period('2026-11-27T06:00:00Z'),
    ];
    const ongoing = period('2026-11-28T00:00:00Z');
    console.log(
      `${rows.length} check-ins of ${posts.length} posts`,
      countBy(rows, (r) => r.userId.split(':')[1] ?? ''),
    );
    expect(rows.filter((r) => r.postId === 't-dp-cp' || r.postId === 't-dp-off')).toEqual([]);
    expect(rows.every((r) => r.t >= START - DAYS * DAY && r.t < START && r.userId.startsWith('demo:'))).toBe(
      true,
    );
    // Through the road chief's tablet or grid staff (at the post), or by phone (no position).
    expect(new Set(rows.map((r) => r.userId.split(':')[1]))).toEqual(
      new Set(['road-chief', 'staff', 'duty-officer']),
    );
    expect(rows.filter((r) => r.userId === 'demo:duty-officer').every((r) => r.lon === null)).toBe(true);

    const missed = new Set<string>();
    const within = (p: { start: number; end: number }): CheckinRow[] =>
      rows.filter((r) => r.t >= p.start && r.t < p.end);
    for (const p of judged) {
      const rowsIn = within(p);
      const present = new Set(rowsIn.map((r) => r.postId));
      expect(present.size).toBe(rowsIn.length); // once a period at most
      for (const id of posts) if (!present.has(id)) missed.add(`${id}@${p.start}`);
      expect(present.size).toBeGreaterThanOrEqual(0.9 * posts.length);
      // Spread over the period, not all at once: no quarter hour holds more than a fifth of them.
      const times = rowsIn.map((r) => r.t);
      expect(Math.max(...times) - Math.min(...times)).toBeGreaterThan(0.5 * (p.end - p.start));
      const slots = countBy(rowsIn, (r) => String(Math.floor((r.t - p.start) / (15 * 60_000))));
      expect(Math.max(...Object.values(slots))).toBeLessThanOrEqual(0.2 * rowsIn.length);
    }
    // The period in progress at the start: most posts have checked in already, the rest will (demo life).
    const early = new Set(within(ongoing).map((r) => r.postId)).size;
    expect(early).toBeGreaterThan(0.5 * posts.length);
    expect(early).toBeLessThan(posts.length);

    const alerts = backfilledAlerts.filter((a) => a.type === 'checkin.missed');
    const acked = alerts.filter((a) => a.acknowledgedAt !== null && a.acknowledgedAt < START);
    console.log(
      `missed post-periods: ${missed.size} of ${posts.length * judged.length}; alerts: ${alerts.length}, acknowledged ${acked.length}`,
    );
    expect(missed.size).toBeGreaterThan(0);
    expect(missed.size).toBeLessThanOrEqual(0.05 * posts.length * judged.length);
    expect(new Set(alerts.map((a) => `${String(a.data.postId)}@${String(a.data.periodStart)}`))).toEqual(
      missed,
    );
    for (const alert of alerts) {
      const end = Number(alert.data.periodEnd);
      expect(alert.t).toBeGreaterThanOrEqual(end);
      expect(alert.t).toBeLessThan(end + 10 * 60_000); // raised within minutes of the period's end
    }
    // The duty officer phones most of them, as the backfill does for its other alerts.
    expect(acked.length).toBeGreaterThanOrEqual(0.7 * alerts.length);
    expect(
      acked.every((a) => a.acknowledgedBy === 'demo:duty-officer' && a.ackNote === MISSED_FOLLOW_UP_NOTE),
    ).toBe(true);
  });

  it('gives non-zero KPIs from the first start', async () => {
    const from = START - DAYS * DAY;
    const { status, body } = await served.request('GET', `/api/kpis?from=${from}&to=${START}`, token);
    expect(status).toBe(200);
    console.log('KPIs:', JSON.stringify(body));
    expect(body.incidents.total).toBeGreaterThan(0);
    expect(body.closure.closed).toBeGreaterThan(0);
    expect(body.closure.p50Ms).toBeGreaterThan(0);
    expect(body.deadlineCompliance.rate).toBeGreaterThan(0.5);
    expect(body.deadlineCompliance.rate).toBeLessThan(1);
    expect(body.mediation.mediated).toBeGreaterThan(0);
    expect(body.satisfaction.answers).toBeGreaterThan(0);
    expect(body.reportCompliance.met).toBeGreaterThan(0);
    // The engine replayed the backfilled day of fixes at start: the segments count as patrolled.
    expect(body.segmentCoverage).toBeGreaterThan(0);
  });

  it('leaves a marker in the event log', async () => {
    const { body } = await served.request('GET', `/api/events?type=${BACKFILL_EVENT}`, token);
    expect(body.items).toHaveLength(1);
    expect(body.items[0].t).toBe(START);
    expect(body.items[0].data).toMatchObject({ days: DAYS, seed: SEED, fixes: DAYS * 1440 * unitCount });
  });

  it('is not repeated on restart', async () => {
    await served.close();
    await store.close();
    const reopened = await openDemoStore(dataDir, START + 60_000);
    store = reopened.store;
    const again = await backfill(store, dataDir, reopened.motion, {
      days: DAYS,
      seed: SEED,
      start: START + 60_000,
    });
    expect(again).toEqual({ ran: false, reason: 'it was backfilled before' });
    served = await serve(store, dataDir, () => START + 61_000);
    token = await served.login('operator');
    const history = await served.request('GET', `/api/history?limit=50000`, token);
    expect(history.body.items).toHaveLength(DAYS * 1440 * unitCount);
    const marker = await served.request('GET', `/api/events?type=${BACKFILL_EVENT}`, token);
    expect(marker.body.items).toHaveLength(1);
  });
});

describe('demo backfill, deterministic', () => {
  it('tells the same story for the same seed and start time, and another for another seed', async () => {
    const story = async (seed: number) => {
      const dir = tempDir('lianfang-demo-');
      const opened = await openDemoStore(dir, START - DAY);
      try {
        await opened.store.layers.put('posts', demoPosts(40));
        await backfill(opened.store, dir, opened.motion, { days: 1, seed, start: START });
        const incidents = await opened.store.incidents.list({ scope: null, limit: 1000 });
        const reports = await opened.store.reports.list({ limit: 1000 });
        const checkins = [];
        for (const postId of expectedPosts(demoPosts(40)))
          checkins.push(...(await opened.store.checkins.list({ postId, limit: 100 })));
        return {
          incidents: incidents.map((i) => [i.createdAt, i.category, i.source, i.status, i.level, i.summary]),
          reports: reports.map((r) => [r.t, r.segmentId, r.status, r.anomalyType, r.lon, r.lat]),
          checkins: checkins.map((c) => [c.postId, c.t, c.userId, c.note]),
        };
      } finally {
        await opened.store.close();
        fs.rmSync(dir, { recursive: true, force: true });
      }
    };
    const first = await story(7);
    expect(first.incidents.length).toBeGreaterThan(0);
    expect(first.checkins.length).toBeGreaterThan(40);
    expect(await story(7)).toEqual(first);
    const other = await story(8);
    expect(other.incidents).not.toEqual(first.incidents);
    expect(other.checkins).not.toEqual(first.checkins);
  }, 120_000);

  it('does nothing on a store that already holds data, or with 0 days', async () => {
    const dir = tempDir('lianfang-demo-');
    const opened = await openDemoStore(dir, START - DAY);
    try {
      expect(await backfill(opened.store, dir, opened.motion, { days: 0, seed: 1, start: START })).toEqual({
        ran: false,
        reason: 'DEMO_BACKFILL_DAYS=0',
      });
      await opened.store.history.append([
        {
          unitId: 't-mil-1',
          t: START - 5_000,
          rx: START - 5_000,
          lon: 106.7,
          lat: 22,
          accuracyMeters: null,
          headingDeg: null,
          speedMps: null,
          source: 'osmand',
        },
      ]);
      expect(await backfill(opened.store, dir, opened.motion, { days: 1, seed: 1, start: START })).toEqual({
        ran: false,
        reason: 'it holds position history',
      });
      expect(await opened.store.incidents.list({ scope: null, limit: 1 })).toEqual([]);
    } finally {
      await opened.store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

function countBy<T>(items: T[], key: (item: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of items) out[key(item)] = (out[key(item)] ?? 0) + 1;
  return out;
}
