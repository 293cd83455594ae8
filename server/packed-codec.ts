// The packed record: 16 little-endian bytes per moved unit (layout in docs/api.md, "Packed deltas"), written
// by the server's encoder and read by the web client. Imports only types, so the client bundles it as is.
import type { PackedDelta, PackedPosition } from './contract';

/** Bytes per unit in `PackedDelta.positions`. */
export const PACKED_RECORD_BYTES = 16;
/** Unit indexes are u16 and never reused within an epoch; past this, units travel in `meta` only. */
export const PACKED_MAX_INDEX = 0xfffe;
/** lon/lat as i32 fixed point: 1e-7° (about 1 cm), exact to the wire only. */
const COORD_SCALE = 1e7;
const HEADING_STEP_DEG = 1.5;
const SPEED_STEP_MPS = 0.25;
/** u8 code for null. */
const NONE = 0xff;

/** The record frame of a batch: baseT is the latest rx; rx ages step so that a late flush still fits a u8. */
export function packedFrame(positions: readonly PackedPosition[]): { baseT: number; rxStepMs: number } {
  if (positions.length === 0) return { baseT: 0, rxStepMs: 1 };
  let baseT = -Infinity;
  let oldest = Infinity;
  for (const { rx } of positions) {
    baseT = Math.max(baseT, rx);
    oldest = Math.min(oldest, rx);
  }
  return { baseT, rxStepMs: Math.max(1, Math.ceil((baseT - oldest) / (NONE - 1))) };
}

/** A u8 code on a grid of `step`: NONE for null, −1 when the value does not fit. */
function toCode(value: number | null, step: number): number {
  if (value === null) return NONE;
  const code = Math.round(value / step);
  return code >= 0 && code < NONE ? code : -1;
}

/** Writes one record at `offset`; false, writing nothing, when a value does not fit (the unit goes in meta). */
export function writePackedPosition(
  view: DataView,
  offset: number,
  index: number,
  position: PackedPosition,
  frame: { baseT: number; rxStepMs: number },
): boolean {
  const tOffset = position.t - frame.baseT;
  const rxAge = Math.round((frame.baseT - position.rx) / frame.rxStepMs);
  const speed = toCode(position.speedMps, SPEED_STEP_MPS);
  const accuracy = toCode(position.accuracyMeters, 1);
  if (!Number.isInteger(tOffset) || tOffset < -0x8000 || tOffset > 0x7fff) return false;
  if (speed < 0 || accuracy < 0 || rxAge < 0 || rxAge >= NONE || index > PACKED_MAX_INDEX) return false;
  const heading =
    position.headingDeg === null ? NONE : Math.round(position.headingDeg / HEADING_STEP_DEG) % 240;
  view.setUint16(offset, index, true);
  view.setInt32(offset + 2, Math.round(position.lon * COORD_SCALE), true);
  view.setInt32(offset + 6, Math.round(position.lat * COORD_SCALE), true);
  view.setInt16(offset + 10, tOffset, true);
  view.setUint8(offset + 12, rxAge);
  view.setUint8(offset + 13, heading);
  view.setUint8(offset + 14, speed);
  view.setUint8(offset + 15, accuracy);
  return true;
}

/** Calls `visit` with the index and position of every record, in order. */
export function readPackedPositions(
  delta: Pick<PackedDelta, 'positions' | 'baseT' | 'rxStepMs'>,
  visit: (index: number, position: PackedPosition) => void,
): void {
  const { positions, baseT, rxStepMs } = delta;
  const view = ArrayBuffer.isView(positions)
    ? new DataView(positions.buffer, positions.byteOffset, positions.byteLength)
    : new DataView(positions);
  for (let at = 0; at + PACKED_RECORD_BYTES <= view.byteLength; at += PACKED_RECORD_BYTES) {
    const heading = view.getUint8(at + 13);
    const speed = view.getUint8(at + 14);
    const accuracy = view.getUint8(at + 15);
    visit(view.getUint16(at, true), {
      lon: view.getInt32(at + 2, true) / COORD_SCALE,
      lat: view.getInt32(at + 6, true) / COORD_SCALE,
      t: baseT + view.getInt16(at + 10, true),
      rx: baseT - view.getUint8(at + 12) * rxStepMs,
      headingDeg: heading === NONE ? null : heading * HEADING_STEP_DEG,
      speedMps: speed === NONE ? null : speed * SPEED_STEP_MPS,
      accuracyMeters: accuracy === NONE ? null : accuracy,
    });
  }
}

/**
 * The position block decodePackedInto writes: POSITION_STRIDE float64s per slot, in this order (NaN for null),
 * the last one the version of the batch that wrote it. One block per slot, not a column per field: a record
 * then lands in one cache line (twice as fast at 50,000 records as eight columns).
 */
export const POSITION_FIELDS = {
  lon: 0,
  lat: 1,
  t: 2,
  rx: 3,
  headingDeg: 4,
  speedMps: 5,
  accuracyMeters: 6,
  version: 7,
} as const;
export const POSITION_STRIDE = 8;

/**
 * Decodes a delta's records straight into position blocks, allocating nothing (the web client's hot path:
 * tens of thousands of records a second; the layout of readPackedPositions). A record's slot is
 * `slotOf[index]`, or, when that is negative, what `resolve(index)` answers (the caller caches it in slotOf).
 * False, at the first record whose slot cannot be resolved (the records before it are written).
 */
export function decodePackedInto(
  delta: Pick<PackedDelta, 'positions' | 'baseT' | 'rxStepMs'>,
  slotOf: Int32Array,
  resolve: (index: number) => number,
  positions: Float64Array,
  version: number,
): boolean {
  const bytes = ArrayBuffer.isView(delta.positions) ? delta.positions : new Uint8Array(delta.positions);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const { baseT, rxStepMs } = delta;
  for (let at = 0; at + PACKED_RECORD_BYTES <= view.byteLength; at += PACKED_RECORD_BYTES) {
    const index = view.getUint16(at, true);
    let slot = slotOf[index] ?? -1;
    if (slot < 0) slot = resolve(index);
    if (slot < 0) return false;
    const heading = view.getUint8(at + 13);
    const speed = view.getUint8(at + 14);
    const accuracy = view.getUint8(at + 15);
    const o = slot * POSITION_STRIDE;
    positions[o] = view.getInt32(at + 2, true) / COORD_SCALE;
    positions[o + 1] = view.getInt32(at + 6, true) / COORD_SCALE;
    positions[o + 2] = baseT + view.getInt16(at + 10, true);
    positions[o + 3] = baseT - view.getUint8(at + 12) * rxStepMs;
    positions[o + 4] = heading === NONE ? NaN : heading * HEADING_STEP_DEG;
    positions[o + 5] = speed === NONE ? NaN : speed * SPEED_STEP_MPS;
    positions[o + 6] = accuracy === NONE ? NaN : accuracy;
    positions[o + 7] = version;
  }
  return true;
}
