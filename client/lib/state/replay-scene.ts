// The replayed picture at one instant: every unit's sampled place in a unit table (which the units layer draws
// exactly as it draws the live one) and short trails behind them. Stale is never set: history keeps a fix only
// when a unit moved, so a quiet unit and a silent one look the same in it.
import type { UnitKind, UnitState } from '../../../server/contract';
import { toDisplayPosition } from '../map/basemap-gcj02';
import { UnitTable, type PositionFields } from './unit-table';
import {
  sampleTrack,
  trailCollection,
  trailCoordinates,
  type Sample,
  type TrailFeature,
  type UnitTrack,
} from './replay-tracks';

export interface UnitIdentity {
  kind: UnitKind;
  callsign: string;
}

export type IdentityOf = (id: string) => UnitIdentity | undefined;

/** A unit missing from the registry (deleted since) still replays, under its id. */
const UNKNOWN: UnitIdentity = { kind: 'civilian', callsign: '' };

export class ReplayScene {
  readonly table = new UnitTable();
  #tracks = new Map<string, UnitTrack>();
  readonly #sample: Sample = { lon: 0, lat: 0, headingDeg: null, speedMps: null, t: 0 };
  readonly #fields: PositionFields = {
    lon: 0,
    lat: 0,
    headingDeg: null,
    speedMps: null,
    accuracyMeters: null,
    t: 0,
    rx: 0,
  };
  #at: number | null = null;
  /** The tracks were replaced: units without one leave the table at the next sample. */
  #sweep = false;

  get tracks(): ReadonlyMap<string, UnitTrack> {
    return this.#tracks;
  }

  /** New tracks (another window loaded); the next sample redraws from them. */
  setTracks(tracks: Map<string, UnitTrack>): void {
    this.#tracks = tracks;
    this.#at = null;
    this.#sweep = true;
  }

  clear(): void {
    this.#tracks = new Map();
    this.#at = null;
    this.table.clear();
  }

  /** Places every unit at `at`; units not yet seen (or no longer loaded) leave the table. Returns the count. */
  sample(at: number, identityOf: IdentityOf): number {
    if (at === this.#at) return this.table.size;
    this.#at = at;
    const table = this.table;
    const sample = this.#sample;
    const fields = this.#fields;
    table.begin();
    for (const [id, track] of this.#tracks) {
      const slot = table.slot(id);
      if (!sampleTrack(track, at, sample)) {
        if (slot !== undefined) table.remove(id);
        continue;
      }
      fields.lon = sample.lon;
      fields.lat = sample.lat;
      fields.headingDeg = sample.headingDeg;
      fields.speedMps = sample.speedMps;
      fields.t = fields.rx = sample.t;
      if (slot === undefined) table.upsert(replayedState(id, identityOf(id) ?? UNKNOWN, fields));
      else table.setPosition(slot, fields);
    }
    if (this.#sweep) {
      this.#sweep = false;
      for (let slot = 0; slot < table.highWater; slot++) {
        const id = table.ids[slot];
        if (id && !this.#tracks.has(id)) table.remove(id);
      }
    }
    return table.size;
  }

  /** Trails of the units in the table at the last sampled instant. */
  trails(trailMs: number, gcj02Display = false): ReturnType<typeof trailCollection> {
    const features: TrailFeature[] = [];
    const at = this.#at;
    if (at === null) return trailCollection(features);
    const head: Sample = { lon: 0, lat: 0, headingDeg: null, speedMps: null, t: 0 };
    for (const [id, track] of this.#tracks) {
      const slot = this.table.slot(id);
      if (slot === undefined) continue;
      head.lon = this.table.lonAt(slot);
      head.lat = this.table.latAt(slot);
      const coordinates = trailCoordinates(track, at, trailMs, head);
      if (coordinates.length < 2) continue;
      features.push({
        type: 'Feature',
        properties: { unitId: id, kind: this.table.meta[slot]?.kind ?? 'civilian' },
        geometry: {
          type: 'LineString',
          coordinates: gcj02Display
            ? coordinates.map(([lon, lat]) => toDisplayPosition(lon as number, lat as number, true))
            : coordinates,
        },
      });
    }
    return trailCollection(features);
  }
}

function replayedState(id: string, identity: UnitIdentity, fields: PositionFields): UnitState {
  return {
    id,
    kind: identity.kind,
    callsign: identity.callsign || id,
    ...fields,
    gridId: null,
    sectorId: null,
    segmentId: null,
    jointPatrolId: null,
    stale: false,
  };
}
