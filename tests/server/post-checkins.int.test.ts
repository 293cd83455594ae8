// Household posts' check-ins over real HTTP and SQLite: idempotent, scoped to the road chief's segment and
// the staff's grid, listed newest first; a missed check-in period raises one warning alert, exactly once.
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertRecord } from '../../server/contract';
import { createClosedLoop } from '../../server/domain/closed-loop';
import { parseDeadlines } from '../../server/domain/deadlines';
import { T0, startClosedLoopServer, type ClosedLoopServer } from './closed-loop-support';
import { addUser, testPosts } from './posts-support';

const MIN = 60_000;
const HOUR = 60 * MIN;
/** Wall-clock times in Asia/Shanghai (UTC+8) on the days after T0 (T0 itself is 16:00 there). */
const local = (day: string, hhmm: string): number => Date.parse(`${day}T${hhmm}:00+08:00`);

let server: ClosedLoopServer;
let leader: string;
let operator: string;
let staff: string;
let otherStaff: string;

const checkin = (postId: string, token: string, body: object = {}, headers: Record<string, string> = {}) =>
  server.request('POST', `/api/posts/${postId}/checkins`, { token, body, headers });

function rows(sql: string): number {
  const db = new Database(path.join(server.dataDir, 'lianfang.db'), { readonly: true });
  try {
    return Number((db.prepare(sql).get() as { n: number }).n);
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  // Alerts do not escalate here: the counts below are about raising them.
  const deadlines = parseDeadlines('{"alertEscalation":{"critical":null,"warning":null}}');
  server = await startClosedLoopServer({ deadlines, timeZone: 'Asia/Shanghai' });
  await server.store.layers.put('posts', testPosts());
  await server.loop.reloadLayers();
  await addUser(server.store, {
    username: 'staff3',
    role: 'staff',
    staffId: 't3-manager',
    areaId: 't-grid-3',
  });
  leader = (await server.login('leader')).token;
  operator = (await server.login('operator')).token;
  staff = (await server.login('staff')).token;
  otherStaff = (await server.login('staff3')).token;
});
afterAll(async () => server.close());

describe('checking in', () => {
  it('answers 201 {id, postId, t}, and the same for a retried key, stored once', async () => {
    const started = performance.now();
    const first = await checkin('t-hh-1', leader, { note: '平安' }, { 'Idempotency-Key': 'tab-1:0001' });
    expect(first.status).toBe(201);
    expect(first.body).toEqual({ id: expect.stringMatching(/^[0-9A-Z]{26}$/), postId: 't-hh-1', t: T0 });
    server.clock.now += 5_000;
    const retry = await checkin('t-hh-1', leader, { note: '平安' }, { 'Idempotency-Key': 'tab-1:0001' });
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
    // The key in the body is the same key.
    const inBody = await checkin('t-hh-1', leader, { note: '平安', idempotencyKey: 'tab-1:0001' });
    expect(inBody.body).toEqual(first.body);
    // Concurrent retries: one row, one answer.
    const burst = await Promise.all(
      Array.from({ length: 8 }, () =>
        checkin('t-hh-2', leader, { lon: 106.706, lat: 21.991 }, { 'Idempotency-Key': 'tab-1:0002' }),
      ),
    );
    expect(new Set(burst.map((r) => `${r.status} ${r.body.id}`)).size).toBe(1);
    expect(burst[0]?.status).toBe(201);
    expect(
      rows("SELECT count(*) AS n FROM post_checkins WHERE idempotency_key IN ('tab-1:0001', 'tab-1:0002')"),
    ).toBe(2);
    console.log(`check-ins and retries in ${(performance.now() - started).toFixed(0)} ms`);
  });

  it('refuses a reused key with another body (409), two different keys (400), bad input (400)', async () => {
    const other = await checkin('t-hh-1', leader, { note: '另一次' }, { 'Idempotency-Key': 'tab-1:0001' });
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('conflict');
    const otherPost = await checkin('t-hh-3', leader, { note: '平安' }, { 'Idempotency-Key': 'tab-1:0001' });
    expect(otherPost.status).toBe(409);
    const differ = await checkin('t-hh-1', leader, { idempotencyKey: 'a' }, { 'Idempotency-Key': 'b' });
    expect(differ.status).toBe(400);
    for (const body of [
      { lon: 106.7 },
      { lon: 200, lat: 21.99 },
      { note: 5 },
      { idempotencyKey: 'has space' },
    ]) {
      const reply = await checkin('t-hh-1', leader, body);
      expect(reply.status, JSON.stringify(body)).toBe(400);
      expect(reply.body.error.code).toBe('invalid');
    }
    expect((await checkin('t-hh-1', leader, {}, { 'Idempotency-Key': 'bad key' })).status).toBe(400);
  });

  it('lets the road chief of the segment, the grid staff and the command center check a post in', async () => {
    expect((await checkin('t-hh-3', leader)).status).toBe(201); // t-seg-01 is the leader's
    expect((await checkin('t-hh-4', leader)).status).toBe(403); // t-seg-02 is not
    expect((await checkin('t-hh-3', staff)).status).toBe(201); // t-grid-1 is the staff's
    expect((await checkin('t-hh-4', staff)).status).toBe(403);
    expect((await checkin('t-hh-4', otherStaff)).status).toBe(201); // t-grid-3
    expect((await checkin('t-hh-4', operator)).status).toBe(201);
    const unknown = await checkin('t-nowhere', operator);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('not_found');
    expect((await server.request('POST', '/api/posts/t-hh-1/checkins', { body: {} })).status).toBe(401);
  });

  it('lists a post’s check-ins newest first, page by page, to those who may act for it', async () => {
    const seen: string[] = [];
    let cursor = '';
    do {
      const page = await server.request('GET', `/api/posts/t-hh-3/checkins?limit=1&cursor=${cursor}`, {
        token: operator,
      });
      expect(page.status).toBe(200);
      seen.push(...page.body.items.map((c: { id: string }) => c.id));
      cursor = page.body.nextCursor ?? '';
    } while (cursor);
    expect(seen).toHaveLength(2);
    expect([...seen].sort().reverse()).toEqual(seen);
    const list = await server.request('GET', '/api/posts/t-hh-2/checkins', { token: leader });
    expect(list.body.items).toEqual([
      expect.objectContaining({ postId: 't-hh-2', lon: 106.706, lat: 21.991, userName: 'leader', note: '' }),
    ]);
    expect(list.body.items[0]).not.toHaveProperty('idempotencyKey');
    expect((await server.request('GET', '/api/posts/t-hh-4/checkins', { token: leader })).status).toBe(403);
    expect(
      (await server.request('GET', '/api/posts/t-hh-1/checkins?cursor=x', { token: leader })).status,
    ).toBe(400);
  });
});

describe('missed check-ins', () => {
  const missed = (): AlertRecord[] =>
    (server.loop.drain().alerts as AlertRecord[]).filter((a) => a.type === 'checkin.missed');

  it('raises one warning per post and period, from the first period the server watched whole', async () => {
    server.loop.drain();
    // T0 is 16:00 local: today's periods began before the server did, so they are not judged.
    server.clock.now = local('2026-11-28', '20:00') + 30_000;
    await server.loop.tick(server.clock.now);
    expect(missed()).toEqual([]);

    // Next morning: t-hh-1 checks in at 11:00 (08–14 period); t-hh-4 (own schedule 08–10, 10–12) does not.
    server.clock.now = local('2026-11-29', '11:00');
    expect((await checkin('t-hh-1', leader)).status).toBe(201);
    server.clock.now = local('2026-11-29', '14:00') + 30_000;
    await server.loop.tick(server.clock.now);
    const morning = missed();
    expect(morning.map((a) => a.data.postId).sort()).toEqual(['t-hh-2', 't-hh-3', 't-hh-4']);
    const hh2 = morning.find((a) => a.data.postId === 't-hh-2');
    expect(hh2).toMatchObject({
      severity: 'warning',
      message: 't-hh-2户哨 08:00–14:00 未签到',
      lon: 106.706,
      lat: 21.991,
      unitId: 't-civ-1', // the road chief of t-seg-01
      gridId: 't-grid-1',
      data: {
        groupId: 't-jdg-1',
        segmentId: 't-seg-01',
        periodStart: local('2026-11-29', '08:00'),
        periodEnd: local('2026-11-29', '14:00'),
        lastCheckinAt: T0 + 5_000, // the burst of retries above
      },
    });
    expect(morning.find((a) => a.data.postId === 't-hh-4')?.message).toBe('t-hh-4户哨 10:00–12:00 未签到');

    // Exactly once: later ticks in the same period raise nothing, nor does a restarted server that finds
    // the same periods unchecked (the store keeps one alert per post and period).
    for (const later of [MIN, 2 * MIN, 3 * HOUR]) {
      server.clock.now = local('2026-11-29', '14:00') + 30_000 + later;
      await server.loop.tick(server.clock.now);
    }
    expect(missed()).toEqual([]);
    const restarted = await createClosedLoop({
      store: server.store,
      dataDir: server.dataDir,
      now: () => server.clock.now,
    });
    expect(await restarted.checkins.checkMissed(server.clock.now, T0)).toBe(0);
    const count = "SELECT count(*) AS n FROM alerts WHERE type = 'checkin.missed'";
    expect(rows(count)).toBe(3);

    // Afternoon: t-hh-2 checks in at 16:00; t-hh-1 (morning only) and t-hh-3 miss 14–20.
    server.clock.now = local('2026-11-29', '16:00');
    expect((await checkin('t-hh-2', staff)).status).toBe(201);
    server.clock.now = local('2026-11-29', '20:00') + 30_000;
    await server.loop.tick(server.clock.now);
    const afternoon = missed();
    expect(afternoon.map((a) => a.data.postId).sort()).toEqual(['t-hh-1', 't-hh-3']);
    expect(afternoon.find((a) => a.data.postId === 't-hh-1')?.data.lastCheckinAt).toBe(
      local('2026-11-29', '11:00'),
    );
    expect(rows(count)).toBe(5);
    // Facilities and posts with checkinSchedule: false were never flagged.
    expect(
      rows(
        "SELECT count(*) AS n FROM alerts WHERE json_extract(body, '$.data.postId') IN ('t-cp-1', 't-hh-5')",
      ),
    ).toBe(0);
  });
});
