// Live units: a plain Map fed by snapshot/delta, pending changes for the map layer to drain once per frame,
// and a small summary for panels refreshed at most 4 times a second (never one reactive object per unit).
import type { Delta, Snapshot, UnitKind, UnitState } from '../../../server/contract';
import { PendingChanges } from './pending-changes';

export interface UnitsSummary {
  total: number;
  stale: number;
  byKind: Record<UnitKind, number>;
}

const SUMMARY_INTERVAL_MS = 250;

function summarize(units: Iterable<UnitState>): UnitsSummary {
  const summary: UnitsSummary = { total: 0, stale: 0, byKind: { military: 0, police: 0, civilian: 0 } };
  for (const unit of units) {
    summary.total++;
    if (unit.stale) summary.stale++;
    else summary.byKind[unit.kind]++;
  }
  return summary;
}

class UnitsManager {
  readonly #units = new Map<string, UnitState>();
  readonly pending = new PendingChanges<UnitState>();
  #summary = $state.raw<UnitsSummary>(summarize([]));
  #timer: ReturnType<typeof setTimeout> | null = null;

  get summary(): UnitsSummary {
    return this.#summary;
  }

  get(id: string): UnitState | undefined {
    return this.#units.get(id);
  }

  all(): IterableIterator<UnitState> {
    return this.#units.values();
  }

  applySnapshot(snapshot: Snapshot): void {
    this.#units.clear();
    this.pending.reset();
    for (const unit of snapshot.units) {
      this.#units.set(unit.id, unit);
      this.pending.upsert(unit);
    }
    this.#scheduleSummary();
  }

  applyDelta(delta: Delta): void {
    for (const unit of delta.units.upsert) {
      this.#units.set(unit.id, unit);
      this.pending.upsert(unit);
    }
    for (const id of delta.units.remove) {
      this.#units.delete(id);
      this.pending.remove(id);
    }
    this.#scheduleSummary();
  }

  #scheduleSummary(): void {
    if (this.#timer) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#summary = summarize(this.#units.values());
    }, SUMMARY_INTERVAL_MS);
  }
}

export const units = new UnitsManager();
