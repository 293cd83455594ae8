// A recorded packed position stream for the client benchmark, made deterministically with the server's own
// packed encoder: N units around Pingxiang (all in the wall's default view), every one of them moving a few
// metres each second, a few changing state (stale, joint patrol) per second as a real stream does. The same
// moves also at the server's cadence (a flush every 100 ms: ten deltas a second, a tenth of the units each).
import type { PackedDelta, PackedSnapshot, UnitState } from '../../server/contract';
import { createPackedEncoder } from '../../server/realtime/packed-encoder';

export interface RecordedStream {
  snapshot: PackedSnapshot;
  /** seq 2, 3, …, one per second of the recording. */
  deltas: PackedDelta[];
  /** The same moves as the server flushes them (FLUSH_MS 100): seq 2, 3, …, ten per second; empty unless asked. */
  tenths: PackedDelta[];
  units: number;
}

/** Deltas a second at the server's cadence. */
export const FLUSHES_PER_SECOND = 10;

const KINDS = ['military', 'police', 'civilian'] as const;
export const STREAM_EPOCH = 'bench';
const T0 = Date.UTC(2026, 10, 29, 8, 0, 0);
/** Metres per degree of latitude, and of longitude at 22° N. */
const M_LAT = 110_800;
const M_LON = 103_300;

function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    // mulberry32
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

export function recordStream(
  units: number,
  seconds: number,
  options: { tenths?: boolean; seed?: number } = {},
): RecordedStream {
  const next = seeded(options.seed ?? 20261129);
  const encoder = createPackedEncoder();
  // A second encoder for the ten-a-second stream: same snapshot and index table, its own seq.
  const tenthsEncoder = options.tenths ? createPackedEncoder() : null;
  const states: UnitState[] = [];
  for (let i = 0; i < units; i++) {
    states.push({
      id: `bu-${i}`,
      kind: KINDS[i % 3] as (typeof KINDS)[number],
      callsign: `${['军', '警', '民'][i % 3]}-${i}`,
      lon: 106.55 + next() * 0.5,
      lat: 21.85 + next() * 0.5,
      headingDeg: Math.floor(next() * 240) * 1.5,
      speedMps: 1.5,
      accuracyMeters: 5,
      t: T0,
      rx: T0 + 50,
      gridId: null,
      sectorId: null,
      segmentId: null,
      jointPatrolId: null,
      stale: next() < 0.02,
    });
  }
  const base = { epoch: STREAM_EPOCH, incidents: [], alerts: [], events: [] };
  encoder.encode({ ...base, seq: 1, units: { upsert: states, remove: [] } });
  tenthsEncoder?.encode({ ...base, seq: 1, units: { upsert: states, remove: [] } });
  const snapshot = encoder.snapshot({
    epoch: STREAM_EPOCH,
    seq: 1,
    units: [],
    incidents: [],
    alerts: [],
    jointPatrols: [],
    layersVersion: 1,
  });
  const deltas: PackedDelta[] = [];
  const tenths: PackedDelta[] = [];
  for (let second = 1; second <= seconds; second++) {
    const t = T0 + second * 1000;
    const upsert = states.map((unit, i) => {
      const heading = ((unit.headingDeg ?? 0) + (next() - 0.5) * 30 + 360) % 360;
      const metres = 1 + next() * 2;
      const rad = (heading * Math.PI) / 180;
      const moved: UnitState = {
        ...unit,
        lon: unit.lon + (Math.sin(rad) * metres) / M_LON,
        lat: unit.lat + (Math.cos(rad) * metres) / M_LAT,
        headingDeg: Math.round(heading / 1.5) * 1.5,
        t,
        rx: t + 50 + Math.floor(next() * 200),
        // About one unit in a thousand changes state each second: it travels in meta, as the server sends it.
        stale: next() < 0.0005 ? !unit.stale : unit.stale,
        jointPatrolId: next() < 0.0005 ? (unit.jointPatrolId ? null : `jp-${i}`) : unit.jointPatrolId,
      };
      states[i] = moved;
      return moved;
    });
    deltas.push(encoder.encode({ ...base, seq: second + 1, units: { upsert, remove: [] } }));
    // Each flush carries the units whose fixes came in its 100 ms: here every tenth unit, spread over the map.
    for (let flush = 0; flush < FLUSHES_PER_SECOND && tenthsEncoder; flush++) {
      const share = upsert.filter((_, i) => i % FLUSHES_PER_SECOND === flush);
      const seq = (second - 1) * FLUSHES_PER_SECOND + flush + 2;
      tenths.push(tenthsEncoder.encode({ ...base, seq, units: { upsert: share, remove: [] } }));
    }
  }
  return { snapshot, deltas, tenths, units };
}
