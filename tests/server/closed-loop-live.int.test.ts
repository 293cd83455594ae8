// The closed loop on the live stream: a road chief's anomaly report over the socket becomes an incident on
// every operator's screen; a retried report is stored once; an SOS becomes a critical alert.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Delta } from '../../server/contract';
import { startTestServer, waitFor, type TestServer } from '../support/server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server.close());

describe('closed loop, live', () => {
  it('turns a socket anomaly report into an incident in the operators’ deltas, once', async () => {
    const operator = await server.login('operator');
    const leader = await server.login('leader');
    const { socket: wall, snapshot } = await server.socket(operator.token);
    expect(snapshot.incidents).toEqual([]);
    const { socket: tablet } = await server.socket(leader.token);
    const report = {
      segmentId: 't-seg-01',
      status: 'anomaly',
      anomalyType: 'smuggling',
      lon: 106.705,
      lat: 21.9805,
      note: '发现可疑货物',
      idempotencyKey: 'tablet-1-report-0001',
    } as const;
    const started = performance.now();
    const seen = waitFor<Delta>(wall, 'delta', (d) => d.incidents.some((i) => i.category === 'smuggling'));
    const ack = await tablet.emitWithAck('report', report);
    expect(ack).toMatchObject({ ok: true, id: expect.any(String), incidentId: expect.any(String) });
    const delta = await seen;
    console.log(`report → incident on the wall in ${(performance.now() - started).toFixed(0)} ms`);
    const incident = delta.incidents.find((i) => i.category === 'smuggling');
    expect(incident).toMatchObject({
      id: ack.ok ? ack.incidentId : '',
      source: 'report',
      status: 'reported',
      gridId: 't-grid-1',
    });

    const retry = await tablet.emitWithAck('report', report);
    expect(retry).toEqual(ack);
    const list = await server.request('GET', '/api/incidents?category=smuggling', { token: operator.token });
    expect(list.body.items).toHaveLength(1);
  });

  it('acknowledges a refused report with a reason', async () => {
    const leader = await server.login('leader');
    const { socket } = await server.socket(leader.token);
    const refused = await socket.emitWithAck('report', {
      segmentId: 't-seg-01',
      status: 'anomaly',
      lon: 106.7,
      lat: 21.98,
    } as never);
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'invalid', message: expect.stringContaining('anomalyType') },
    });
  });

  it('raises a critical alert from an SOS (OsmAnd alarm=sos)', async () => {
    const operator = await server.login('operator');
    const { socket } = await server.socket(operator.token);
    const alerted = waitFor<Delta>(socket, 'delta', (d) => d.alerts.some((a) => a.type === 'sos'));
    const port = server.app.ports().osmand;
    const response = await fetch(`http://127.0.0.1:${port}/?id=dev-t-pol-1&lat=21.99&lon=106.71&alarm=sos`);
    expect(response.status).toBe(200);
    const delta = await alerted;
    expect(delta.alerts.find((a) => a.type === 'sos')).toMatchObject({
      severity: 'critical',
      acknowledgedBy: null,
    });
  });
});
