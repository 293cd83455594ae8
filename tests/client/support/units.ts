// Unit states and a seeded random source for the client's unit tests.
import type { Delta, Snapshot, UnitState } from '../../../server/contract';

export const T0 = 1_750_000_000_000;

export function unitState(id: string, patch: Partial<UnitState> = {}): UnitState {
  return {
    id,
    kind: 'police',
    callsign: id.toUpperCase(),
    lon: 106.75,
    lat: 22.05,
    headingDeg: 90,
    speedMps: 1.5,
    accuracyMeters: 5,
    t: T0,
    rx: T0,
    gridId: null,
    sectorId: null,
    segmentId: null,
    jointPatrolId: null,
    stale: false,
    ...patch,
  };
}

/** A delta that only moves units (no incidents, alerts or events). */
export function unitsDelta(seq: number, upsert: UnitState[], remove: string[] = [], epoch = 'E'): Delta {
  return { epoch, seq, units: { upsert, remove }, incidents: [], alerts: [], events: [] };
}

/** A snapshot of these units and nothing else. */
export function unitsSnapshot(seq: number, units: UnitState[] = [], epoch = 'E'): Snapshot {
  return { epoch, seq, units, incidents: [], alerts: [], jointPatrols: [], layersVersion: 1 };
}

/** A seeded generator, so a failure reproduces. */
export function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}
