// The live stream: snapshot on connect, batched deltas after positions, tablet acks, resync from the log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Delta } from '../../server/contract';
import { startTestServer, waitFor, type TestServer } from '../support/server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server.close());

describe('socket.io live stream', () => {
  it('refuses a handshake without a valid token', async () => {
    await expect(server.socket('not-a-token')).rejects.toThrow('unauthenticated');
  });

  it('sends a snapshot on connect, then a delta when a tablet reports its position', async () => {
    const operator = await server.login('operator');
    const leader = await server.login('leader');
    const { socket: wall, snapshot } = await server.socket(operator.token);
    expect(snapshot).toMatchObject({
      epoch: expect.any(String),
      seq: expect.any(Number),
      layersVersion: expect.any(Number),
    });
    const { socket: tablet } = await server.socket(leader.token);

    const t = Date.now();
    const started = performance.now();
    const seen = waitFor<Delta>(wall, 'delta', (d) =>
      d.units.upsert.some((u) => u.id === 't-civ-1' && u.t === t),
    );
    const ack = await tablet.emitWithAck('position', {
      lon: 106.705,
      lat: 21.99,
      accuracyMeters: 6,
      headingDeg: 90,
      speedMps: 1.2,
      t,
    });
    expect(ack).toEqual({ ok: true, t });
    const delta = await seen;
    console.log(`position → delta on the wall in ${(performance.now() - started).toFixed(0)} ms`);
    const unit = delta.units.upsert.find((u) => u.id === 't-civ-1');
    expect(unit).toMatchObject({
      kind: 'civilian',
      callsign: '路长-01',
      lon: 106.705,
      lat: 21.99,
      stale: false,
      accuracyMeters: 6,
    });
    expect(delta.epoch).toBe(snapshot.epoch);
    expect(delta.seq).toBeGreaterThan(snapshot.seq);

    const history = await server.store.history.query({ unitId: 't-civ-1', limit: 10 });
    expect(history.map((fix) => fix.t)).toContain(t);
  });

  it('acknowledges bad positions with an error and keeps the connection', async () => {
    const leader = await server.login('leader');
    const { socket } = await server.socket(leader.token);
    const bad = await socket.emitWithAck('position', { lon: 999, lat: 21.99, t: Date.now() });
    expect(bad).toMatchObject({
      ok: false,
      error: { code: 'invalid', message: expect.stringContaining('lon') },
    });
    const garbage = await socket.emitWithAck('position', 'garbage' as never);
    expect(garbage).toMatchObject({ ok: false, error: { code: 'invalid' } });
    expect(socket.connected).toBe(true);
  });

  it('refuses positions from an account without a unit', async () => {
    const operator = await server.login('operator');
    const { socket } = await server.socket(operator.token);
    const result = await socket.emitWithAck('position', { lon: 106.7, lat: 21.99, t: Date.now() });
    expect(result).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('ignores an out-of-order fix for the live state but keeps it in history', async () => {
    const leader = await server.login('leader');
    const { socket } = await server.socket(leader.token);
    const t = Date.now() + 60_000;
    await socket.emitWithAck('position', { lon: 106.71, lat: 21.99, t });
    await socket.emitWithAck('position', { lon: 106.73, lat: 21.99, t: t - 30_000 });
    expect(server.app.live.unit('t-civ-1')).toMatchObject({ lon: 106.71, t });
    const history = await server.store.history.query({
      unitId: 't-civ-1',
      from: t - 30_000,
      to: t - 30_000,
      limit: 5,
    });
    expect(history).toHaveLength(1);
  });

  it('resyncs from the delta log, and answers a foreign epoch with a snapshot', async () => {
    const operator = await server.login('operator');
    const { socket, snapshot } = await server.socket(operator.token);
    await server.app.ingest.submit({
      unitId: 't-mil-1',
      source: 'simulator',
      lon: 106.71,
      lat: 21.985,
      t: Date.now(),
      accuracyMeters: 5,
      headingDeg: 10,
      speedMps: 2,
    });
    await waitFor<Delta>(socket, 'delta', (d) => d.units.upsert.some((u) => u.id === 't-mil-1'));
    const missed = await socket.emitWithAck('resync', { epoch: snapshot.epoch, sinceSeq: snapshot.seq });
    expect(missed.ok && 'deltas' in missed && missed.deltas.length).toBeGreaterThan(0);
    if (missed.ok && 'deltas' in missed) {
      expect(missed.deltas.map((d) => d.seq)).toEqual(missed.deltas.map((_, i) => snapshot.seq + 1 + i));
    }
    const foreign = await socket.emitWithAck('resync', { epoch: 'other-epoch', sinceSeq: 3 });
    expect(
      foreign.ok && 'snapshot' in foreign && foreign.snapshot.units.some((u) => u.id === 't-mil-1'),
    ).toBe(true);
  });

  it('marks a silent unit stale after UNIT_STALE_MS and says so in a delta', async () => {
    const fast = await (await import('../support/server')).startTestServer({ UNIT_STALE_MS: '1000' });
    try {
      const operator = await fast.login('operator');
      const { socket } = await fast.socket(operator.token);
      await fast.app.ingest.submit({
        unitId: 't-pol-1',
        source: 'simulator',
        lon: 106.71,
        lat: 21.985,
        t: Date.now(),
        accuracyMeters: 5,
        headingDeg: null,
        speedMps: null,
      });
      const stale = await waitFor<Delta>(
        socket,
        'delta',
        (d) => d.units.upsert.some((u) => u.id === 't-pol-1' && u.stale),
        10_000,
      );
      expect(stale.units.upsert.find((u) => u.id === 't-pol-1')?.stale).toBe(true);
    } finally {
      await fast.close();
    }
  });
});
