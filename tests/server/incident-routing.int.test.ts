// Incident intake over real HTTP and SQLite: routing by category and roster, places, lists, privacy.
import Database from 'better-sqlite3';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startClosedLoopServer, type ClosedLoopServer } from './closed-loop-support';

let server: ClosedLoopServer;
let operator: string;
let staff: string;

const create = (body: Record<string, unknown>, token = operator, headers: Record<string, string> = {}) =>
  server.request('POST', '/api/incidents', {
    token,
    headers,
    body: { summary: '热线来电', source: 'hotline', category: 'other', ...body },
  });

beforeAll(async () => {
  server = await startClosedLoopServer();
  operator = (await server.login('operator')).token;
  staff = (await server.login('staff')).token;
});
afterAll(async () => server.close());

describe('routing to the 7+X roster', () => {
  it.each([
    ['dispute', 't3-judicial'],
    ['public_order', 't3-police'],
    ['smuggling', 't3-police'],
    ['illegal_crossing', 't3-police'],
    ['fire', 't3-fire'],
    ['safety', 't3-fire'],
    ['environment', 't3-supervisor'],
    ['food_drug', 't3-supervisor'],
    ['petition', 't3-secretary'],
    ['other', 't3-manager'],
  ])('%s in a full grid → %s', async (category, staffId) => {
    const reply = await create({ category, lon: 106.75, lat: 21.99 });
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({
      category,
      status: 'reported',
      gridId: 't-grid-3',
      sectorId: 't-sector-2',
      level: 'grid',
      assignee: { type: 'staff', id: staffId },
      source: 'hotline',
      reportId: null,
      mediation: null,
      feedback: null,
    });
    expect(reply.body.id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
  });

  it('falls back to the grid manager when the grid has nobody in the role', async () => {
    const reply = await create({ category: 'fire', lon: 106.71, lat: 21.99 });
    expect(reply.body).toMatchObject({ gridId: 't-grid-1', level: 'grid', assignee: { id: 't-staff-1' } });
  });

  it('goes up to the community level when the grid has no staff at all', async () => {
    const reply = await create({ category: 'fire', lon: 106.73, lat: 21.99 });
    expect(reply.body).toMatchObject({ gridId: 't-grid-2', level: 'community', assignee: null });
  });

  it('routes a place outside every grid to the city level with gridId null', async () => {
    const reply = await create({ category: 'public_order', lon: 106.9, lat: 21.5 });
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({ gridId: null, sectorId: null, level: 'city', assignee: null });
    const { body } = await server.request('GET', `/api/incidents/${reply.body.id}`, { token: operator });
    expect(body.timeline[0].note).toMatch(/outside every grid/);
  });
});

describe('places', () => {
  it('takes a grid id alone and puts the incident inside that grid', async () => {
    const reply = await create({ gridId: 't-grid-3' });
    expect(reply.body).toMatchObject({ gridId: 't-grid-3', level: 'grid' });
    expect(reply.body.lon).toBeGreaterThan(106.74);
    expect(reply.body.lon).toBeLessThan(106.76);
    expect(reply.body.lat).toBeGreaterThan(21.98);
  });

  it('takes a post id and uses the post’s location (its own grid when it lies outside grids)', async () => {
    const inside = await create({ postId: 't-post-1', category: 'dispute' });
    expect(inside.body).toMatchObject({ postId: 't-post-1', lon: 106.75, lat: 21.99, gridId: 't-grid-3' });
    const outside = await create({ postId: 't-post-2' });
    expect(outside.body).toMatchObject({
      postId: 't-post-2',
      lon: 106.8,
      gridId: 't-grid-3',
      sectorId: null,
    });
  });

  it.each([
    [{}, /lon/],
    [{ lon: 106.75 }, /lon and lat/],
    [{ gridId: 'no-such-grid' }, /gridId/],
    [{ postId: 'no-such-post' }, /postId/],
    [{ lon: 200, lat: 21 }, /lon/],
    [{ lon: 106.75, lat: 21.99, category: 'weather' }, /category/],
    [{ lon: 106.75, lat: 21.99, source: 'rumour' }, /source/],
    [{ lon: 106.75, lat: 21.99, summary: '' }, /summary/],
  ])('400 for %j', async (body, message) => {
    const reply = await create(body);
    expect(reply.status).toBe(400);
    expect(reply.body.error).toEqual({ code: 'invalid', message: expect.stringMatching(message) });
  });

  it('needs a token', async () => {
    expect((await create({ gridId: 't-grid-3' }, '')).status).toBe(401);
  });
});

describe('idempotent intake', () => {
  it('answers a retried key with the same incident, stored once; another body under it is 409', async () => {
    const body = { gridId: 't-grid-3', idempotencyKey: 'call-962347-0001' };
    const replies = await Promise.all([create(body), create(body), create(body)]);
    expect(replies.map((r) => r.status)).toEqual([201, 201, 201]);
    expect(new Set(replies.map((r) => String(r.body.id))).size).toBe(1);
    const other = await create({ ...body, summary: '另一件事' });
    expect(other.status).toBe(409);
    const db = new Database(path.join(server.dataDir, 'lianfang.db'), { readonly: true });
    const n = db
      .prepare("SELECT count(*) AS n FROM incidents WHERE idempotency_key = 'call-962347-0001'")
      .get();
    db.close();
    expect(n).toEqual({ n: 1 });
  });
});

describe('idempotent intake under a real race', () => {
  it('answers every concurrent call with the one stored incident', async () => {
    const { user } = await server.login('operator');
    const input = {
      category: 'other' as const,
      summary: '并发',
      source: 'hotline' as const,
      gridId: 't-grid-3',
      idempotencyKey: 'race-1',
    };
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => server.loop.incidents.create(user, input)),
    );
    expect(new Set(answers.map((a) => a.id)).size).toBe(1);
    const db = new Database(path.join(server.dataDir, 'lianfang.db'), { readonly: true });
    const n = db.prepare("SELECT count(*) AS n FROM incidents WHERE idempotency_key = 'race-1'").get();
    const audit = db
      .prepare('SELECT count(*) AS n FROM incident_audit WHERE incident_id = ?')
      .get(answers[0]?.id);
    db.close();
    expect([n, audit]).toEqual([{ n: 1 }, { n: 1 }]);
  });
});

describe('lists and reads', () => {
  it('filters by status, category, grid, bbox and since, newest first, with ULID cursors', async () => {
    server.clock.now += 60_000;
    const since = server.clock.now;
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      server.clock.now += 1;
      ids.push((await create({ category: 'environment', lon: 106.745, lat: 21.985 })).body.id);
    }
    const pages: string[][] = [];
    let cursor = '';
    do {
      const reply = await server.request(
        'GET',
        `/api/incidents?category=environment&gridId=t-grid-3&status=reported&since=${since}&limit=2&cursor=${cursor}`,
        { token: operator },
      );
      expect(reply.status).toBe(200);
      pages.push(reply.body.items.map((i: { id: string }) => i.id));
      cursor = reply.body.nextCursor ?? '';
    } while (cursor);
    expect(pages.map((p) => p.length)).toEqual([2, 2, 1]);
    expect(pages.flat()).toEqual([...ids].reverse());
    const inBox = await server.request('GET', '/api/incidents?bbox=106.744,21.984,106.746,21.986', {
      token: operator,
    });
    expect(inBox.body.items.map((i: { id: string }) => i.id).sort()).toEqual([...ids].sort());
    for (const bad of ['status=done', 'category=x', 'bbox=1,2', 'limit=0', 'cursor=abc', 'since=yesterday']) {
      expect((await server.request('GET', `/api/incidents?${bad}`, { token: operator })).status).toBe(400);
    }
  });

  it('shows staff their grid’s incidents only', async () => {
    const mine = (await create({ lon: 106.71, lat: 21.99 })).body.id;
    const theirs = (await create({ lon: 106.75, lat: 21.99 })).body.id;
    const reply = await server.request('GET', '/api/incidents?limit=1000', { token: staff });
    const ids = reply.body.items.map((i: { id: string }) => i.id);
    expect(ids).toContain(mine);
    expect(ids).not.toContain(theirs);
    expect(reply.body.items.every((i: any) => i.gridId === 't-grid-1')).toBe(true);
  });

  it('keeps the reporter out of lists and records every full read', async () => {
    const reporter = { name: '王女士', phone: '13800000000' };
    const { id } = (await create({ gridId: 't-grid-3', reporter })).body;
    const list = await server.request('GET', '/api/incidents?limit=1', { token: operator });
    expect(list.body.items[0]).toMatchObject({ id, reporter: null });
    const read = await server.request('GET', `/api/incidents/${id}`, { token: operator });
    expect(read.body.reporter).toEqual(reporter);
    expect(server.loop.openIncidents().find((i) => i.id === id)?.reporter).toBeNull();
    const db = new Database(path.join(server.dataDir, 'lianfang.db'), { readonly: true });
    const reads = db.prepare('SELECT count(*) AS n FROM incident_reads WHERE incident_id = ?').get(id);
    db.close();
    expect(reads).toEqual({ n: 1 });
  });

  it('drains every change once for the next delta', async () => {
    server.loop.drain();
    const { id } = (await create({ gridId: 't-grid-3' })).body;
    await server.request('POST', `/api/incidents/${id}/transitions`, {
      token: operator,
      body: { to: 'rejected' },
    });
    const drained = server.loop.drain();
    expect(drained.incidents.map((i) => [i.id, i.status])).toEqual([[id, 'rejected']]);
    expect(server.loop.drain().incidents).toEqual([]);
    expect(server.loop.openIncidents().some((i) => i.id === id)).toBe(false);
  });
});
