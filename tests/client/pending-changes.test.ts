// Pending changes (a drain-once-per-frame buffer for record layers): latest upsert wins, remove cancels, reset voids what came before.
import { describe, expect, it } from 'vitest';
import { PendingChanges } from '../../client/lib/state/pending-changes';
import type { UnitState } from '../../server/contract';

const unit = (id: string, lon: number): UnitState => ({
  id,
  kind: 'police',
  callsign: id,
  lon,
  lat: 22,
  headingDeg: null,
  speedMps: null,
  accuracyMeters: null,
  t: 1,
  rx: 1,
  gridId: null,
  sectorId: null,
  segmentId: null,
  jointPatrolId: null,
  stale: false,
});

describe('PendingChanges', () => {
  it('coalesces upserts by id and lets a remove cancel an upsert', () => {
    const pending = new PendingChanges<UnitState>();
    pending.upsert(unit('a', 1));
    pending.upsert(unit('a', 2));
    pending.upsert(unit('b', 3));
    pending.remove('b');
    const drained = pending.drain();
    expect(drained).toEqual({ reset: false, upsert: [unit('a', 2)], remove: ['b'] });
    expect(pending.empty).toBe(true);
  });

  it('reports a reset once, then starts clean', () => {
    const pending = new PendingChanges<UnitState>();
    pending.upsert(unit('a', 1));
    pending.reset();
    pending.upsert(unit('c', 1));
    expect(pending.drain()).toEqual({ reset: true, upsert: [unit('c', 1)], remove: [] });
    expect(pending.drain()).toEqual({ reset: false, upsert: [], remove: [] });
  });
});
