// Units by slot: positions in one float64 block per slot (contract's POSITION_FIELDS), kind and flags in
// byte columns, everything else in the unit's last full state. Tens of thousands of units move every second;
// writing numbers into typed arrays keeps that free of objects, and readers (the map layers) find what
// changed by comparing a slot's version with the one they drew.
import { type UnitKind, type UnitState } from '../../../server/contract';
import { POSITION_FIELDS as F, POSITION_STRIDE } from '../../../server/packed-codec';

export { POSITION_FIELDS, POSITION_STRIDE } from '../../../server/packed-codec';

export const KIND_CODES: Readonly<Record<UnitKind, number>> = { military: 0, police: 1, civilian: 2 };
export const KINDS_BY_CODE: readonly UnitKind[] = ['military', 'police', 'civilian'];

/** Slot flags. */
export const LIVE = 1;
export const STALE = 2;
export const IN_JOINT_PATROL = 4;

/** The position fields a packed record (or a replay sample) rewrites. */
export interface PositionFields {
  lon: number;
  lat: number;
  headingDeg: number | null;
  speedMps: number | null;
  accuracyMeters: number | null;
  t: number;
  rx: number;
}

const INITIAL_CAPACITY = 1024;

const nullable = (value: number): number | null => (Number.isNaN(value) ? null : value);

export class UnitTable {
  /** Slots below this may be in use; readers scan [0, highWater). */
  highWater = 0;
  /** Units held. */
  size = 0;
  /** Bumped by every batch of changes (see begin()); a slot changed after version v when changedAt(slot) > v. */
  version = 0;
  /** Bumped by clear(): readers start over. */
  generation = 0;

  ids: (string | null)[] = [];
  /** The last full state of each unit; its position fields may be older than the position block. */
  meta: (UnitState | null)[] = [];
  /** POSITION_STRIDE float64s per slot: lon, lat, t, rx, heading, speed, accuracy (NaN for none), version. */
  pos = new Float64Array(INITIAL_CAPACITY * POSITION_STRIDE);
  kind = new Uint8Array(INITIAL_CAPACITY);
  flags = new Uint8Array(INITIAL_CAPACITY);
  #capacity = INITIAL_CAPACITY;

  readonly #slotOf = new Map<string, number>();
  #free: number[] = [];
  /** Told of a slot before it is freed (caches keyed by slot drop it). */
  onFree: ((slot: number) => void) | null = null;

  /** Starts a batch: every change until the next begin() carries the new version. */
  begin(): void {
    this.version++;
  }

  slot(id: string): number | undefined {
    return this.#slotOf.get(id);
  }

  has(id: string): boolean {
    return this.#slotOf.has(id);
  }

  /** Writes a unit's full state (new, or whose kind, callsign, staleness… changed). */
  upsert(unit: UnitState): number {
    let slot = this.#slotOf.get(unit.id);
    if (slot === undefined) {
      slot = this.#allocate();
      this.#slotOf.set(unit.id, slot);
      this.ids[slot] = unit.id;
      this.size++;
    }
    this.meta[slot] = unit;
    this.kind[slot] = KIND_CODES[unit.kind] ?? 0;
    this.flags[slot] = LIVE | (unit.stale ? STALE : 0) | (unit.jointPatrolId ? IN_JOINT_PATROL : 0);
    this.setPosition(slot, unit);
    return slot;
  }

  /** The hot path: a new position for a unit already held. */
  setPosition(slot: number, p: PositionFields): void {
    const o = slot * POSITION_STRIDE;
    const pos = this.pos;
    pos[o + F.lon] = p.lon;
    pos[o + F.lat] = p.lat;
    pos[o + F.t] = p.t;
    pos[o + F.rx] = p.rx;
    pos[o + F.headingDeg] = p.headingDeg ?? NaN;
    pos[o + F.speedMps] = p.speedMps ?? NaN;
    pos[o + F.accuracyMeters] = p.accuracyMeters ?? NaN;
    pos[o + F.version] = this.version;
  }

  remove(id: string): boolean {
    const slot = this.#slotOf.get(id);
    if (slot === undefined) return false;
    this.onFree?.(slot);
    this.#slotOf.delete(id);
    this.ids[slot] = null;
    this.meta[slot] = null;
    this.flags[slot] = 0;
    this.pos[slot * POSITION_STRIDE + F.version] = this.version;
    this.#free.push(slot);
    this.size--;
    return true;
  }

  clear(): void {
    for (let slot = 0; slot < this.highWater; slot++)
      if ((this.flags[slot] as number) & LIVE) this.onFree?.(slot);
    this.#slotOf.clear();
    this.#free = [];
    this.ids = [];
    this.meta = [];
    this.flags.fill(0);
    this.pos.fill(0);
    this.highWater = 0;
    this.size = 0;
    this.generation++;
    this.version++;
  }

  lonAt(slot: number): number {
    return this.pos[slot * POSITION_STRIDE + F.lon] as number;
  }

  latAt(slot: number): number {
    return this.pos[slot * POSITION_STRIDE + F.lat] as number;
  }

  /** Degrees clockwise from north; NaN for none. */
  headingAt(slot: number): number {
    return this.pos[slot * POSITION_STRIDE + F.headingDeg] as number;
  }

  /** The version of the batch that last changed the slot. */
  changedAt(slot: number): number {
    return this.pos[slot * POSITION_STRIDE + F.version] as number;
  }

  /** The unit's current state: its last full state with the position block over it (a new object). */
  get(id: string): UnitState | undefined {
    const slot = this.#slotOf.get(id);
    return slot === undefined ? undefined : this.stateAt(slot);
  }

  stateAt(slot: number): UnitState | undefined {
    const meta = this.meta[slot];
    if (!meta) return undefined;
    const o = slot * POSITION_STRIDE;
    const pos = this.pos;
    return {
      ...meta,
      lon: pos[o + F.lon] as number,
      lat: pos[o + F.lat] as number,
      t: pos[o + F.t] as number,
      rx: pos[o + F.rx] as number,
      headingDeg: nullable(pos[o + F.headingDeg] as number),
      speedMps: nullable(pos[o + F.speedMps] as number),
      accuracyMeters: nullable(pos[o + F.accuracyMeters] as number),
    };
  }

  *states(): IterableIterator<UnitState> {
    for (let slot = 0; slot < this.highWater; slot++) {
      const state = this.stateAt(slot);
      if (state) yield state;
    }
  }

  #allocate(): number {
    const reused = this.#free.pop();
    if (reused !== undefined) return reused;
    if (this.highWater === this.#capacity) this.#grow(this.#capacity * 2);
    return this.highWater++;
  }

  #grow(capacity: number): void {
    const pos = new Float64Array(capacity * POSITION_STRIDE);
    pos.set(this.pos);
    this.pos = pos;
    const kind = new Uint8Array(capacity);
    kind.set(this.kind);
    this.kind = kind;
    const flags = new Uint8Array(capacity);
    flags.set(this.flags);
    this.flags = flags;
    this.#capacity = capacity;
  }

  /** Slots the arrays hold (caches sized by slot follow it). */
  get capacity(): number {
    return this.#capacity;
  }
}
