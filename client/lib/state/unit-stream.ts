// The unit stream applied to a column table: snapshots, deltas and — the hot path — packed records decoded
// straight into its columns (no object per record). Listeners hear of every change; no Svelte here.
import {
  type Delta,
  type PackedDelta,
  type Snapshot,
  type UnitKind,
  type UnitState,
} from '../../../server/contract';
import { decodePackedInto } from '../../../server/packed-codec';
import { KINDS_BY_CODE, LIVE, STALE, UnitTable } from './unit-table';

export interface UnitsSummary {
  total: number;
  stale: number;
  byKind: Record<UnitKind, number>;
}

/** The packed stream's index table, as the decoder holds it. */
export interface PackedIndex {
  idOf(index: number): string | undefined;
  /** Changes when the table is replaced (a snapshot): indexes cached before mean nothing after. */
  readonly generation: number;
}

/** u16 indexes (PACKED_MAX_INDEX + 1). */
const INDEX_SPACE = 0x10000;

export function summarize(table: UnitTable): UnitsSummary {
  const summary: UnitsSummary = { total: 0, stale: 0, byKind: { military: 0, police: 0, civilian: 0 } };
  for (let slot = 0; slot < table.highWater; slot++) {
    const flags = table.flags[slot] as number;
    if (!(flags & LIVE)) continue;
    summary.total++;
    if (flags & STALE) summary.stale++;
    else summary.byKind[KINDS_BY_CODE[table.kind[slot] as number] as UnitKind]++;
  }
  return summary;
}

/** Applies the stream to a table; tests and the benchmark drive it directly. */
export class UnitStream {
  readonly table = new UnitTable();
  /** packed index → slot, or -1 when not looked up yet. */
  readonly #slotOfIndex = new Int32Array(INDEX_SPACE).fill(-1);
  /** slot → the packed index cached for it, or -1. */
  #indexOfSlot = new Int32Array(1024).fill(-1);
  #indexGeneration = -1;
  /** Called after each change with whether kinds, staleness or membership changed (the summary's inputs). */
  onChange: (metaChanged: boolean) => void = () => {};
  readonly #listeners = new Set<() => void>();

  /** Tells `listener` after every change to the table (the map layer draws at its next frame). */
  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #changed(metaChanged: boolean): void {
    this.onChange(metaChanged);
    for (const listener of this.#listeners) listener();
  }

  constructor() {
    this.table.onFree = (slot) => {
      const index = this.#indexOfSlot[slot] ?? -1;
      if (index >= 0) this.#slotOfIndex[index] = -1;
      if (slot < this.#indexOfSlot.length) this.#indexOfSlot[slot] = -1;
    };
  }

  get(id: string): UnitState | undefined {
    return this.table.get(id);
  }

  applySnapshot(snapshot: Snapshot): void {
    this.table.clear();
    this.table.begin();
    for (const unit of snapshot.units) this.table.upsert(unit);
    this.#changed(true);
  }

  applyDelta(delta: Pick<Delta, 'units'>): void {
    const { upsert, remove } = delta.units;
    if (upsert.length === 0 && remove.length === 0) return;
    this.table.begin();
    let metaChanged = remove.length > 0;
    for (const unit of upsert) {
      const slot = this.table.slot(unit.id);
      const before = slot === undefined ? null : this.table.meta[slot];
      if (!before || before.kind !== unit.kind || before.stale !== unit.stale) metaChanged = true;
      this.table.upsert(unit);
    }
    for (const id of remove) this.table.remove(id);
    this.#changed(metaChanged);
  }

  /**
   * A packed delta: full states first, then each record written into the columns in place, then removals.
   * False when a record names an index or a unit this client does not hold (only a fresh snapshot repairs
   * that); records before it are applied, which the snapshot then overwrites.
   */
  applyPacked(packed: PackedDelta, packedIndex: PackedIndex): boolean {
    if (packedIndex.generation !== this.#indexGeneration) {
      this.#slotOfIndex.fill(-1);
      this.#indexOfSlot.fill(-1);
      this.#indexGeneration = packedIndex.generation;
    }
    const table = this.table;
    table.begin();
    let metaChanged = packed.remove.length > 0;
    for (const unit of packed.meta) {
      const slot = table.slot(unit.id);
      const before = slot === undefined ? null : table.meta[slot];
      if (!before || before.kind !== unit.kind || before.stale !== unit.stale) metaChanged = true;
      table.upsert(unit);
    }
    // Records go straight into the columns; an index met for the first time is looked up once.
    const complete = decodePackedInto(
      packed,
      this.#slotOfIndex,
      (index) => this.#lookUp(index, packedIndex),
      table.pos,
      table.version,
    );
    for (const id of packed.remove) table.remove(id);
    this.#changed(metaChanged);
    return complete;
  }

  #lookUp(packedIndex: number, index: PackedIndex): number {
    const id = index.idOf(packedIndex);
    const slot = id === undefined ? undefined : this.table.slot(id);
    if (slot === undefined) return -1;
    if (slot >= this.#indexOfSlot.length) {
      const grown = new Int32Array(Math.max(slot + 1, this.#indexOfSlot.length * 2)).fill(-1);
      grown.set(this.#indexOfSlot);
      this.#indexOfSlot = grown;
    }
    this.#slotOfIndex[packedIndex] = slot;
    this.#indexOfSlot[slot] = packedIndex;
    return slot;
  }
}
