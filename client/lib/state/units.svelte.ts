// Live units: the unit stream's table (the map layers read it once per frame, told of changes by subscribe)
// and a small summary for panels refreshed at most 4 times a second (never one reactive object per unit).
import type { UnitState } from '../../../server/contract';
import { UnitStream, summarize, type UnitsSummary } from './unit-stream';
import { UnitTable } from './unit-table';

export type { PackedIndex, UnitsSummary } from './unit-stream';

const SUMMARY_INTERVAL_MS = 250;

class UnitsManager extends UnitStream {
  #summary = $state.raw<UnitsSummary>(summarize(new UnitTable()));
  #timer: ReturnType<typeof setTimeout> | null = null;

  constructor() {
    super();
    // Positions alone never change the counts: only full states and removals schedule a summary.
    this.onChange = (metaChanged) => {
      if (metaChanged) this.#scheduleSummary();
    };
  }

  get summary(): UnitsSummary {
    return this.#summary;
  }

  /** Every unit's current state (new objects): for lists and searches, not for per-frame drawing. */
  all(): IterableIterator<UnitState> {
    return this.table.states();
  }

  #scheduleSummary(): void {
    if (this.#timer) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#summary = summarize(this.table);
    }, SUMMARY_INTERVAL_MS);
  }
}

export const units = new UnitsManager();
