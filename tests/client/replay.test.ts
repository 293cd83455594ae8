// The time machine's pure parts: tracks from history fixes, sampling (interpolation, holding across gaps,
// seeking), trails, the replay scene, the chunk windows, and incidents / alerts / joint patrols at an instant.
import { describe, expect, it } from 'vitest';
import { alertsAt, incidentsAt, jointPatrolsAt, sameRecords } from '../../client/lib/state/replay-records';
import { ReplayScene } from '../../client/lib/state/replay-scene';
import {
  MAX_INTERPOLATION_GAP_MS,
  buildTracks,
  fixIndexAt,
  sampleTrack,
  trailCoordinates,
  type HistoryFix,
  type Sample,
  type UnitTrack,
} from '../../client/lib/state/replay-tracks';
import {
  chunkStart,
  evictableChunks,
  isReady,
  neededChunks,
  type WindowPlan,
} from '../../client/lib/state/replay-window';
import { widenBbox } from '../../client/lib/state/replay.svelte';
import type { Alert, DomainEvent, Incident, JointPatrol } from '../../server/contract';
import { T0 } from './support/units';

const fix = (
  unitId: string,
  t: number,
  lon: number,
  lat = 22,
  headingDeg: number | null = null,
): HistoryFix => ({
  unitId,
  t: T0 + t,
  lon,
  lat,
  headingDeg,
  speedMps: 1.5,
});

const blank = (): Sample => ({ lon: NaN, lat: NaN, headingDeg: null, speedMps: null, t: NaN });

function trackOf(fixes: HistoryFix[]): UnitTrack {
  const track = buildTracks([fixes]).get(fixes[0]?.unitId ?? '');
  if (!track) throw new Error('no track');
  return track;
}

describe('buildTracks', () => {
  it('groups fixes per unit in time order across batches, dropping repeats of an instant', () => {
    const tracks = buildTracks([
      [fix('a', 0, 1), fix('b', 0, 10), fix('a', 5000, 2)],
      [fix('a', 5000, 2), fix('a', 10_000, 3), fix('b', 7000, 11)],
    ]);
    const a = tracks.get('a');
    expect(a?.length).toBe(3);
    expect(Array.from(a?.lon.subarray(0, 3) ?? [])).toEqual([1, 2, 3]);
    expect(tracks.get('b')?.length).toBe(2);
  });

  it('sorts a track whose batches arrived out of order', () => {
    const tracks = buildTracks([
      [fix('a', 20_000, 3)],
      [fix('a', 0, 1), fix('a', 10_000, 2), fix('a', 20_000, 3)],
    ]);
    const a = tracks.get('a');
    expect(a?.length).toBe(3);
    expect(Array.from(a?.t.subarray(0, 3) ?? []).map((t) => t - T0)).toEqual([0, 10_000, 20_000]);
    expect(Array.from(a?.lon.subarray(0, 3) ?? [])).toEqual([1, 2, 3]);
  });
});

describe('sampleTrack', () => {
  const track = trackOf([
    fix('a', 0, 106.0, 22.0, 90),
    fix('a', 10_000, 106.001, 22.0, 90),
    fix('a', 20_000, 106.001, 22.001, null),
    // a long halt, then a move
    fix('a', 20_000 + MAX_INTERPOLATION_GAP_MS + 60_000, 106.005, 22.001, 0),
  ]);

  it('is absent before the first fix and exact on a fix', () => {
    const out = blank();
    expect(sampleTrack(track, T0 - 1, out)).toBe(false);
    expect(sampleTrack(track, T0 + 10_000, out)).toBe(true);
    expect(out).toMatchObject({ lon: 106.001, lat: 22, headingDeg: 90, t: T0 + 10_000 });
  });

  it('moves in a straight line between close fixes, heading from travel when none was reported', () => {
    const out = blank();
    sampleTrack(track, T0 + 2500, out);
    expect(out.lon).toBeCloseTo(106.00025, 10);
    expect(out.headingDeg).toBe(90);
    sampleTrack(track, T0 + 15_000, out);
    expect(out.lat).toBeCloseTo(22.0005, 10);
    // fix 1 reported heading 90; between fix 2 (no heading) and 3 the unit is held (long gap)
    sampleTrack(track, T0 + 25_000, out);
    expect(out).toMatchObject({ lon: 106.001, lat: 22.001, headingDeg: null, t: T0 + 20_000 });
  });

  it('derives the heading of travel when the fix has none', () => {
    const north = trackOf([fix('n', 0, 106, 22, null), fix('n', 10_000, 106, 22.001, null)]);
    const out = blank();
    sampleTrack(north, T0 + 5000, out);
    expect(out.headingDeg).toBeCloseTo(0, 6);
    const east = trackOf([fix('e', 0, 106, 22, null), fix('e', 10_000, 106.001, 22, null)]);
    sampleTrack(east, T0 + 5000, out);
    expect(out.headingDeg).toBeCloseTo(90, 6);
  });

  it('stays at the last fix after the track ends', () => {
    const out = blank();
    sampleTrack(track, T0 + 10 * 3_600_000, out);
    expect(out).toMatchObject({ lon: 106.005, headingDeg: 0 });
  });

  it('finds the fix by stepping forward in play and by binary search on a seek back', () => {
    const long = trackOf(Array.from({ length: 1000 }, (_, i) => fix('l', i * 5000, 106 + i * 1e-4)));
    for (let t = 0; t < 5_000_000; t += 1234) {
      const expected = Math.min(999, Math.floor(t / 5000));
      expect(fixIndexAt(long, T0 + t)).toBe(expected);
    }
    expect(fixIndexAt(long, T0 + 12_345)).toBe(2);
    expect(fixIndexAt(long, T0 + 4_000_000)).toBe(800);
    expect(fixIndexAt(long, T0 - 1)).toBe(-1);
  });
});

describe('trailCoordinates', () => {
  it('runs from the fixes of the last trailMs to the sampled place', () => {
    const track = trackOf([fix('a', 0, 1), fix('a', 5000, 2), fix('a', 10_000, 3), fix('a', 15_000, 4)]);
    const head = blank();
    sampleTrack(track, T0 + 12_500, head);
    expect(trailCoordinates(track, T0 + 12_500, 8000, head)).toEqual([
      [2, 22],
      [3, 22],
      [3.5, 22],
    ]);
    // A unit halted for longer than the trail has none.
    sampleTrack(track, T0 + 60_000, head);
    expect(trailCoordinates(track, T0 + 60_000, 8000, head)).toEqual([]);
  });
});

describe('ReplayScene', () => {
  it('places units from their first fix on, with identities, and drops those without a track', () => {
    const scene = new ReplayScene();
    scene.setTracks(buildTracks([[fix('a', 0, 106), fix('b', 5000, 107), fix('a', 10_000, 106.01)]]));
    const identity = (id: string) =>
      id === 'a' ? { kind: 'military' as const, callsign: '军-1' } : undefined;
    expect(scene.sample(T0 + 1000, identity)).toBe(1);
    expect(scene.table.get('a')).toMatchObject({ kind: 'military', callsign: '军-1', stale: false });
    expect(scene.sample(T0 + 5000, identity)).toBe(2);
    // Unknown to the registry: replayed under its id.
    expect(scene.table.get('b')).toMatchObject({ callsign: 'b', lon: 107 });
    const version = scene.table.version;
    scene.sample(T0 + 7500, identity);
    expect(scene.table.version).toBeGreaterThan(version);
    expect(scene.table.get('a')?.lon).toBeCloseTo(106.0075, 10);
    const trails = scene.trails(60_000);
    expect(trails.features).toHaveLength(1);
    expect(trails.features[0]?.properties).toEqual({ unitId: 'a', kind: 'military' });

    scene.setTracks(buildTracks([[fix('b', 5000, 107)]]));
    expect(scene.sample(T0 + 7500, identity)).toBe(1);
    expect(scene.table.get('a')).toBeUndefined();
    // Seeking back before b's first fix removes it too.
    expect(scene.sample(T0, identity)).toBe(0);
  });
});

describe('replay windows', () => {
  const plan: WindowPlan = { chunkMs: 600_000, lookbackMs: 1_800_000, aheadMs: 1_200_000 };
  const range = { from: 6_000_000, to: 90_000_000 };

  it('asks for the instant’s chunk, then the lookback nearest first, then ahead', () => {
    expect(neededChunks(30_100_000, range, plan)).toEqual([
      30_000_000, 29_400_000, 28_800_000, 28_200_000, 30_600_000, 31_200_000,
    ]);
  });

  it('stays within the range (and its lookback) at both ends', () => {
    expect(neededChunks(range.from, range, plan)).toEqual([
      6_000_000, 5_400_000, 4_800_000, 4_200_000, 6_600_000, 7_200_000,
    ]);
    expect(neededChunks(range.to, range, plan)).toEqual([90_000_000, 89_400_000, 88_800_000, 88_200_000]);
    expect(chunkStart(range.to, plan.chunkMs)).toBe(90_000_000);
  });

  it('is ready once the instant and its lookback are loaded, and lets go of far chunks', () => {
    const loaded = new Set([30_000_000, 29_400_000, 28_800_000]);
    expect(isReady(30_100_000, range, plan, loaded)).toBe(false);
    loaded.add(28_200_000);
    expect(isReady(30_100_000, range, plan, loaded)).toBe(true);
    expect(
      evictableChunks(30_100_000, plan, [...loaded, 10_000_000, 27_600_000, 32_400_000, 33_000_000]),
    ).toEqual([10_000_000, 32_400_000, 33_000_000]);
  });

  it('widens the view for fetching, within the world', () => {
    expect(widenBbox([106, 22, 107, 23])).toEqual([105.5, 21.5, 107.5, 23.5]);
    expect(widenBbox([-179, -89, 179, 89])).toEqual([-180, -90, 180, 90]);
  });
});

function incident(id: string, patch: Partial<Incident>): Incident {
  return {
    id,
    category: 'dispute',
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
    status: 'reported',
    assignee: null,
    deadlineAt: null,
    createdAt: T0,
    updatedAt: T0,
    createdBy: 'operator',
    mediation: null,
    feedback: null,
    reportId: null,
    ...patch,
  };
}

function alert(id: string, t: number, acknowledgedAt: number | null): Alert {
  return {
    id,
    type: 'sos',
    severity: 'critical',
    message: id,
    lon: 106.7,
    lat: 22,
    unitId: null,
    t,
    acknowledgedBy: acknowledgedAt === null ? null : 'operator',
    acknowledgedAt,
  };
}

describe('records at an instant', () => {
  it('shows incidents from creation, gone once closed before the instant', () => {
    const list = [
      incident('new', { createdAt: T0 + 5000, updatedAt: T0 + 5000 }),
      incident('closed-early', { status: 'closed', createdAt: T0, updatedAt: T0 + 1000 }),
      incident('closed-later', { status: 'closed', createdAt: T0, updatedAt: T0 + 9000 }),
      incident('open', { status: 'dispatched', createdAt: T0 - 1000, updatedAt: T0 + 2000 }),
    ];
    expect(incidentsAt(list, T0 + 3000).map((i) => i.id)).toEqual(['open', 'closed-later']);
    expect(incidentsAt(list, T0 + 6000).map((i) => i.id)).toEqual(['new', 'open', 'closed-later']);
    expect(incidentsAt(list, T0 + 10_000).map((i) => i.id)).toEqual(['new', 'open']);
  });

  it('shows alerts from their time, unacknowledged until they were acknowledged', () => {
    const list = [alert('a', T0, T0 + 5000), alert('b', T0 + 3000, null), alert('c', T0 + 9000, null)];
    const at = alertsAt(list, T0 + 4000);
    expect(at.map((a) => [a.id, a.acknowledgedAt, a.acknowledgedBy])).toEqual([
      ['b', null, null],
      ['a', null, null],
    ]);
    expect(alertsAt(list, T0 + 6000).find((a) => a.id === 'a')).toMatchObject({
      acknowledgedAt: T0 + 5000,
      acknowledgedBy: 'operator',
    });
  });

  it('rebuilds joint patrols from their events, placed at the members’ replayed positions', () => {
    const patrol = (memberIds: string[]): JointPatrol => ({
      id: 'jp-1',
      memberIds,
      kinds: ['military', 'police'],
      lon: 106,
      lat: 22,
      formedAt: T0,
    });
    const event = (type: string, t: number, memberIds: string[]): DomainEvent => ({
      id: `${type}-${t}`,
      type,
      t: T0 + t,
      unitId: null,
      message: '',
      data: { patrol: patrol(memberIds) },
    });
    const events = [
      event('joint.formed', 0, ['a', 'b']),
      event('joint.changed', 5000, ['a', 'b', 'c']),
      event('joint.dissolved', 9000, ['a']),
    ];
    expect(jointPatrolsAt(events, T0 - 1)).toEqual([]);
    expect(jointPatrolsAt(events, T0 + 1000)[0]?.memberIds).toEqual(['a', 'b']);
    const places: Record<string, { lon: number; lat: number }> = {
      a: { lon: 106.1, lat: 22.1 },
      c: { lon: 106.3, lat: 22.3 },
    };
    const standing = jointPatrolsAt(events, T0 + 6000, (id) => places[id]);
    expect(standing[0]?.memberIds).toEqual(['a', 'b', 'c']);
    expect(standing[0]?.lon).toBeCloseTo(106.2, 10);
    expect(jointPatrolsAt(events, T0 + 9000)).toEqual([]);
  });

  it('compares record lists by id and state', () => {
    const a = [incident('x', {}), incident('y', {})];
    expect(sameRecords(a, [...a], (i) => i.status)).toBe(true);
    expect(
      sameRecords(a, [a[0] as Incident, { ...(a[1] as Incident), status: 'closed' }], (i) => i.status),
    ).toBe(false);
    expect(sameRecords(a, a.slice(0, 1), (i) => i.status)).toBe(false);
  });
});
