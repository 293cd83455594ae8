// Cuts a packed snapshot into parts a browser parses and applies in well under 50 ms each: the `snapshot`
// message with the first units, incidents, alerts and patrols, then `snapshot:continued` messages with the
// rest of the units and of the index table. 50,000 units as one message cost the wall a 0.4–0.5 s task.
import type { PackedSnapshot, SnapshotContinued } from '../contract';

/**
 * Units (and index entries) per message: about 300 kB of JSON. At 2,000 a message took 26–37 ms of the main
 * thread's CPU in Chromium (a trace of the client-units bench), which a busy 2-core machine stretched past
 * 50 ms of wall clock; half that leaves room.
 */
export const SNAPSHOT_PART_UNITS = 1_000;

export interface SnapshotParts {
  first: PackedSnapshot;
  /** In order; empty when the snapshot fits one message. */
  rest: SnapshotContinued[];
}

export function splitPackedSnapshot(
  snapshot: PackedSnapshot,
  partUnits: number = SNAPSHOT_PART_UNITS,
): SnapshotParts {
  const { units, unitIndex } = snapshot;
  const count = Math.max(1, Math.ceil(Math.max(units.length, unitIndex.length) / partUnits));
  if (count === 1) return { first: snapshot, rest: [] };
  const parts = count - 1;
  const slice = <T>(list: T[], part: number): T[] => list.slice(part * partUnits, (part + 1) * partUnits);
  const rest: SnapshotContinued[] = [];
  for (let part = 1; part <= parts; part++)
    rest.push({
      epoch: snapshot.epoch,
      seq: snapshot.seq,
      part,
      parts,
      units: slice(units, part),
      unitIndex: slice(unitIndex, part),
    });
  return { first: { ...snapshot, units: slice(units, 0), unitIndex: slice(unitIndex, 0), parts }, rest };
}
