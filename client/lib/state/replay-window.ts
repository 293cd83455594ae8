// Which stretches of history the replay needs: fixed chunks of time (so a chunk is fetched once however the
// slider moves), the chunk under the instant first, then the lookback behind it (where a unit that has not
// moved for a while has its last fix), then the chunks ahead; everything farther away is let go.

export interface WindowPlan {
  /** Length of one fetch (one GET /api/history, paged if it hits the limit). */
  chunkMs: number;
  /** How far back a unit's last fix is looked for. */
  lookbackMs: number;
  /** How far ahead of the instant is fetched before play reaches it. */
  aheadMs: number;
}

export const DEFAULT_PLAN: WindowPlan = {
  chunkMs: 10 * 60_000,
  lookbackMs: 30 * 60_000,
  aheadMs: 20 * 60_000,
};

export function chunkStart(t: number, chunkMs: number): number {
  return Math.floor(t / chunkMs) * chunkMs;
}

/** The chunks the instant needs, most urgent first: its own, the lookback nearest first, then ahead. */
export function neededChunks(at: number, range: { from: number; to: number }, plan: WindowPlan): number[] {
  const { chunkMs } = plan;
  const first = chunkStart(range.from - plan.lookbackMs, chunkMs);
  const last = chunkStart(range.to, chunkMs);
  const own = Math.min(last, Math.max(first, chunkStart(at, chunkMs)));
  const chunks = [own];
  for (let c = own - chunkMs; c >= first && c >= chunkStart(at - plan.lookbackMs, chunkMs); c -= chunkMs)
    chunks.push(c);
  for (let c = own + chunkMs; c <= last && c <= chunkStart(at + plan.aheadMs, chunkMs); c += chunkMs)
    chunks.push(c);
  return chunks;
}

/** Drawing is exact once the instant's chunk and its lookback are loaded. */
export function isReady(
  at: number,
  range: { from: number; to: number },
  plan: WindowPlan,
  loaded: ReadonlySet<number>,
): boolean {
  const behind = neededChunks(at, range, { ...plan, aheadMs: 0 });
  return behind.every((chunk) => loaded.has(chunk));
}

/** Loaded chunks to let go: outside the needed span by more than one chunk either side. */
export function evictableChunks(at: number, plan: WindowPlan, loaded: Iterable<number>): number[] {
  const low = chunkStart(at - plan.lookbackMs, plan.chunkMs) - plan.chunkMs;
  const high = chunkStart(at + plan.aheadMs, plan.chunkMs) + plan.chunkMs;
  return [...loaded].filter((chunk) => chunk < low || chunk > high);
}
