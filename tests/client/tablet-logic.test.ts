// The tablet's plain logic: the nearest of my segments (report preselection), the accuracy circle, units near
// me, my tasks merged from REST and the stream, the moves the field may make, and the position buffer.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Incident, User, UnitState } from '../../server/contract';
import { distanceMeters } from '../../geo';
import { FixBuffer } from '../../client/views/tablet/fix-buffer';
import {
  accuracyCircle,
  boundsOf,
  nearbyUnits,
  nearestSegment,
  type SegmentFeature,
} from '../../client/views/tablet/tablet-geometry';
import { fieldMoves, isMyTask, mergeTasks } from '../../client/views/tablet/tasks';

const segment = (id: string, coordinates: [number, number][]): SegmentFeature => ({
  type: 'Feature',
  id,
  properties: { id },
  geometry: { type: 'LineString', coordinates },
});

const north = segment('seg-n', [
  [106.7, 22.01],
  [106.72, 22.01],
]);
const south = segment('seg-s', [
  [106.7, 21.99],
  [106.72, 21.99],
]);

describe('nearest segment', () => {
  it('picks the segment closest to the point, with the distance to its line', () => {
    const near = nearestSegment(106.71, 21.9905, [north, south]);
    expect(near?.id).toBe('seg-s');
    expect(near?.distanceMeters).toBeGreaterThan(50);
    expect(near?.distanceMeters).toBeLessThan(60);
    expect(nearestSegment(106.71, 22.0095, [north, south])?.id).toBe('seg-n');
    expect(nearestSegment(106.71, 22, [])).toBeNull();
  });
});

describe('accuracy circle', () => {
  it('puts every vertex at the radius from the centre, closed', () => {
    fc.assert(
      fc.property(fc.double({ min: 1, max: 2_000, noNaN: true }), (radius) => {
        const ring = accuracyCircle(106.7, 22.1, radius).coordinates[0]!;
        expect(ring[0]).toEqual(ring[ring.length - 1]);
        for (const [lon, lat] of ring) {
          expect(Math.abs(distanceMeters(106.7, 22.1, lon!, lat!) - radius) / radius).toBeLessThan(0.005);
        }
      }),
      { numRuns: 50 },
    );
  });
});

const unit = (id: string, lon: number, lat: number): UnitState => ({
  id,
  kind: 'police',
  callsign: id,
  lon,
  lat,
  headingDeg: null,
  speedMps: null,
  accuracyMeters: null,
  t: 0,
  rx: 0,
  gridId: null,
  sectorId: null,
  segmentId: null,
  jointPatrolId: null,
  stale: false,
});

describe('nearby units', () => {
  it('lists other units within the radius, nearest first, up to the limit', () => {
    const units = [
      unit('me', 106.7, 22),
      unit('far', 106.8, 22),
      unit('b', 106.702, 22),
      unit('a', 106.701, 22),
    ];
    const near = nearbyUnits(units, 106.7, 22, { excludeId: 'me', radiusMeters: 3_000, limit: 5 });
    expect(near.map((n) => n.unit.id)).toEqual(['a', 'b']);
    expect(nearbyUnits(units, 106.7, 22, { excludeId: 'me', radiusMeters: 3_000, limit: 1 })).toHaveLength(1);
  });
});

describe('bounds', () => {
  it('covers every position of the segments', () => {
    expect(boundsOf([north, south])).toEqual([106.7, 21.99, 106.72, 22.01]);
    expect(boundsOf([])).toBeNull();
  });
});

const leader: User = {
  id: 'u-leader',
  username: 'leader',
  role: 'leader',
  unitId: 'px-rc-01',
  segmentIds: ['px-seg-01'],
  areaId: null,
  staffId: null,
};

const incident = (id: string, patch: Partial<Incident>): Incident => ({
  id,
  category: 'other',
  summary: id,
  description: '',
  source: 'hotline',
  reporter: null,
  lon: 106.7,
  lat: 22,
  gridId: null,
  sectorId: null,
  postId: null,
  segmentId: null,
  level: 'grid',
  status: 'dispatched',
  assignee: { type: 'unit', id: 'px-rc-01', name: '路长-01' },
  deadlineAt: null,
  createdAt: 1,
  updatedAt: 1,
  createdBy: 'u-op',
  mediation: null,
  feedback: null,
  reportId: null,
  ...patch,
});

describe('my tasks', () => {
  it('are incidents assigned to my unit or to me by name, not those I merely see', () => {
    expect(isMyTask(incident('a', {}), leader)).toBe(true);
    expect(isMyTask(incident('b', { assignee: { type: 'user', id: 'u-leader', name: 'x' } }), leader)).toBe(
      true,
    );
    expect(isMyTask(incident('c', { assignee: { type: 'unit', id: 'px-rc-02', name: 'x' } }), leader)).toBe(
      false,
    );
    expect(isMyTask(incident('d', { assignee: { type: 'staff', id: 'px-rc-01', name: 'x' } }), leader)).toBe(
      false,
    );
    expect(isMyTask(incident('e', { assignee: null }), leader)).toBe(false);
  });

  it('take the stream’s newer versions over the fetched list, drop closed ones, urgent first', () => {
    const fetched = [
      incident('old', { status: 'dispatched', updatedAt: 10 }),
      incident('gone', { status: 'in_progress', updatedAt: 10 }),
      incident('stays', { status: 'resolved', updatedAt: 12 }),
    ];
    const streamed = [
      incident('old', { status: 'in_progress', updatedAt: 20 }),
      incident('gone', { status: 'verified', updatedAt: 21 }),
      incident('new', { status: 'dispatched', updatedAt: 22 }),
      incident('stays', { status: 'dispatched', updatedAt: 5 }), // an older version arriving late
      incident('theirs', { assignee: { type: 'unit', id: 'px-rc-02', name: 'x' }, updatedAt: 23 }),
    ];
    expect(mergeTasks(fetched, streamed, leader).map((i) => `${i.id}:${i.status}`)).toEqual([
      'old:in_progress',
      'new:dispatched',
      'stays:resolved',
    ]);
  });

  it('offer accept, start or hand back, and resolve (with a note), and nothing while waiting', () => {
    expect(fieldMoves('reported').map((m) => m.to)).toEqual(['accepted']);
    expect(fieldMoves('dispatched')).toEqual([
      { to: 'in_progress', primary: true, needsNote: false },
      { to: 'accepted', primary: false, needsNote: true },
    ]);
    expect(fieldMoves('in_progress')).toEqual([{ to: 'resolved', primary: true, needsNote: true }]);
    expect(fieldMoves('accepted')).toEqual([]);
    expect(fieldMoves('resolved')).toEqual([]);
  });
});

describe('position buffer', () => {
  const fix = (t: number) => ({ lon: 106.7, lat: 22, t, accuracyMeters: 5 });

  it('keeps fixes about 5 s apart while waiting, always the newest, oldest out first', () => {
    const buffer = new FixBuffer({ minGapMs: 5_000, capacity: 100 });
    for (let t = 0; t <= 12_000; t += 1_000) buffer.push(fix(t));
    const kept: (number | undefined)[] = [];
    while (buffer.size > 0) kept.push(buffer.take()?.t);
    expect(kept).toEqual([0, 4_000, 8_000, 12_000]);
    // An hour at 1 Hz stays a track of about 720 fixes.
    const hour = new FixBuffer({ minGapMs: 5_000, capacity: 10_000 });
    for (let t = 0; t < 3_600_000; t += 1_000) hour.push(fix(t));
    expect(hour.size).toBeGreaterThan(700);
    expect(hour.size).toBeLessThan(1_000);
  });

  it('drops the oldest beyond its capacity, ignores fixes out of order, and puts a failed send back first', () => {
    const buffer = new FixBuffer({ minGapMs: 0, capacity: 3 });
    for (const t of [1, 2, 3, 4, 3]) buffer.push(fix(t));
    expect(buffer.size).toBe(3);
    const first = buffer.take()!;
    expect(first.t).toBe(2);
    buffer.putBack(first);
    expect([buffer.take()?.t, buffer.take()?.t, buffer.take()?.t]).toEqual([2, 3, 4]);
  });
});
