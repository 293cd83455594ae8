// CoT over a real TCP socket into a real server: split and batched events, bad events survived, 911, tracks.
import fs from 'node:fs';
import net from 'node:net';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Delta, DomainEvent } from '../../server/contract';
import { createCotServer, type CotServer, type CotTrack } from '../../server/ingest/cot';
import { startTestServer, waitFor, type TestServer, type TestSocket } from '../support/server';
import { until } from '../support/until';

const fixture = (name: string): string =>
  fs.readFileSync(new URL(`../fixtures/protocols/${name}`, import.meta.url), 'utf8');
const PLI = fixture('cot-atak-pli.xml');
const DEVICE = 'ANDROID-589520ccfcd20f01';

let server: TestServer;
let cot: CotServer;
let port: number;
let wall: TestSocket;
const events: DomainEvent[] = [];
const tracks: CotTrack[] = [];

/** The PLI at a later time and another place. */
function pliAt(minute: number, lat: number): string {
  const t = `2026-01-01T00:${String(minute).padStart(2, '0')}:00.000Z`;
  return PLI.replaceAll('2026-01-01T00:00:00.000Z', t).replace('lat="40.79"', `lat="${lat}"`);
}

function connect(): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port, noDelay: true }, () => resolve(socket));
    socket.once('error', reject);
  });
}

async function writeInChunks(socket: net.Socket, text: string, size: number): Promise<void> {
  const bytes = Buffer.from(text);
  for (let i = 0; i < bytes.length; i += size) {
    socket.write(bytes.subarray(i, i + size));
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

beforeAll(async () => {
  server = await startTestServer();
  const admin = await server.login('admin');
  const body = { id: 'atak-1', kind: 'military', callsign: 'RANGER-1', deviceId: DEVICE };
  expect((await server.request('POST', '/api/units', { token: admin.token, body })).status).toBe(201);
  cot = createCotServer({
    ingest: server.app.ingest,
    registry: server.app.registry,
    emit: (event) => {
      events.push(event);
      server.app.live.emit(event);
    },
    now: Date.now,
    logger: pino({ level: 'silent' }),
    onTrack: (track) => tracks.push(track),
  });
  port = await cot.listen('127.0.0.1', 0);
  wall = (await server.socket((await server.login('operator')).token)).socket;
});
afterAll(async () => {
  await cot.close();
  await server.close();
});

describe('CoT over TCP', () => {
  it('reassembles the ATAK PLI written in 5-byte chunks and the unit reaches the wall', async () => {
    const socket = await connect();
    const seen = waitFor<Delta>(wall, 'delta', (d) => d.units.upsert.some((u) => u.id === 'atak-1'));
    await writeInChunks(socket, PLI, 5);
    const unit = (await seen).units.upsert.find((u) => u.id === 'atak-1');
    expect(unit).toMatchObject({
      kind: 'military',
      callsign: 'RANGER-1',
      lat: 40.79,
      lon: -119.21,
      accuracyMeters: 9.9,
      speedMps: 0,
      headingDeg: 0,
      t: Date.parse('2026-01-01T00:00:00.000Z'),
    });
    socket.destroy();
  });

  it('takes several events in one chunk and survives malformed, billion-laughs and oversize events between them', async () => {
    const socket = await connect();
    const before = cot.stats();
    const malformed = '<?xml version="1.0"?><event uid="x" type="a-f-G"><point lat="1"></event>';
    const oversize = pliAt(2, 40.7).replace(
      '<detail>',
      `<detail><remarks>${'z'.repeat(70 * 1024)}</remarks>`,
    );
    const stream = [
      pliAt(1, 40.791),
      malformed,
      fixture('cot-billion-laughs.xml'),
      oversize,
      pliAt(3, 40.793),
    ];
    socket.write(stream.join(''));
    await until(() => server.app.live.unit('atak-1')?.lat === 40.793, 'the last PLI', 5_000);
    const after = cot.stats();
    expect(after.dropped.malformed - before.dropped.malformed).toBe(1);
    expect(after.dropped.dtd - before.dropped.dtd).toBe(1);
    expect(after.dropped.oversize - before.dropped.oversize).toBe(1);
    expect(after.positions - before.positions).toBe(2);
    await server.app.flush();
    const history = await server.store.history.query({ unitId: 'atak-1', limit: 10 });
    expect(history.map((fix) => fix.lat)).toEqual([40.79, 40.791, 40.793]);

    // The same connection still carries events.
    socket.write(pliAt(4, 40.794));
    await until(() => server.app.live.unit('atak-1')?.lat === 40.794, 'a PLI after the bad events', 5_000);
    expect(socket.destroyed).toBe(false);
    socket.destroy();
  });

  it('turns an ATAK 911 into an sos event on the wall, and its cancel into sos.cancelled', async () => {
    const socket = await connect();
    const sos = waitFor<Delta>(wall, 'delta', (d) => d.events.some((e) => e.type === 'sos'));
    socket.write(fixture('cot-atak-911.xml'));
    expect((await sos).events.find((e) => e.type === 'sos')).toMatchObject({
      unitId: 'atak-1',
      message: 'SOS from RANGER-1 (cot)',
      data: { source: 'cot', lon: -119.2102, lat: 40.7901, deviceId: DEVICE },
    });
    const cancelled = waitFor<Delta>(wall, 'delta', (d) => d.events.some((e) => e.type === 'sos.cancelled'));
    socket.write(fixture('cot-atak-911-cancel.xml'));
    expect((await cancelled).events.find((e) => e.type === 'sos.cancelled')).toMatchObject({
      unitId: 'atak-1',
      data: { deviceId: DEVICE },
    });
    socket.destroy();
  });

  it('hands a hostile track to onTrack, not to the units', async () => {
    const socket = await connect();
    const accepted = server.app.ingest.stats().accepted;
    socket.write(fixture('cot-hostile-track.xml'));
    await until(() => tracks.length === 1, 'the track', 5_000);
    expect(tracks[0]).toEqual({
      uid: '6d0f3c1e-8a1b-4f0e-9a55-0c2f5e1b7a11',
      affiliation: 'h',
      lon: -119.2,
      lat: 40.8,
      t: Date.parse('2026-01-01T00:03:00.000Z'),
      staleAt: Date.parse('2026-01-01T00:13:00.000Z'),
      callsign: 'H.1',
      type: 'a-h-G',
    });
    expect(server.app.ingest.stats().accepted).toBe(accepted);
    expect(server.app.live.units().map((u) => u.id)).not.toContain('6d0f3c1e-8a1b-4f0e-9a55-0c2f5e1b7a11');
    socket.destroy();
  });

  it('reports an unknown friendly uid once a minute as device.unknown', async () => {
    const socket = await connect();
    const stranger = PLI.replace(DEVICE, 'ANDROID-0000stranger');
    const seen = waitFor<Delta>(wall, 'delta', (d) => d.events.some((e) => e.type === 'device.unknown'));
    socket.write(stranger + stranger);
    expect((await seen).events.find((e) => e.type === 'device.unknown')).toMatchObject({
      message: 'unknown device ANDROID-0000stranger (cot)',
      data: { deviceId: 'ANDROID-0000stranger', source: 'cot' },
    });
    await until(() => cot.stats().dropped.unknownDevice >= 2, 'both events', 5_000);
    expect(events.filter((e) => e.data.deviceId === 'ANDROID-0000stranger')).toHaveLength(1);
    socket.destroy();
  });

  it('answers a ping with a pong', async () => {
    const socket = await connect();
    const reply = new Promise<string>((resolve) =>
      socket.once('data', (data: Buffer) => resolve(data.toString())),
    );
    socket.write(fixture('cot-ping.xml'));
    expect(await reply).toMatch(/<event version="2.0" uid="lianfang-pong" type="t-x-c-t-r" .*<\/event>$/s);
    socket.destroy();
  });

  it('drops a connection that sends 1 MB without a complete event', async () => {
    const socket = await connect();
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.on('error', () => undefined);
    socket.write('<event>' + 'x'.repeat(1100 * 1024));
    await closed;
    expect(cot.stats().overflows).toBe(1);
  });
});
