// When the outbox tries a failed item again: exponential backoff with a cap and a little jitter.

export interface BackoffPolicy {
  /** The wait after the first failure. */
  baseMs: number;
  factor: number;
  /** No wait is longer than this: a road chief back in coverage should not wait minutes. */
  maxMs: number;
  /** ± this share of the wait, so tablets that lost the link together do not retry in step. */
  jitter: number;
}

export const BACKOFF: BackoffPolicy = { baseMs: 2_000, factor: 2, maxMs: 30_000, jitter: 0.2 };

/**
 * The wait before attempt `failures + 1`, after `failures` (≥ 1) failed attempts: 2 s, 4 s, 8 s, 16 s, then
 * 30 s for ever (±20 %). `random` in [0, 1); 0.5 gives the exact schedule.
 */
export function backoffDelayMs(
  failures: number,
  random: () => number = Math.random,
  policy = BACKOFF,
): number {
  const exponent = Math.max(0, failures - 1);
  const raw = Math.min(policy.maxMs, policy.baseMs * policy.factor ** exponent);
  return Math.round(raw * (1 - policy.jitter + 2 * policy.jitter * random()));
}
