// Role-scoped lists over real HTTP and SQLite: leaders see the incidents, alerts and reports of their unit and
// segments; staff those of their grid and what is assigned to them; an area operator the grids of the area.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertRecord } from '../../server/contract';
import { nextId } from '../../server/domain/incident-ids';
import { startClosedLoopServer, type ClosedLoopServer } from './closed-loop-support';
import { addUser } from './posts-support';

let server: ClosedLoopServer;
const tokens: Record<string, string> = {};
const ids: Record<string, string> = {};

async function post(route: string, token: string | undefined, body: object): Promise<{ id: string }> {
  const reply = await server.request('POST', route, { token, body });
  expect(reply.status, `${route} ${JSON.stringify(reply.body)}`).toBeLessThan(300);
  return reply.body as { id: string };
}

async function incident(gridId: string, summary: string, dispatchTo?: { type: string; id: string }) {
  const body = { category: 'other', summary, source: 'hotline', gridId };
  const { id } = await post('/api/incidents', tokens.operator, body);
  if (dispatchTo) {
    await post(`/api/incidents/${id}/transitions`, tokens.operator, { to: 'accepted' });
    await post(`/api/incidents/${id}/transitions`, tokens.operator, {
      to: 'dispatched',
      assignee: dispatchTo,
    });
  }
  return id;
}

async function event(type: string, unitId: string | null, data: Record<string, unknown>): Promise<string> {
  server.clock.now += 1;
  const t = server.clock.now;
  const alert = await server.loop.alerts.fromDomainEvent({
    id: nextId(t),
    type,
    t,
    unitId,
    message: type,
    data,
  });
  return alert?.id ?? '';
}

const listed = async (route: string, who: string): Promise<string[]> => {
  const reply = await server.request('GET', route, { token: tokens[who] });
  expect(reply.status, `${who} ${route}`).toBe(200);
  return (reply.body.items as { id: string }[]).map((item) => item.id).sort();
};
const only = (...names: string[]) => names.map((name) => ids[name]).sort();

beforeAll(async () => {
  server = await startClosedLoopServer();
  await addUser(server.store, {
    username: 'leader2',
    role: 'leader',
    unitId: 't-civ-2',
    segmentIds: ['t-seg-02'],
  });
  await addUser(server.store, { username: 'areaop', role: 'operator', areaId: 't-community-2' });
  for (const name of ['operator', 'leader', 'staff', 'leader2', 'areaop'])
    tokens[name] = (await server.login(name)).token;

  // Incidents: one per grid of interest, a road chief's anomaly in t-grid-3 on t-seg-01, one dispatched to the
  // leader's unit and one to the t-grid-1 staff member, both in t-grid-3.
  ids.i1 = await incident('t-grid-1', '网格1事件');
  ids.i2 = await incident('t-grid-3', '网格3事件');
  const report = await post('/api/reports', tokens.leader, {
    segmentId: 't-seg-01',
    status: 'anomaly',
    anomalyType: 'damage',
    lon: 106.75,
    lat: 21.99,
  });
  ids.r1 = report.id;
  ids.i3 = (report as unknown as { incidentId: string }).incidentId;
  ids.i4 = await incident('t-grid-3', '派给路长单位', { type: 'unit', id: 't-civ-1' });
  ids.i5 = await incident('t-grid-3', '派给网格1网格员', { type: 'staff', id: 't-staff-1' });
  ids.r2 = (
    await post('/api/reports', tokens.operator, {
      segmentId: 't-seg-02',
      status: 'normal',
      lon: 106.73,
      lat: 21.979,
    })
  ).id;

  // Alerts: the leader's unit's SOS and another unit's (both in t-grid-3), an overdue segment of the leader's,
  // a fence in t-grid-1, and a 督办 on the incident dispatched to the staff member.
  ids.a1 = await event('sos', 't-civ-1', { lon: 106.75, lat: 21.99 });
  ids.a2 = await event('sos', 't-civ-2', { lon: 106.751, lat: 21.99 });
  ids.a3 = await event('segment.overdue', null, { segmentId: 't-seg-01' });
  ids.a4 = await event('fence.entered', null, { lon: 106.705, lat: 21.99, severity: 'info' });
  const supervision = await server.loop.alerts.create({
    type: 'incident.overdue',
    severity: 'warning',
    message: '督办',
    lon: 106.75,
    lat: 21.99,
    unitId: null,
    incidentId: ids.i5,
  });
  ids.a5 = supervision?.id ?? '';
});
afterAll(async () => server.close());

describe('scoped lists', () => {
  it('shows a leader their unit’s and segments’ incidents, alerts and reports', async () => {
    expect(await listed('/api/incidents', 'leader')).toEqual(only('i3', 'i4'));
    expect(await listed('/api/alerts', 'leader')).toEqual(only('a1', 'a3'));
    expect(await listed('/api/reports', 'leader')).toEqual(only('r1'));
    expect(await listed('/api/reports?segmentId=t-seg-01', 'leader')).toEqual(only('r1'));
    expect(
      (await server.request('GET', '/api/reports?segmentId=t-seg-02', { token: tokens.leader })).status,
    ).toBe(403);
    expect(await listed('/api/alerts', 'leader2')).toEqual(only('a2'));
    expect(await listed('/api/reports', 'leader2')).toEqual(only('r2'));
  });

  it('shows staff their grid and what is assigned to them', async () => {
    expect(await listed('/api/incidents', 'staff')).toEqual(only('i1', 'i5'));
    expect(await listed('/api/alerts', 'staff')).toEqual(only('a4', 'a5'));
    // No segment has its middle in t-grid-1 (the test border runs south of the grids).
    expect(await listed('/api/reports', 'staff')).toEqual([]);
    expect(
      (await server.request('GET', '/api/reports?segmentId=t-seg-01', { token: tokens.staff })).status,
    ).toBe(403);
  });

  it('shows an area operator the grids under the area, and the command center everything', async () => {
    expect(await listed('/api/incidents', 'areaop')).toEqual(only('i2', 'i3', 'i4', 'i5'));
    expect(await listed('/api/alerts', 'areaop')).toEqual(only('a1', 'a2', 'a5'));
    expect(await listed('/api/incidents', 'operator')).toEqual(only('i1', 'i2', 'i3', 'i4', 'i5'));
    expect(await listed('/api/alerts', 'operator')).toEqual(only('a1', 'a2', 'a3', 'a4', 'a5'));
    expect(await listed('/api/reports', 'operator')).toEqual(only('r1', 'r2'));
  });

  it('answers 404 for one alert outside the scope, and keeps filters and paging inside it', async () => {
    expect((await server.request('GET', `/api/alerts/${ids.a2}`, { token: tokens.leader })).status).toBe(404);
    const own = await server.request('GET', `/api/alerts/${ids.a1}`, { token: tokens.leader });
    expect(own.status).toBe(200);
    expect((own.body as AlertRecord).gridId).toBe('t-grid-3');
    expect(await listed('/api/alerts?severity=warning', 'leader')).toEqual(only('a3'));
    const first = await server.request('GET', '/api/alerts?limit=1', { token: tokens.leader });
    const second = await server.request('GET', `/api/alerts?limit=1&cursor=${first.body.nextCursor}`, {
      token: tokens.leader,
    });
    expect([first.body.items[0].id, second.body.items[0].id].sort()).toEqual(only('a1', 'a3'));
    expect(second.body.nextCursor).toBeNull();
  });
});
