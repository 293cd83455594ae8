// The server's own view of a load-bench window, from two scrapes of its /metrics (loopback needs no token):
// how long a fix waited from receipt to the fan-out that carried it, how long each flush took, and how late
// its event loop ran. Set against the end-to-end latency, it says where the time went.

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

function parse(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    const match = /^([a-z_]+)(?:\{([^}]*)\})? (\S+)$/.exec(line);
    if (!match) continue;
    const labels: Record<string, string> = {};
    for (const pair of (match[2] ?? '').split(',').filter(Boolean)) {
      const [key = '', raw = ''] = pair.split('=');
      labels[key] = raw.replace(/^"|"$/g, '');
    }
    samples.push({ name: match[1] as string, labels, value: Number(match[3]) });
  }
  return samples;
}

async function scrape(url: string): Promise<Sample[]> {
  const response = await fetch(`${url}/metrics`);
  return response.ok ? parse(await response.text()) : [];
}

/** Bucket upper bounds (seconds) and counts of one histogram, cumulative. */
function buckets(samples: Sample[], name: string): Map<number, number> {
  const found = new Map<number, number>();
  for (const s of samples)
    if (s.name === `${name}_bucket`)
      found.set(s.labels.le === '+Inf' ? Infinity : Number(s.labels.le), s.value);
  return found;
}

/** The bucket bound (ms) under which the quantile q of the samples between two scrapes falls. */
function bucketQuantile(before: Sample[], after: Sample[], name: string, q: number): number | null {
  const [from, to] = [buckets(before, name), buckets(after, name)];
  const bounds = [...to.keys()].sort((a, b) => a - b);
  const total = (to.get(Infinity) ?? 0) - (from.get(Infinity) ?? 0);
  if (total <= 0) return null;
  for (const bound of bounds) {
    if ((to.get(bound) ?? 0) - (from.get(bound) ?? 0) >= q * total) return bound * 1000;
  }
  return null;
}

export interface ServerView {
  /** "≤ N ms": the bucket bound of each quantile (the histogram's resolution, not exact values). */
  ingestToEmitMs: { p50: number | null; p99: number | null; p999: number | null };
  flushMs: { p50: number | null; p99: number | null; p999: number | null };
  eventLoopDelayMs: { p50: number; p99: number; max: number } | null;
}

/** Scrapes once now (which also restarts the event-loop-delay window); `end()` scrapes again and compares. */
export async function watchServer(url: string): Promise<{ end(): Promise<ServerView> }> {
  const before = await scrape(url);
  return {
    async end() {
      const after = await scrape(url);
      const delay = (quantile: string): number | undefined =>
        after.find((s) => s.name === 'lianfang_event_loop_delay_seconds' && s.labels.quantile === quantile)
          ?.value;
      const ms = (v: number | undefined): number => Math.round((v ?? NaN) * 1000);
      const ingest = 'lianfang_ingest_to_emit_seconds';
      const flush = 'lianfang_flush_seconds';
      return {
        ingestToEmitMs: {
          p50: bucketQuantile(before, after, ingest, 0.5),
          p99: bucketQuantile(before, after, ingest, 0.99),
          p999: bucketQuantile(before, after, ingest, 0.999),
        },
        flushMs: {
          p50: bucketQuantile(before, after, flush, 0.5),
          p99: bucketQuantile(before, after, flush, 0.99),
          p999: bucketQuantile(before, after, flush, 0.999),
        },
        eventLoopDelayMs:
          delay('0.5') === undefined
            ? null
            : { p50: ms(delay('0.5')), p99: ms(delay('0.99')), max: ms(delay('1')) },
      };
    },
  };
}
