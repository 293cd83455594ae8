// The demo's agenda: things due at a time (the next step of an incident, a road chief's report, an alert
// acknowledgement), kept in time order. The backfill runs it under a virtual clock; demo life in real time.
export interface AgendaItem {
  t: number;
  /** For logs and tests: what the item does, e.g. "incident.accept". */
  label: string;
  run: () => Promise<void>;
}

export interface Agenda {
  at(t: number, label: string, run: () => Promise<void>): void;
  /** The time of the earliest item, null when empty. */
  nextAt(): number | null;
  /** Removes and returns the earliest item (ties in the order they were added). */
  take(): AgendaItem | null;
  size(): number;
}

interface Entry extends AgendaItem {
  seq: number;
}

const before = (a: Entry, b: Entry): boolean => a.t < b.t || (a.t === b.t && a.seq < b.seq);

/** A binary min-heap on (t, insertion order). */
export function createAgenda(): Agenda {
  const heap: Entry[] = [];
  let seq = 0;
  const swap = (i: number, j: number): void => {
    const a = heap[i] as Entry;
    heap[i] = heap[j] as Entry;
    heap[j] = a;
  };
  const up = (index: number): void => {
    for (let i = index; i > 0;) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i] as Entry, heap[parent] as Entry)) return;
      swap(i, parent);
      i = parent;
    }
  };
  const down = (index: number): void => {
    for (let i = index; ;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let least = i;
      if (left < heap.length && before(heap[left] as Entry, heap[least] as Entry)) least = left;
      if (right < heap.length && before(heap[right] as Entry, heap[least] as Entry)) least = right;
      if (least === i) return;
      swap(i, least);
      i = least;
    }
  };
  return {
    at(t, label, run) {
      heap.push({ t, label, run, seq: seq++ });
      up(heap.length - 1);
    },
    nextAt: () => heap[0]?.t ?? null,
    take() {
      const first = heap[0];
      if (!first) return null;
      const last = heap.pop() as Entry;
      if (heap.length > 0) {
        heap[0] = last;
        down(0);
      }
      return { t: first.t, label: first.label, run: first.run };
    },
    size: () => heap.length,
  };
}
