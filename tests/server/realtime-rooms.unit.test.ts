// The room book without sockets: a room's share of each delta, its own gap-free seq, an incident that
// leaves a scope sent once more and then let go, re-scoping after a layer import, and a room closed after
// standing empty reopening past its last seq (so a returning client gets a snapshot, not a wrong replay).
import fs from 'node:fs';
import path from 'node:path';
import type { FeatureCollection } from 'geojson';
import { describe, expect, it } from 'vitest';
import type { Delta, Incident, Snapshot, UnitState, User } from '../../server/contract';
import { createRouter, type Router } from '../../server/domain/routing';
import { ROOM_IDLE_MS, createRoomBook, type RoomBook } from '../../server/realtime/room-book';
import { seesUnit } from '../../server/realtime/scopes';
import { FIXTURE_SCENARIO } from '../support/server';

const layer = (name: string): FeatureCollection =>
  JSON.parse(fs.readFileSync(path.join(FIXTURE_SCENARIO, `${name}.geojson`), 'utf8')) as FeatureCollection;
const EMPTY: FeatureCollection = { type: 'FeatureCollection', features: [] };

/** The fixture's grids, optionally under a community (parentId), as a router. */
function router(parentOfGrid1: string | null): Router {
  const grids = layer('grids');
  for (const grid of grids.features)
    if (grid.id === 't-grid-1' && grid.properties) grid.properties.parentId = parentOfGrid1;
  return createRouter({ grids, areas: EMPTY, sectors: EMPTY, posts: EMPTY, segments: layer('segments') });
}

const user = (patch: Partial<User>): User => ({
  id: 'u-1',
  username: 'someone',
  role: 'operator',
  unitId: null,
  segmentIds: [],
  areaId: null,
  staffId: null,
  ...patch,
});

const unit = (id: string, gridId: string | null, segmentId: string | null = null): UnitState => ({
  id,
  kind: 'police',
  callsign: id,
  lon: gridId === 't-grid-2' ? 106.73 : 106.71,
  lat: 21.99,
  headingDeg: null,
  speedMps: null,
  accuracyMeters: null,
  t: 1,
  rx: 1,
  gridId,
  sectorId: null,
  segmentId,
  jointPatrolId: null,
  stale: false,
});

const incident = (id: string, patch: Partial<Incident>): Incident => ({
  id,
  category: 'other',
  summary: id,
  description: '',
  source: 'hotline',
  reporter: null,
  lon: 106.71,
  lat: 21.99,
  gridId: null,
  sectorId: null,
  postId: null,
  segmentId: null,
  level: 'grid',
  status: 'dispatched',
  assignee: null,
  deadlineAt: null,
  createdAt: 1,
  updatedAt: 1,
  createdBy: 'someone-else',
  mediation: null,
  feedback: null,
  reportId: null,
  ...patch,
});

/** A live picture, its room book, and deltas numbered like the broadcaster's. */
function world(initialRouter: Router) {
  const units = new Map<string, UnitState>();
  const members = new Map<string, number>();
  let clock = 0;
  let currentRouter = initialRouter;
  let seq = 0;
  const snapshot = (): Snapshot => ({
    epoch: 'E',
    seq,
    units: [...units.values()],
    incidents: [],
    alerts: [],
    jointPatrols: [],
    layersVersion: 1,
  });
  const book: RoomBook = createRoomBook({
    epoch: 'E',
    router: () => currentRouter,
    unit: (id) => units.get(id),
    openIncidents: () => [],
    snapshot,
    members: (room) => members.get(room) ?? 0,
    now: () => clock,
  });
  const delta = (patch: Partial<Delta>): Delta => {
    for (const u of patch.units?.upsert ?? []) units.set(u.id, u);
    for (const id of patch.units?.remove ?? []) units.delete(id);
    return {
      epoch: 'E',
      seq: ++seq,
      units: { upsert: [], remove: [] },
      incidents: [],
      alerts: [],
      events: [],
      jointPatrols: { upsert: [], remove: [] },
      ...patch,
    };
  };
  const open = (who: User) => book.open(book.scopeOf(who), snapshot(), book.places());
  return {
    book,
    units,
    members,
    delta,
    open,
    snapshot,
    tick: (ms: number) => (clock += ms),
    setRouter: (next: Router) => (currentRouter = next),
  };
}

describe('scoped rooms', () => {
  it('numbers only the deltas that concern the scope, so its clients see no gap', () => {
    const w = world(router(null));
    w.units.set('in', unit('in', 't-grid-1'));
    const room = w.open(user({ areaId: 't-grid-1' }));
    expect(room.snapshot(w.snapshot(), w.book.places()).units.map((u) => u.id)).toEqual(['in']);
    const start = room.seq();
    expect(w.book.publish(w.delta({ units: { upsert: [unit('out', 't-grid-2')], remove: [] } }))).toEqual([]);
    const [share] = w.book.publish(w.delta({ units: { upsert: [unit('in', 't-grid-1')], remove: [] } }));
    expect(share?.share.delta.seq).toBe(start + 1);
    expect(share?.share.delta.units.upsert.map((u) => u.id)).toEqual(['in']);
    expect(room.since('E', start)?.map((d) => d.seq)).toEqual([start + 1]);
  });

  it('sends an incident leaving the scope once more, in the state it left in, then no more', () => {
    const w = world(router(null));
    const leader = user({ id: 'u-l', role: 'leader', unitId: 'unit-a', segmentIds: ['t-seg-01'] });
    const room = w.open(leader);
    const mine = incident('i-1', { assignee: { type: 'unit', id: 'unit-a', name: 'A' } });
    const share = (i: Incident) => w.book.publish(w.delta({ incidents: [i] }))[0]?.share.delta.incidents;
    expect(share(mine)).toEqual([mine]);
    const reassigned = {
      ...mine,
      assignee: { type: 'unit' as const, id: 'unit-b', name: 'B' },
      updatedAt: 2,
    };
    expect(share(reassigned)).toEqual([reassigned]);
    expect(share({ ...reassigned, updatedAt: 3 })).toBeUndefined();
    expect(room.seq()).toBeGreaterThan(0);
  });

  it('re-scopes its rooms when the grid hierarchy changes, adding and taking back units', () => {
    const w = world(router(null));
    w.units.set('g1', unit('g1', 't-grid-1'));
    w.units.set('g2', unit('g2', 't-grid-2'));
    const room = w.open(user({ areaId: 'c-1' }));
    expect(room.snapshot(w.snapshot(), w.book.places()).units).toEqual([]);
    w.setRouter(router('c-1'));
    const [first] = w.book.publish(w.delta({ events: [], units: { upsert: [], remove: [] } }));
    expect(first?.share.delta.units).toEqual({ upsert: [w.units.get('g1')], remove: [] });
    w.setRouter(router(null));
    const [second] = w.book.publish(w.delta({}));
    expect(second?.share.delta.units).toEqual({ upsert: [], remove: ['g1'] });
  });

  it('keeps every client model equal to its scope of the live picture, over many random moves', () => {
    const w = world(router(null));
    // A leader (unit u-0, segment 1) and an operator of grid 2; 200 units wandering between places.
    const leaderRoom = w.open(user({ id: 'u-l', role: 'leader', unitId: 'u-0', segmentIds: ['t-seg-01'] }));
    const areaRoom = w.open(user({ areaId: 't-grid-2' }));
    const places: [string | null, string | null][] = [
      ['t-grid-1', null],
      ['t-grid-1', 't-seg-01'],
      ['t-grid-2', null],
      ['t-grid-2', 't-seg-02'],
      [null, 't-seg-01'],
      [null, null],
    ];
    let random = 42;
    const next = (n: number): number => {
      random = (random * 1_103_515_245 + 12_345) % 2 ** 31;
      return random % n;
    };
    const models = new Map([leaderRoom, areaRoom].map((room) => [room, new Map<string, UnitState>()]));
    for (let flush = 0; flush < 150; flush++) {
      const upsert: UnitState[] = [];
      const ids = new Set<string>();
      for (let k = 0; k < 30; k++) ids.add(`u-${next(200)}`);
      for (const id of ids) {
        const [gridId, segmentId] = places[next(places.length)] ?? [null, null];
        upsert.push({ ...unit(id, gridId, segmentId), t: flush });
      }
      const gone = flush % 10 === 9 ? [`u-${next(200)}`].filter((id) => !ids.has(id)) : [];
      for (const { room, share } of w.book.publish(w.delta({ units: { upsert, remove: gone } }))) {
        const model = models.get(room);
        for (const u of share.delta.units.upsert) model?.set(u.id, u);
        for (const id of share.delta.units.remove) model?.delete(id);
      }
      for (const [room, model] of models) {
        const expected = [...w.units.values()]
          .filter((u) => seesUnit(room.scope(), u))
          .map((u) => u.id)
          .sort();
        expect([...model.keys()].sort(), `${room.room} after flush ${flush}`).toEqual(expected);
        for (const u of model.values()) expect(u).toBe(w.units.get(u.id));
      }
    }
  });

  it('closes a room left empty past ROOM_IDLE_MS and reopens it past its last seq', () => {
    const w = world(router(null));
    const who = user({ areaId: 't-grid-1' });
    const room = w.open(who);
    w.members.set(room.room, 1);
    for (let i = 0; i < 3; i++)
      w.book.publish(w.delta({ units: { upsert: [unit('u', 't-grid-1')], remove: [] } }));
    const last = room.seq();
    expect(last).toBe(3);
    w.members.set(room.room, 0);
    w.book.publish(w.delta({}));
    w.tick(ROOM_IDLE_MS - 1);
    w.book.publish(w.delta({}));
    expect(w.book.get(room.room)).toBe(room);
    w.tick(2);
    w.book.publish(w.delta({}));
    expect(w.book.get(room.room)).toBeUndefined();
    const reopened = w.open(who);
    expect(reopened.seq()).toBeGreaterThan(last);
    // A client of the old room asking from its last seq gets null: a snapshot, not another room's deltas.
    expect(reopened.since('E', last)).toBeNull();
    expect(reopened.since('E', reopened.seq())).toEqual([]);
  });
});
