// Demo life on a real server: with a fast interval it raises incidents (hotline, grid staff), road-chief
// reports (an anomaly becomes an incident) and an SOS that its sender cancels, all through the closed loop,
// so an operator's socket sees them in deltas; household posts check in on a fast schedule; and the
// backfill's open incidents and the posts' check-ins carry on after the start, the missed ones followed up.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert, Delta, Incident } from '../../server/contract';
import { createDemoLife, type DemoLife } from '../../server/demo/demo-life';
import { isOpen } from '../../server/domain/incident-machine';
import { MISSED_FOLLOW_UP_NOTE } from '../../server/demo/mix';
import { DEFAULT_DEADLINES, parseDeadlines } from '../../server/domain/deadlines';
import { readScenario } from '../../server/domain/scenario';
import { createMotion, createSimulator, type Simulator } from '../../server/ingest/simulator';
import { planTeams } from '../../server/ingest/simulator-routes';
import { FIXTURE_SCENARIO, startTestServer, tempDir, waitFor, type TestServer } from '../support/server';
import {
  backfill,
  checkinsOf,
  demoPosts,
  expectedPosts,
  openDemoStore,
  serve,
  silent,
  type CheckinRow,
} from './demo-support';

const WAIT_MS = 15_000;
const HOUR = 3_600_000;
const MINUTE = 60_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A logger that keeps what demo life reports as failed: a step that throws is a defect. */
function recordFailures() {
  const errors: unknown[] = [];
  const logger = { ...silent, error: (...args: unknown[]) => errors.push(args), warn: () => undefined };
  return { errors, logger: logger as unknown as typeof silent };
}

describe('demo life, live', () => {
  let server: TestServer;
  let simulator: Simulator;
  let life: DemoLife;
  let token: string;

  beforeAll(async () => {
    server = await startTestServer({ UNIT_STALE_MS: '600000' });
    const scenario = readScenario(FIXTURE_SCENARIO);
    const teams = planTeams(scenario.units, scenario.layers);
    simulator = createSimulator({
      teams,
      ingest: server.app.ingest,
      now: Date.now,
      intervalMs: 200,
      maxUnits: 100,
      origin: 0,
    });
    simulator.start();
    token = (await server.login('operator')).token;
  });

  afterAll(async () => {
    simulator?.stop();
    await life?.stop();
    await server?.close();
  });

  it('raises incidents, road-chief reports and an SOS with its cancellation, seen by an operator socket', async () => {
    const failures = recordFailures();
    const { socket } = await server.socket(token);
    const seen = { incidents: [] as Incident[], alerts: [] as Alert[], events: [] as string[] };
    socket.on('delta', (delta: Delta) => {
      seen.incidents.push(...delta.incidents);
      seen.alerts.push(...delta.alerts);
      seen.events.push(...delta.events.map((e) => e.type));
    });
    const scenario = readScenario(FIXTURE_SCENARIO);
    life = createDemoLife({
      app: server.app,
      store: server.store,
      motion: createMotion(planTeams(scenario.units, scenario.layers), 100, 0),
      intervalMs: 150,
      seed: 3,
      deadlines: DEFAULT_DEADLINES,
      now: Date.now,
      logger: failures.logger,
      happenings: { incident: 1, report: 1, sos: 1 },
      anomalyRate: 0.5,
    });
    const t0 = performance.now();
    life.start();

    const intake = await waitFor<Delta>(
      socket,
      'delta',
      (d) => d.incidents.some((i) => i.source === 'hotline' || i.source === 'staff'),
      WAIT_MS,
    );
    const raised = intake.incidents.find((i) => i.source === 'hotline' || i.source === 'staff') as Incident;
    console.log(`first intake incident after ${Math.round(performance.now() - t0)} ms`, raised.summary);
    expect(raised.createdBy).toMatch(/^demo:/);
    expect(raised.gridId).toMatch(/^t-grid-/);

    const fromReport = await waitFor<Delta>(
      socket,
      'delta',
      (d) => d.incidents.some((i) => i.source === 'report'),
      WAIT_MS,
    );
    const anomaly = fromReport.incidents.find((i) => i.source === 'report') as Incident;
    console.log(`first anomaly incident after ${Math.round(performance.now() - t0)} ms`, anomaly.summary);
    expect(anomaly.reportId).toEqual(expect.any(String));
    expect(anomaly.segmentId).toMatch(/^t-seg-0[12]$/);
    const reports = await server.request('GET', '/api/reports?limit=100', { token });
    expect(reports.status).toBe(200);
    expect(reports.body.items.some((r: { id: string }) => r.id === anomaly.reportId)).toBe(true);

    const sos = await waitFor<Delta>(socket, 'delta', (d) => d.alerts.some((a) => a.type === 'sos'), WAIT_MS);
    const sosAlert = sos.alerts.find((a) => a.type === 'sos') as Alert;
    console.log(`first SOS after ${Math.round(performance.now() - t0)} ms`, sosAlert.message);
    expect(sosAlert.severity).toBe('critical');
    expect(sosAlert.lon).toEqual(expect.any(Number));
    await waitFor<Delta>(
      socket,
      'delta',
      (d) => d.alerts.some((a) => a.id === sosAlert.id && a.acknowledgedAt !== null),
      WAIT_MS,
    );
    expect(seen.events).toContain('sos');
    expect(seen.events).toContain('sos.cancelled');

    expect(failures.errors).toEqual([]);
    const kpis = await server.request('GET', '/api/kpis', { token });
    expect(kpis.body.incidents.total).toBeGreaterThanOrEqual(2);
    console.log('demo life counts:', life.counts());
  });
});

describe('demo life, after the backfill', () => {
  it('carries on the backfilled open incidents through the app, in real time', async () => {
    const START = Date.parse('2026-11-28T04:00:00Z');
    const dataDir = tempDir('lianfang-demo-');
    const opened = await openDemoStore(dataDir, START - 86_400_000);
    const result = await backfill(opened.store, dataDir, opened.motion, { days: 1, seed: 5, start: START });
    if (!result.ran) throw new Error('the backfill did not run');
    const leftOpen = (await opened.store.incidents.open()).map((i) => i.id);
    expect(leftOpen.length).toBeGreaterThan(0);
    expect(result.world.agenda.size()).toBeGreaterThan(0);

    let clock = START + 1_000;
    const failures = recordFailures();
    const served = await serve(opened.store, dataDir, () => clock);
    const life = createDemoLife({
      app: served.app,
      store: opened.store,
      motion: opened.motion,
      intervalMs: 86_400_000,
      seed: 5,
      deadlines: DEFAULT_DEADLINES,
      now: () => clock,
      logger: failures.logger,
      world: result.world,
    });
    try {
      // Hour by hour for three weeks after the start (the slowest story: a petition's 7-day stage, late):
      // each step the backfill planned comes due and is done through the app's closed loop (whose engine
      // ticks on the same clock), and plans the next.
      const t0 = performance.now();
      for (let hour = 0; hour < 21 * 24; hour++) {
        clock += HOUR;
        await life.step();
      }
      console.log(
        `${leftOpen.length} open incidents carried on in ${Math.round(performance.now() - t0)} ms`,
        life.counts(),
      );
      expect(failures.errors).toEqual([]);
      const after = await Promise.all(leftOpen.map((id) => opened.store.incidents.byId(id)));
      expect(after.filter((i) => i && isOpen(i.status))).toEqual([]);
      const timeline = await opened.store.incidents.timeline(leftOpen[0] as string);
      expect(timeline.some((e) => e.t >= START && e.actorId.startsWith('demo:'))).toBe(true);
    } finally {
      await life.stop();
      await served.close();
      await opened.store.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe('demo life, household check-ins live', () => {
  it('checks the posts in through the check-in service in every period of a fast schedule, spread over it', async () => {
    // Every 10 s round the clock, for the app's closed loop and demo life alike (DEADLINES_JSON).
    const EVERY = 10_000;
    const deadlinesJson = JSON.stringify({ checkins: { every: '10s', from: '00:00', to: '24:00' } });
    const server = await startTestServer({ DEADLINES_JSON: deadlinesJson });
    const layer = demoPosts(40);
    await server.store.layers.put('posts', layer);
    await server.app.closedLoop.reloadLayers();
    const failures = recordFailures();
    const life = createDemoLife({
      app: server.app,
      store: server.store,
      motion: null,
      intervalMs: 1_000,
      seed: 11,
      deadlines: parseDeadlines(deadlinesJson),
      now: Date.now,
      logger: failures.logger,
      happenings: { incident: 1 },
    });
    try {
      const t0 = Date.now();
      life.start();
      // Periods start at local midnight (16:00 UTC, a multiple of 10 s): the next two whole ones.
      const first = Math.ceil(t0 / EVERY) * EVERY;
      const periods = [0, 1].map((k) => ({ start: first + k * EVERY, end: first + (k + 1) * EVERY }));
      while (Date.now() < first + 2 * EVERY + 500 && Date.now() - t0 < 60_000) await sleep(250);
      const { token } = await server.login('operator');
      const posts = expectedPosts(layer);
      const rows = await checkinsOf((route) => server.request('GET', route, { token }), posts, t0);
      console.log(
        `${rows.length} check-ins of ${posts.length} posts in ${Date.now() - t0} ms (periods of ${EVERY} ms)`,
        life.counts(),
      );
      expect(failures.errors).toEqual([]);
      expect(rows.every((r) => r.userId.startsWith('demo:'))).toBe(true);
      for (const p of periods) {
        const times = rows.filter((r) => r.t >= p.start && r.t < p.end).map((r) => r.t);
        const present = new Set(rows.filter((r) => r.t >= p.start && r.t < p.end).map((r) => r.postId));
        expect(present.size).toBeGreaterThanOrEqual(0.9 * posts.length);
        // Spread over the period, not all at once.
        expect(Math.max(...times) - Math.min(...times)).toBeGreaterThan(0.4 * EVERY);
        expect(new Set(times.map((t) => Math.floor(t / 1000))).size).toBeGreaterThanOrEqual(4);
      }
      expect(life.counts()['post.checkin']).toBeGreaterThanOrEqual(rows.length);
    } finally {
      await life.stop();
      await server.close();
    }
  }, 90_000);
});

describe('demo life, household check-ins after the backfill', () => {
  it('carries the check-ins on from the backfill, once a period; the missed ones raise alerts the duty officer follows up', async () => {
    const START = Date.parse('2026-11-28T04:00:00Z'); // 12:00 in Asia/Shanghai, in the 08–14 period
    const dataDir = tempDir('lianfang-demo-');
    const opened = await openDemoStore(dataDir, START - 86_400_000);
    const layer = demoPosts(80);
    await opened.store.layers.put('posts', layer);
    const result = await backfill(opened.store, dataDir, opened.motion, { days: 1, seed: 9, start: START });
    if (!result.ran) throw new Error('the backfill did not run');

    let clock = START + 1_000;
    const failures = recordFailures();
    const served = await serve(opened.store, dataDir, () => clock);
    const life = createDemoLife({
      app: served.app,
      store: opened.store,
      motion: opened.motion,
      intervalMs: 86_400_000,
      seed: 9,
      deadlines: DEFAULT_DEADLINES,
      now: () => clock,
      logger: failures.logger,
      world: result.world,
      missedCheckinRate: 0.05,
    });
    // Until 14:10 local the next day, five minutes a step: the app's loop ticks on the same clock.
    const END = Date.parse('2026-11-29T06:10:00Z');
    try {
      const t0 = performance.now();
      while (clock < END) {
        clock += 5 * MINUTE;
        await life.step();
        await served.app.closedLoop.tick(clock);
      }
      console.log(`26 h of demo life in ${Math.round(performance.now() - t0)} ms`, life.counts());
      expect(failures.errors).toEqual([]);
      const token = await served.login('operator');
      const posts = expectedPosts(layer);
      const rows = await checkinsOf((route) => served.request('GET', route, token), posts);
      const within = (start: string): CheckinRow[] =>
        rows.filter((r) => r.t >= Date.parse(start) && r.t < Date.parse(start) + 6 * HOUR);

      // The period the start fell in: the backfill checked some in, demo life the rest, nobody twice.
      const straddling = within('2026-11-28T00:00:00Z');
      const before = straddling.filter((r) => r.t < START).length;
      console.log(
        `period in progress at the start: ${before} check-ins before it, ${straddling.length - before} after`,
      );
      expect(before).toBeGreaterThan(0);
      expect(straddling.length).toBeGreaterThan(before);
      expect(new Set(straddling.map((r) => r.postId)).size).toBe(straddling.length);
      expect(straddling.length).toBeGreaterThanOrEqual(0.9 * posts.length);

      // The periods the app's loop watched from their start (14–20 and the next day's 08–14 local).
      const missed = new Set<string>();
      for (const start of ['2026-11-28T06:00:00Z', '2026-11-29T00:00:00Z']) {
        const rowsIn = within(start);
        const present = new Set(rowsIn.map((r) => r.postId));
        expect(present.size).toBe(rowsIn.length);
        expect(rowsIn.every((r) => r.userId.startsWith('demo:'))).toBe(true);
        for (const id of posts) if (!present.has(id)) missed.add(`${id}@${Date.parse(start)}`);
      }
      const alerts = (await opened.store.alerts.list({ limit: 1000 })).items.filter(
        (a) => a.type === 'checkin.missed' && a.t >= START,
      );
      console.log(
        `missed post-periods live: ${missed.size} of ${2 * posts.length}`,
        alerts.map((a) => [a.message, a.ackNote]),
      );
      expect(missed.size).toBeGreaterThan(0);
      expect(missed.size).toBeLessThanOrEqual(0.15 * 2 * posts.length);
      expect(new Set(alerts.map((a) => `${String(a.data.postId)}@${String(a.data.periodStart)}`))).toEqual(
        missed,
      );
      // Followed up by phone within the hour (the odd one by the stale-alert sweep); none left waiting.
      const settled = alerts.filter((a) => a.t < END - 65 * MINUTE);
      expect(settled.length).toBeGreaterThan(0);
      expect(settled.every((a) => a.acknowledgedBy === 'demo:duty-officer')).toBe(true);
      expect(settled.some((a) => a.ackNote === MISSED_FOLLOW_UP_NOTE)).toBe(true);
    } finally {
      await life.stop();
      await served.close();
      await opened.store.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 180_000);
});
