// A bounded log of numbered deltas, so that a client that missed a few can be sent just those (resync).
export interface DeltaLog<T extends { seq: number }> {
  push(entry: T): void;
  /**
   * The entries after sinceSeq, given the last seq issued: [] when the client is up to date, null when it
   * claims a seq not issued yet or the log no longer reaches back that far.
   */
  since(sinceSeq: number, seq: number): T[] | null;
}

export function createDeltaLog<T extends { seq: number }>(size: number): DeltaLog<T> {
  const log: T[] = [];
  return {
    push(entry) {
      log.push(entry);
      if (log.length > size) log.shift();
    },
    since(sinceSeq, seq) {
      if (sinceSeq > seq) return null;
      if (sinceSeq === seq) return [];
      const first = log[0];
      if (!first || first.seq > sinceSeq + 1) return null;
      return log.filter((entry) => entry.seq > sinceSeq);
    },
  };
}
