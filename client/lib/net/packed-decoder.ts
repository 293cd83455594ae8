// Turns `delta:packed` back into the Delta the JSON path produces: each 16-byte record is merged onto the
// unit's current state (the server sends a unit in meta whenever a field outside the record changed), so the
// stores downstream never know which encoding the server used.
import {
  type Delta,
  type PackedDelta,
  type PackedSnapshot,
  type Snapshot,
  type UnitIndexEntry,
  type UnitState,
} from '../../../server/contract';
import { readPackedPositions } from '../../../server/packed-codec';

export interface PackedDecoder {
  /** Replaces the index table: a snapshot starts the stream over. */
  reset(entries: UnitIndexEntry[]): void;
  /** Adds the indexes assigned in deltas this client got another way (a resync's JSON deltas). */
  assign(entries: UnitIndexEntry[]): void;
  /**
   * The equivalent Delta, or null when a record names an index or a unit this client does not hold: the
   * stream is out of step and only a fresh snapshot repairs it.
   */
  decode(packed: PackedDelta, current: (id: string) => UnitState | undefined): Delta | null;
  /** The unit an index names, for stores that read records in place (units.svelte.ts). */
  idOf(index: number): string | undefined;
  /** Bumped by reset(): indexes a store cached before name nothing after. */
  readonly generation: number;
}

export function isPackedSnapshot(snapshot: Snapshot): snapshot is PackedSnapshot {
  return Array.isArray((snapshot as Partial<PackedSnapshot>).unitIndex);
}

/** A resync answer with the indexes assigned in the deltas it replays (only packed clients get them). */
export function hasUnitIndex(value: object): value is { unitIndex: UnitIndexEntry[] } {
  return Array.isArray((value as { unitIndex?: unknown }).unitIndex);
}

export function createPackedDecoder(): PackedDecoder {
  const idOf = new Map<number, string>();
  let generation = 0;
  const assign = (entries: UnitIndexEntry[]): void => {
    for (const [index, id] of entries) idOf.set(index, id);
  };
  return {
    reset(entries) {
      idOf.clear();
      generation++;
      assign(entries);
    },
    assign,
    idOf: (index) => idOf.get(index),
    get generation() {
      return generation;
    },
    decode(packed, current) {
      assign(packed.ids);
      const upsert: UnitState[] = [...packed.meta];
      let complete = true;
      readPackedPositions(packed, (index, position) => {
        const id = idOf.get(index);
        const before = id === undefined ? undefined : current(id);
        if (before) upsert.push({ ...before, ...position });
        else complete = false;
      });
      if (!complete) return null;
      const delta: Delta = {
        epoch: packed.epoch,
        seq: packed.seq,
        units: { upsert, remove: packed.remove },
        incidents: packed.incidents,
        alerts: packed.alerts,
        events: packed.events,
      };
      if (packed.jointPatrols) delta.jointPatrols = packed.jointPatrols;
      return delta;
    },
  };
}
