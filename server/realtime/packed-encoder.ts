// Packs each published delta once for the packed room: a u16 index per unit per epoch, a 16-byte record per
// moved unit, full states (meta) for the rest. It mirrors the published unit states, because a record is
// merged onto what the client already holds: a packed client's snapshot is that mirror, never the live state
// (which may be ahead of the last delta, and a record would then land on fields the client never saw).
import {
  type Delta,
  type PackedDelta,
  type PackedSnapshot,
  type Snapshot,
  type UnitIndexEntry,
  type UnitState,
} from '../contract';
import { PACKED_MAX_INDEX, PACKED_RECORD_BYTES, packedFrame, writePackedPosition } from '../packed-codec';

export interface PackedEncoder {
  /** The packed form of a published delta; call once per delta, in seq order. */
  encode(delta: Delta): PackedDelta;
  /** A snapshot whose units are exactly what the packed stream so far describes, with the index table. */
  snapshot(base: Snapshot): PackedSnapshot;
  /** Index assignments made after sinceSeq (what a client resyncing from sinceSeq has not seen). */
  assignedSince(sinceSeq: number): UnitIndexEntry[];
  /** Starts the epoch from units its clients get in their snapshot (a scoped room opened mid-epoch). */
  seed(epoch: string, seq: number, units: readonly UnitState[]): void;
}

/** The fields a record does not carry: a change to any of them sends the unit in meta. */
function hasSameMeta(a: UnitState, b: UnitState): boolean {
  return (
    a.kind === b.kind &&
    a.callsign === b.callsign &&
    a.gridId === b.gridId &&
    a.sectorId === b.sectorId &&
    a.segmentId === b.segmentId &&
    a.jointPatrolId === b.jointPatrolId &&
    a.stale === b.stale
  );
}

interface Assignment {
  id: string;
  seq: number;
}

export function createPackedEncoder(): PackedEncoder {
  let epoch: string | null = null;
  let seq = 0;
  const indexOf = new Map<string, number>();
  /** Append-only within an epoch: assignments[i] is index i. */
  let assignments: Assignment[] = [];
  const published = new Map<string, UnitState>();

  const indexFor = (id: string, ids: UnitIndexEntry[]): number | undefined => {
    const known = indexOf.get(id);
    if (known !== undefined || assignments.length > PACKED_MAX_INDEX) return known;
    const index = assignments.length;
    assignments.push({ id, seq });
    indexOf.set(id, index);
    ids.push([index, id]);
    return index;
  };

  /** Splits the upserts into meta and record candidates, and advances the mirror. */
  const classify = (upsert: UnitState[], ids: UnitIndexEntry[]) => {
    const meta: UnitState[] = [];
    const moved: { index: number; unit: UnitState }[] = [];
    for (const unit of upsert) {
      const index = indexFor(unit.id, ids);
      const before = published.get(unit.id);
      published.set(unit.id, unit);
      if (index === undefined || !before || !hasSameMeta(before, unit)) meta.push(unit);
      else moved.push({ index, unit });
    }
    return { meta, moved };
  };

  const restart = (next: string): void => {
    epoch = next;
    indexOf.clear();
    assignments = [];
    published.clear();
  };

  return {
    encode(delta) {
      if (delta.epoch !== epoch) restart(delta.epoch);
      seq = delta.seq;
      const ids: UnitIndexEntry[] = [];
      const { meta, moved } = classify(delta.units.upsert, ids);
      for (const id of delta.units.remove) published.delete(id);
      const frame = packedFrame(moved.map((m) => m.unit));
      const bytes = new Uint8Array(moved.length * PACKED_RECORD_BYTES);
      const view = new DataView(bytes.buffer);
      let used = 0;
      for (const { index, unit } of moved) {
        if (writePackedPosition(view, used, index, unit, frame)) used += PACKED_RECORD_BYTES;
        else meta.push(unit);
      }
      const packed: PackedDelta = {
        epoch: delta.epoch,
        seq: delta.seq,
        ...frame,
        positions: used === bytes.length ? bytes : bytes.subarray(0, used),
        meta,
        ids,
        remove: delta.units.remove,
        incidents: delta.incidents,
        alerts: delta.alerts,
        events: delta.events,
      };
      if (delta.jointPatrols) packed.jointPatrols = delta.jointPatrols;
      return packed;
    },
    snapshot(base) {
      // Before the first delta of this epoch nothing is published: the units arrive as meta later.
      const current = base.epoch === epoch;
      return {
        ...base,
        seq: current ? seq : base.seq,
        units: current ? [...published.values()] : [],
        unitIndex: current ? assignments.map((a, index): UnitIndexEntry => [index, a.id]) : [],
      };
    },
    assignedSince(sinceSeq) {
      const entries: UnitIndexEntry[] = [];
      // Assignments are in seq order: walk back from the newest.
      for (let index = assignments.length - 1; index >= 0; index--) {
        const assignment = assignments[index];
        if (!assignment || assignment.seq <= sinceSeq) break;
        entries.push([index, assignment.id]);
      }
      return entries.reverse();
    },
    seed(next, at, units) {
      restart(next);
      seq = at;
      const ids: UnitIndexEntry[] = [];
      for (const unit of units) {
        indexFor(unit.id, ids);
        published.set(unit.id, unit);
      }
    },
  };
}
