// Changes to entities collected by id between two drains: the latest upsert wins, a remove cancels it.
export interface Drained<T> {
  reset: boolean;
  upsert: T[];
  remove: string[];
}

export class PendingChanges<T extends { id: string }> {
  #upsert = new Map<string, T>();
  #remove = new Set<string>();
  #reset = false;

  /** Everything before is void: the next drain starts from scratch (a snapshot arrived). */
  reset(): void {
    this.#reset = true;
    this.#upsert.clear();
    this.#remove.clear();
  }

  upsert(item: T): void {
    this.#remove.delete(item.id);
    this.#upsert.set(item.id, item);
  }

  remove(id: string): void {
    this.#upsert.delete(id);
    this.#remove.add(id);
  }

  get empty(): boolean {
    return !this.#reset && this.#upsert.size === 0 && this.#remove.size === 0;
  }

  drain(): Drained<T> {
    const out = { reset: this.#reset, upsert: [...this.#upsert.values()], remove: [...this.#remove] };
    this.reset();
    this.#reset = false;
    return out;
  }
}
