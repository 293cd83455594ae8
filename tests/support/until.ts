// Waiting in integration tests: poll a condition up to a generous bound, say what was awaited if it never
// holds, and log the time it took (the figure the standards ask a test to report).

/** Polls `condition` every `everyMs` until it holds; resolves with the ms it took. */
export async function until(
  condition: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 10_000,
  everyMs = 10,
): Promise<number> {
  const started = performance.now();
  while (!(await condition())) {
    if (performance.now() - started > timeoutMs)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  const tookMs = Math.round(performance.now() - started);
  console.log(`${what}: ${tookMs} ms`);
  return tookMs;
}
