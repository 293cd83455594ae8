// Units as columns: one slot per unit, positions in typed arrays, everything else in the unit's last full
// state. Tens of thousands of units move every second; a column write per field keeps that free of objects,
// and readers (the map layers) find what changed by comparing a slot's version with the one they drew.
import type { UnitKind, UnitState } from '../../../server/contract';

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
  /** Bumped by every batch of changes (see begin()); a slot changed after version v when changed[slot] > v. */
  version = 0;
  /** Bumped by clear(): readers start over. */
  generation = 0;

  ids: (string | null)[] = [];
  /** The last full state of each unit; its position fields may be older than the columns. */
  meta: (UnitState | null)[] = [];
  lon = new Float64Array(INITIAL_CAPACITY);
  lat = new Float64Array(INITIAL_CAPACITY);
  t = new Float64Array(INITIAL_CAPACITY);
  rx = new Float64Array(INITIAL_CAPACITY);
  /** NaN for none (float64: a unit's state reads back exactly as it arrived). */
  headingDeg = new Float64Array(INITIAL_CAPACITY);
  speedMps = new Float64Array(INITIAL_CAPACITY);
  accuracyMeters = new Float64Array(INITIAL_CAPACITY);
  kind = new Uint8Array(INITIAL_CAPACITY);
  flags = new Uint8Array(INITIAL_CAPACITY);
  changed = new Uint32Array(INITIAL_CAPACITY);

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
    this.lon[slot] = p.lon;
    this.lat[slot] = p.lat;
    this.t[slot] = p.t;
    this.rx[slot] = p.rx;
    this.headingDeg[slot] = p.headingDeg ?? NaN;
    this.speedMps[slot] = p.speedMps ?? NaN;
    this.accuracyMeters[slot] = p.accuracyMeters ?? NaN;
    this.changed[slot] = this.version;
  }

  remove(id: string): boolean {
    const slot = this.#slotOf.get(id);
    if (slot === undefined) return false;
    this.onFree?.(slot);
    this.#slotOf.delete(id);
    this.ids[slot] = null;
    this.meta[slot] = null;
    this.flags[slot] = 0;
    this.changed[slot] = this.version;
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
    this.changed.fill(0);
    this.highWater = 0;
    this.size = 0;
    this.generation++;
    this.version++;
  }

  /** The unit's current state: its last full state with the position columns over it (a new object). */
  get(id: string): UnitState | undefined {
    const slot = this.#slotOf.get(id);
    return slot === undefined ? undefined : this.stateAt(slot);
  }

  stateAt(slot: number): UnitState | undefined {
    const meta = this.meta[slot];
    if (!meta) return undefined;
    return {
      ...meta,
      lon: this.lon[slot] as number,
      lat: this.lat[slot] as number,
      t: this.t[slot] as number,
      rx: this.rx[slot] as number,
      headingDeg: nullable(this.headingDeg[slot] as number),
      speedMps: nullable(this.speedMps[slot] as number),
      accuracyMeters: nullable(this.accuracyMeters[slot] as number),
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
    if (this.highWater === this.lon.length) this.#grow(this.lon.length * 2);
    return this.highWater++;
  }

  #grow(capacity: number): void {
    const grow = <A extends Float64Array | Uint8Array | Uint32Array>(from: A, make: (n: number) => A): A => {
      const to = make(capacity);
      to.set(from);
      return to;
    };
    this.lon = grow(this.lon, (n) => new Float64Array(n));
    this.lat = grow(this.lat, (n) => new Float64Array(n));
    this.t = grow(this.t, (n) => new Float64Array(n));
    this.rx = grow(this.rx, (n) => new Float64Array(n));
    this.headingDeg = grow(this.headingDeg, (n) => new Float64Array(n));
    this.speedMps = grow(this.speedMps, (n) => new Float64Array(n));
    this.accuracyMeters = grow(this.accuracyMeters, (n) => new Float64Array(n));
    this.kind = grow(this.kind, (n) => new Uint8Array(n));
    this.flags = grow(this.flags, (n) => new Uint8Array(n));
    this.changed = grow(this.changed, (n) => new Uint32Array(n));
  }
}
