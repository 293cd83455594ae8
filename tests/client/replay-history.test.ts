// The replay's REST reads against a real server (SQLite in a temp dir, HTTP on port 0): history chunks paged
// by time without losing or repeating a fix (also when fixes share the instant a page ends on), and the
// records fetched for the same timeline.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  fetchHistoryChunk,
  fetchIdentities,
  fetchIncidentsSince,
  fetchJointPatrolEvents,
  type Getter,
} from '../../client/lib/state/replay-history';
import type { FixRecord } from '../../server/store/store';
import { startTestServer, type TestServer } from '../support/server';
import { T0 } from './support/units';

let server: TestServer;
let get: Getter;

const fixRecord = (unitId: string, t: number, lon: number): FixRecord => ({
  unitId,
  t,
  rx: t,
  lon,
  lat: 21.99,
  accuracyMeters: 5,
  headingDeg: null,
  speedMps: 1,
  source: 'simulator',
});

beforeAll(async () => {
  server = await startTestServer();
  const { token } = await server.login('operator');
  get = async <T>(path: string): Promise<T> => {
    const { status, body } = await server.request('GET', path, { token });
    if (status !== 200) throw new Error(`${path}: ${status} ${JSON.stringify(body)}`);
    return body as T;
  };
  const fixes: FixRecord[] = [];
  // Three units every 5 s for 10 minutes, and a burst of five fixes at one instant (pages end there).
  for (let s = 0; s < 600; s += 5)
    for (const [i, unit] of ['t-mil-1', 't-pol-1', 't-civ-1'].entries())
      fixes.push(fixRecord(unit, T0 + s * 1000, 106.7 + i * 0.01 + s * 1e-5));
  for (const unit of ['t-civ-2', 'x-1', 'x-2', 'x-3', 'x-4'])
    fixes.push(fixRecord(unit, T0 + 300_000, 106.8));
  await server.store.history.append(fixes);
});

afterAll(async () => {
  await server?.close();
});

const key = (fix: { unitId: string; t: number }): string => `${fix.unitId}@${fix.t}`;

describe('fetchHistoryChunk', () => {
  it('pages through a chunk by time: every fix once, in time order, whatever the page size', async () => {
    const all = await fetchHistoryChunk(T0, T0 + 600_000 - 1, null, { get });
    expect(all).toHaveLength(120 * 3 + 5);
    // 9: one more than the fixes sharing the busiest instant (8), so pages end inside it.
    for (const limit of [9, 50, 361]) {
      const paged = await fetchHistoryChunk(T0, T0 + 600_000 - 1, null, { get, limit });
      expect(paged.map(key), `limit ${limit}`).toEqual(all.map(key));
    }
    const times = all.map((fix) => fix.t);
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it('keeps to the chunk and the bbox', async () => {
    const chunk = await fetchHistoryChunk(T0 + 60_000, T0 + 120_000 - 1, [106.695, 21.9, 106.705, 22.1], {
      get,
      limit: 5,
    });
    expect(chunk.length).toBe(12);
    expect(
      chunk.every((fix) => fix.unitId === 't-mil-1' && fix.t >= T0 + 60_000 && fix.t < T0 + 120_000),
    ).toBe(true);
  });

  it('ends when a whole page is one instant (it cannot page within an instant)', async () => {
    const burst = await fetchHistoryChunk(T0 + 300_000, T0 + 300_000, [106.79, 21.9, 106.81, 22.1], {
      get,
      limit: 3,
    });
    expect(burst.length).toBe(3);
  });
});

describe('records for the timeline', () => {
  it('reads incidents changed since, identities and joint-patrol events', async () => {
    const { token } = await server.login('operator');
    const created = await server.request('POST', '/api/incidents', {
      token,
      body: { category: 'other', summary: '回放测试', source: 'hotline', lon: 106.75, lat: 21.99 },
    });
    expect(created.status).toBe(201);
    const incidents = await fetchIncidentsSince(Date.now() - 60_000, get);
    expect(incidents.map((i) => i.id)).toContain(created.body.id);
    expect(await fetchIncidentsSince(Date.now() + 60_000, get)).toEqual([]);

    const identities = await fetchIdentities(get);
    expect(identities.get('t-mil-1')).toEqual({ kind: 'military', callsign: '边防-01' });

    const events = await fetchJointPatrolEvents(0, get);
    expect(Array.isArray(events)).toBe(true);
    expect(events.every((event) => event.type.startsWith('joint.'))).toBe(true);
  });
});
