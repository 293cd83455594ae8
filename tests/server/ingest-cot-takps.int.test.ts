// CoT made by a TAK library (@tak-ps/node-cot, the one CloudTAK uses), not by us: its XML goes over real TCP to
// the server's CoT port and must show up as a unit at the right place, and its 911 as an SOS alarm. This keeps
// our parser honest against what another implementation writes, beyond our hand-made fixtures.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert, UnitState } from '../../server/contract';
import { startTestServer, type TestServer, type TestSocket } from '../support/server';

/** The slice of the library we use. Imported by name at run time: its package ships TypeScript sources that
 * do not pass our strict compiler options, and skipLibCheck does not cover .ts files. */
interface CoTEvent {
  to_xml(): string;
}
type CoTConstructor = new (raw: { event: Record<string, unknown> }) => CoTEvent;
const LIBRARY = '@tak-ps/node-cot';
let CoT: CoTConstructor;

async function poll<T>(read: () => T | undefined | Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await read();
    if (value !== undefined) {
      console.log(`arrived in ${Date.now() - started} ms`);
      return value;
    }
    if (Date.now() - started > timeoutMs) throw new Error(`nothing after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const DEVICE = 'ANDROID-7f3a9c2e11d04b55';
let server: TestServer;
let admin: string;
let wall: TestSocket;
const alerts: Alert[] = [];

function send(xml: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port: server.app.ports().cot }, () => {
      socket.end(xml, () => resolve());
    });
    socket.once('error', reject);
  });
}

const iso = (ms: number): string => new Date(ms).toISOString();

beforeAll(async () => {
  CoT = ((await import(LIBRARY)) as { default: CoTConstructor }).default;
  server = await startTestServer();
  admin = (await server.login('admin')).token;
  const body = { id: 'tak-1', kind: 'police', callsign: '边防-1', deviceId: DEVICE };
  expect((await server.request('POST', '/api/units', { token: admin, body })).status).toBe(201);
  wall = (await server.socket(admin)).socket;
  wall.on('delta', (delta) => alerts.push(...delta.alerts));
});
afterAll(async () => {
  wall.disconnect();
  await server.close();
});

describe('CoT written by @tak-ps/node-cot', () => {
  it('places a PLI built by the library', async () => {
    const now = Date.now();
    const pli = new CoT({
      event: {
        _attributes: {
          version: '2.0',
          uid: DEVICE,
          type: 'a-f-G-U-C',
          how: 'm-g',
          time: iso(now),
          start: iso(now),
          stale: iso(now + 300_000),
        },
        point: { _attributes: { lat: 21.9812, lon: 106.7034, hae: 250, ce: 6.5, le: 9.9 } },
        detail: {
          contact: { _attributes: { callsign: '边防-1', endpoint: '*:-1:stcp' } },
          __group: { _attributes: { name: 'Cyan', role: 'Team Lead' } },
          track: { _attributes: { speed: '1.5', course: '90.0' } },
        },
      },
    });
    const xml = pli.to_xml();
    expect(xml).toContain('NodeCoT'); // the library stamps its flow tag: this really is its output
    await send(xml);
    const unit = await poll(async () => {
      const units = await server.request('GET', '/api/units', { token: admin });
      const feature = (units.body.features as { properties: UnitState }[]).find(
        (f) => f.properties.id === 'tak-1',
      );
      return feature?.properties;
    }, 10_000);
    expect(unit).toMatchObject({
      lon: 106.7034,
      lat: 21.9812,
      accuracyMeters: 6.5,
      speedMps: 1.5,
      headingDeg: 90,
    });
  });

  it('raises an SOS alarm from a library-built 911 event', async () => {
    const now = Date.now();
    const emergency = new CoT({
      event: {
        _attributes: {
          version: '2.0',
          uid: `${DEVICE}-9-1-1`,
          type: 'b-a-o-tbl',
          how: 'm-g',
          time: iso(now),
          start: iso(now),
          stale: iso(now + 60_000),
        },
        point: { _attributes: { lat: 21.9815, lon: 106.7031, hae: 250, ce: 5, le: 9.9 } },
        detail: {
          link: { _attributes: { uid: DEVICE, relation: 'p-p', type: 'a-f-G-U-C' } },
          contact: { _attributes: { callsign: '边防-1-Alert' } },
          emergency: { _attributes: { type: '911 Alert' }, _text: '边防-1' },
        },
      },
    });
    await send(emergency.to_xml());
    const sos = await poll(
      () => alerts.find((alert) => alert.type === 'sos' && alert.unitId === 'tak-1'),
      10_000,
    );
    expect(sos).toMatchObject({ severity: 'critical', acknowledgedAt: null });
  });
});
