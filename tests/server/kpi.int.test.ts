// KPIs on a fixed fixture with an injected clock, against values computed by hand (in the comments).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDeadlines } from '../../server/domain/deadlines';
import { percentile } from '../../server/domain/kpi';
import { T0, startClosedLoopServer, type ClosedLoopServer } from './closed-loop-support';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
let server: ClosedLoopServer;
let operator: string;

async function at<T>(t: number, action: () => Promise<T>): Promise<T> {
  server.clock.now = t;
  return action();
}

async function incident(t: number, category: string, lon = 106.75): Promise<string> {
  const reply = await at(t, () =>
    server.request('POST', '/api/incidents', {
      token: operator,
      body: { category, summary: category, source: 'hotline', lon, lat: 21.99 },
    }),
  );
  expect(reply.status).toBe(201);
  return String(reply.body.id);
}

async function walk(t: number, id: string, moves: string[]): Promise<void> {
  for (const to of moves) {
    const reply = await at(t, () =>
      server.request('POST', `/api/incidents/${id}/transitions`, { token: operator, body: { to } }),
    );
    expect(reply.status).toBe(200);
  }
}

const TO_CLOSED = ['accepted', 'dispatched', 'in_progress', 'resolved', 'verified', 'closed'];
const post = (route: string, body: unknown) => server.request('POST', route, { token: operator, body });

/**
 * t-grid-3 (2000 residents, 500 households): A dispute mediated+settled, closed after 2 h, satisfaction 5;
 * B dispute mediated, not settled, open; C fire closed after 6 h, satisfaction 3; D other rejected;
 * E environment overdue once (its "reported" stage is 1 min here), closed after 10 h.
 * t-grid-1: F other closed after 1 h. Outside the window: G, two days later. t-seg-01: one report at +3 h
 * (normal) and one at +4 h (anomaly smuggling, at a point in t-grid-1 → incident H there).
 */
async function buildFixture(): Promise<void> {
  const [a, b, c, d, e] = [
    await incident(T0, 'dispute'),
    await incident(T0 + MIN, 'dispute'),
    await incident(T0 + 2 * MIN, 'fire'),
    await incident(T0 + 3 * MIN, 'other'),
    await incident(T0 + 4 * MIN, 'environment'),
  ];
  const f = await incident(T0 + 5 * MIN, 'other', 106.71);
  expect(await server.loop.incidents.tick(T0 + 5 * MIN)).toBe(1); // E only
  await at(T0 + 10 * MIN, () => post(`/api/incidents/${a}/mediation`, { kind: 'people', settled: true }));
  await at(T0 + 11 * MIN, () => post(`/api/incidents/${b}/mediation`, { kind: 'judicial', settled: false }));
  await walk(T0 + 2 * HOUR, a, TO_CLOSED);
  await walk(T0 + MIN, b, TO_CLOSED.slice(0, 3));
  await walk(T0 + 6 * HOUR + 2 * MIN, c, TO_CLOSED);
  await walk(T0 + 3 * MIN, d, ['rejected']);
  await walk(T0 + 10 * HOUR + 4 * MIN, e, TO_CLOSED);
  await walk(T0 + HOUR + 5 * MIN, f, TO_CLOSED);
  await post(`/api/incidents/${a}/feedback`, { satisfaction: 5 });
  await post(`/api/incidents/${c}/feedback`, { satisfaction: 3 });
  await incident(T0 + 2 * DAY, 'fire');
  const report = { segmentId: 't-seg-01', lon: 106.71, lat: 21.99 };
  await at(T0 + 3 * HOUR, () => post('/api/reports', { ...report, status: 'normal' }));
  await at(T0 + 4 * HOUR, () =>
    post('/api/reports', { ...report, status: 'anomaly', anomalyType: 'smuggling' }),
  );
}

const kpis = async (query: string): Promise<any> => {
  const reply = await server.request('GET', `/api/kpis?${query}`, { token: operator });
  expect(reply.status).toBe(200);
  return reply.body;
};

beforeAll(async () => {
  server = await startClosedLoopServer({
    deadlines: parseDeadlines('{"categories":{"environment":{"reported":"1m"}}}'),
    segmentCoverage: () => [
      { segmentId: 't-seg-01', coveredMeters: 300, lengthMeters: 1000 },
      { segmentId: 't-seg-02', coveredMeters: 1000, lengthMeters: 1000 },
    ],
    jointPatrolsActive: () => 2,
  });
  operator = (await server.login('operator')).token;
  await buildFixture();
});
afterAll(async () => server.close());

describe('KPIs against hand-computed values', () => {
  it('for a grid', async () => {
    const body = await kpis(`scope=grid&id=t-grid-3&from=${T0}&to=${T0 + DAY}`);
    expect(body.incidents).toEqual({
      total: 5,
      byCategory: expect.objectContaining({ dispute: 2, fire: 1, other: 1, environment: 1, smuggling: 0 }),
    });
    // 4 counted (D rejected): 4 / 2000 × 10,000 = 20; 4 / 500 × 100 = 0.8
    expect(body.incidence).toEqual({
      counted: 4,
      residents: 2000,
      households: 500,
      per10kResidents: 20,
      per100Households: 0.8,
    });
    // closures 2 h, 6 h, 10 h: nearest rank p50 = 2nd = 6 h, p90 = 3rd = 10 h
    expect(body.closure).toEqual({ closed: 3, p50Ms: 6 * HOUR, p90Ms: 10 * HOUR });
    expect(body.deadlineCompliance).toEqual({ incidents: 5, onTime: 4, rate: 0.8 });
    expect(body.mediation).toEqual({ mediated: 2, settled: 1, rate: 0.5 });
    expect(body.satisfaction).toEqual({ answers: 2, mean: 4 });
  });

  it('for the district (its own population) and a community (the sum of its grids)', async () => {
    const district = await kpis(`scope=district&id=t-district&from=${T0}&to=${T0 + DAY}`);
    // A–F and H: 7, of which 6 counted; 6 / 10,000 × 10,000 = 6; 6 / 2500 × 100 = 0.24
    expect(district.incidents.total).toBe(7);
    expect(district.incidence).toMatchObject({ counted: 6, per10kResidents: 6, per100Households: 0.24 });
    // closures 1 h, 2 h, 6 h, 10 h: p50 = 2nd = 2 h, p90 = 4th = 10 h
    expect(district.closure).toEqual({ closed: 4, p50Ms: 2 * HOUR, p90Ms: 10 * HOUR });
    const community = await kpis(`scope=district&id=t-community-2&from=${T0}&to=${T0 + DAY}`);
    expect(community.incidence).toMatchObject({ residents: 2000, households: 500, per10kResidents: 20 });
    const noCensus = await kpis(`scope=district&id=t-community-1&from=${T0}&to=${T0 + DAY}`);
    expect(noCensus.incidence).toMatchObject({ counted: 2, residents: null, per10kResidents: null });
  });

  it('for a segment: its incidents, report compliance and coverage', async () => {
    const body = await kpis(`scope=segment&id=t-seg-01&from=${T0}&to=${T0 + 2 * DAY}`);
    expect(body.incidents.total).toBe(1);
    expect(body.incidents.byCategory.smuggling).toBe(1);
    // two 24 h periods, a report in the first only
    expect(body.reportCompliance).toEqual({ expected: 2, met: 1, rate: 0.5 });
    expect(body.segmentCoverage).toBe(0.3);
    expect(body.jointPatrolsActive).toBe(2);
  });

  it('for everything: all segments’ coverage weighted by length', async () => {
    const body = await kpis(`from=${T0}&to=${T0 + 3 * DAY}`);
    expect(body.incidents.total).toBe(8);
    expect(body.segmentCoverage).toBe(0.65);
    // t-seg-01: 3 periods, 1 met; t-seg-02: 3 periods, none
    expect(body.reportCompliance).toEqual({ expected: 6, met: 1, rate: 1 / 6 });
  });

  it.each([
    ['scope=grid', 400],
    ['scope=grid&id=no-such-grid', 404],
    ['scope=grid&id=t-district', 404],
    ['scope=district&id=t-grid-3', 404],
    ['scope=planet', 400],
    [`from=${T0 + DAY}&to=${T0}`, 400],
  ])('%s → %i', async (query, status) => {
    expect((await server.request('GET', `/api/kpis?${query}`, { token: operator })).status).toBe(status);
  });

  it('is for the command center only', async () => {
    const staff = (await server.login('staff')).token;
    expect((await server.request('GET', '/api/kpis', { token: staff })).status).toBe(403);
  });

  it('uses nearest-rank percentiles', () => {
    expect(percentile([], 50)).toBeNull();
    expect(percentile([5], 90)).toBe(5);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBe(9);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 50)).toBe(5);
  });
});
