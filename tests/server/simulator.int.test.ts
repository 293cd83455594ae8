// The demo simulator is just another device: it submits bare PositionReports through the ingest pipeline,
// and the grid, segment and joint-patrol fields come from the engine.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PositionReport } from '../../server/contract';
import { readScenario } from '../../server/domain/scenario';
import type { Ingest } from '../../server/ingest/pipeline';
import { createSimulator } from '../../server/ingest/simulator';
import { planTeams } from '../../server/ingest/simulator-routes';
import { FIXTURE_SCENARIO, startTestServer, type TestServer } from '../support/server';

let server: TestServer;
let clock = Date.parse('2026-11-28T03:00:00Z');

beforeAll(async () => {
  server = await startTestServer({ UNIT_STALE_MS: '3600000' }, { now: () => clock });
});
afterAll(async () => server.close());

describe('simulator', () => {
  it('submits only PositionReports, and the engine derives grid, segment and joint patrol', async () => {
    const scenario = readScenario(FIXTURE_SCENARIO);
    const teams = planTeams(scenario.units, scenario.layers);
    expect(teams.find((team) => team.id === 'seg:0')?.memberIds).toEqual(['t-mil-1', 't-pol-1', 't-civ-1']);

    const submitted: unknown[] = [];
    const recording: Ingest = {
      submit: (report) => {
        submitted.push(report);
        return server.app.ingest.submit(report);
      },
      stats: () => server.app.ingest.stats(),
    };
    const simulator = createSimulator({
      teams,
      ingest: recording,
      now: () => clock,
      intervalMs: 1000,
      maxUnits: 100,
    });
    for (let step = 0; step < 90; step++) {
      await simulator.step(clock);
      await server.app.flush();
      clock += 1000;
    }
    expect(submitted.length).toBe(90 * 5);
    for (const report of submitted) {
      expect(Object.keys(report as object).sort()).toEqual(Object.keys(PositionReport.shape).sort());
      expect(PositionReport.safeParse(report).success).toBe(true);
    }
    const civ = server.app.live.unit('t-civ-1');
    expect(civ?.segmentId).toMatch(/^t-seg-0[12]$/);
    const patrolled = ['t-mil-1', 't-pol-1', 't-civ-1'].map(
      (id) => server.app.live.unit(id)?.jointPatrolId ?? null,
    );
    console.log('joint patrol ids after 90 s of simulation:', patrolled);
    // The leader walks with the team for the first half of each drift period: by 90 s they have formed.
    expect(patrolled[0]).toEqual(expect.any(String));
    expect(new Set(patrolled.filter((id) => id !== null)).size).toBe(1);
  });
});
