// Demo life on a real server: with a fast interval it raises incidents (hotline, grid staff), road-chief
// reports (an anomaly becomes an incident) and an SOS that its sender cancels, all through the closed loop,
// so an operator's socket sees them in deltas; and the backfill's open incidents carry on after the start.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert, Delta, Incident } from '../../server/contract';
import { createDemoLife, type DemoLife } from '../../server/demo/demo-life';
import { isOpen } from '../../server/domain/incident-machine';
import { DEFAULT_DEADLINES } from '../../server/domain/deadlines';
import { readScenario } from '../../server/domain/scenario';
import { createMotion, createSimulator, type Simulator } from '../../server/ingest/simulator';
import { planTeams } from '../../server/ingest/simulator-routes';
import { FIXTURE_SCENARIO, startTestServer, tempDir, waitFor, type TestServer } from '../support/server';
import { backfill, openDemoStore, serve, silent } from './demo-support';

const WAIT_MS = 15_000;
const HOUR = 3_600_000;

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
