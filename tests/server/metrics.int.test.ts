// GET /metrics on a real server: Prometheus text that parses, ingest counters by protocol and outcome that
// follow real OsmAnd requests, the ingest → emit histogram and client gauge once a client watches, and who
// may scrape (loopback without METRICS_TOKEN; with it, the bearer token and nothing else).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scrapeRefusal } from '../../server/http/metrics-routes';
import { startTestServer, waitFor, type TestServer } from '../support/server';
import type { Delta } from '../../server/contract';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Parses the exposition strictly: every line a comment or `name{labels} value`; anything else throws. */
function parse(text: string): Sample[] {
  expect(text.endsWith('\n')).toBe(true);
  const samples: Sample[] = [];
  for (const line of text.trimEnd().split('\n')) {
    if (/^# (HELP|TYPE) [a-z_:][a-z0-9_:]* .+$/.test(line)) continue;
    const match = /^([a-z_:][a-z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match?.[1] || match[3] === undefined) throw new Error(`not exposition format: ${line}`);
    const labels: Record<string, string> = {};
    for (const pair of (match[2] ?? '').split(',').filter(Boolean)) {
      const [name, quoted] = pair.split('=');
      if (!name || !quoted?.startsWith('"')) throw new Error(`bad label in ${line}`);
      labels[name] = quoted.slice(1, -1);
    }
    const value = match[3] === '+Inf' ? Infinity : Number(match[3]);
    if (Number.isNaN(value)) throw new Error(`bad value in ${line}`);
    samples.push({ name: match[1], labels, value });
  }
  return samples;
}

async function scrape(headers: Record<string, string> = {}, target = server) {
  const response = await fetch(`${target.url}/metrics`, { headers });
  return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
}

const value = (samples: Sample[], name: string, labels: Record<string, string> = {}): number =>
  samples
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0);

describe('GET /metrics', () => {
  it('counts fixes by protocol and outcome, times ingest → emit, and counts clients', async () => {
    const before = parse((await scrape()).text);
    const wall = (await server.socket((await server.login('operator')).token)).socket;
    const osmand = `http://127.0.0.1:${server.app.ports().osmand}`;
    const seen = waitFor<Delta>(wall, 'delta', (d) => d.units.upsert.some((u) => u.id === 't-pol-1'));
    for (const lon of [106.72, 106.721]) {
      const response = await fetch(`${osmand}/?id=dev-t-pol-1&lat=21.97&lon=${lon}&timestamp=${Date.now()}`);
      expect(response.status).toBe(200);
    }
    await seen;
    // A fix for a unit nobody registered is refused at the pipeline (the door every adapter uses).
    const refused = await server.app.ingest.submit({
      unitId: 'no-such-unit',
      source: 'tablet',
      lon: 106.7,
      lat: 21.9,
      t: Date.now(),
      accuracyMeters: null,
      headingDeg: null,
      speedMps: null,
    });
    expect(refused.ok).toBe(false);

    const { status, type, text } = await scrape();
    expect(status).toBe(200);
    expect(type).toBe('text/plain; version=0.0.4; charset=utf-8');
    const after = parse(text);
    const accepted = { protocol: 'osmand', outcome: 'accepted' };
    expect(value(after, 'lianfang_ingest_fixes_total', accepted)).toBe(
      value(before, 'lianfang_ingest_fixes_total', accepted) + 2,
    );
    expect(value(after, 'lianfang_ingest_fixes_total', { protocol: 'tablet', outcome: 'refused' })).toBe(1);
    // At least the delta the wall saw; every sample under 10 s (it waited one flush, FLUSH_MS 50).
    const count = value(after, 'lianfang_ingest_to_emit_seconds_count');
    expect(count).toBeGreaterThanOrEqual(1);
    expect(value(after, 'lianfang_ingest_to_emit_seconds_bucket', { le: '5' })).toBe(count);
    expect(value(after, 'lianfang_history_fixes_written_total')).toBeGreaterThanOrEqual(1);
    expect(
      value(after, 'lianfang_clients', { transport: 'websocket', room: 'whole', encoding: 'json' }),
    ).toBe(1);
    expect(value(after, 'lianfang_process_memory_bytes', { kind: 'rss' })).toBeGreaterThan(10_000_000);
    expect(after.some((s) => s.name === 'lianfang_queue_depth' && s.labels.queue === 'history_writer')).toBe(
      true,
    );
    // The event loop's delay since the last scrape, by quantile, in seconds (beyond the 10 ms sampling).
    const delay = (quantile: string): number =>
      value(after, 'lianfang_event_loop_delay_seconds', { quantile });
    expect(delay('0.5')).toBeGreaterThanOrEqual(0);
    expect(delay('0.99')).toBeGreaterThanOrEqual(delay('0.5'));
    expect(delay('1')).toBeGreaterThanOrEqual(delay('0.99'));
    expect(delay('1')).toBeLessThan(10);
    // One node: no leader gauge.
    expect(after.some((s) => s.name === 'lianfang_engine_leader')).toBe(false);
    // Buckets are cumulative.
    const buckets = after
      .filter((s) => s.name === 'lianfang_ingest_to_emit_seconds_bucket')
      .map((s) => s.value);
    expect(buckets).toEqual([...buckets].sort((x, y) => x - y));
    wall.disconnect();
  });

  it('with METRICS_TOKEN, wants the bearer token: 401 without, 403 wrong, 200 right', async () => {
    const token = 'metrics-token-0123456789abcdef';
    const guarded = await startTestServer({ METRICS_TOKEN: token });
    try {
      const none = await scrape({}, guarded);
      expect(none.status).toBe(401);
      expect(JSON.parse(none.text)).toMatchObject({ error: { code: 'unauthenticated' } });
      const wrong = await scrape({ authorization: 'Bearer nope' }, guarded);
      expect(wrong.status).toBe(403);
      expect(JSON.parse(wrong.text)).toMatchObject({ error: { code: 'forbidden' } });
      const right = await scrape({ authorization: `Bearer ${token}` }, guarded);
      expect(right.status).toBe(200);
      expect(parse(right.text).length).toBeGreaterThan(10);
    } finally {
      await guarded.close();
    }
  });

  it('without a token, refuses every address but loopback', () => {
    expect(scrapeRefusal(null, undefined, '127.0.0.1')).toBeNull();
    expect(scrapeRefusal(null, undefined, '::1')).toBeNull();
    expect(scrapeRefusal(null, undefined, '::ffff:127.0.0.1')).toBeNull();
    expect(scrapeRefusal(null, undefined, '10.0.0.5')?.status).toBe(403);
    expect(scrapeRefusal(null, 'Bearer anything', '192.168.1.2')?.status).toBe(403);
    // With a token, loopback needs it too (a reverse proxy on the same host looks like loopback).
    expect(scrapeRefusal('t0ken', undefined, '127.0.0.1')?.status).toBe(401);
    expect(scrapeRefusal('t0ken', 'Bearer t0ken', '10.0.0.5')).toBeNull();
  });
});
