// The incident state machine over real HTTP and SQLite: every pair of statuses, roles, escalation, audit log.
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncidentAuditEntry } from '../../server/contract';
import { startClosedLoopServer, type ClosedLoopServer } from './closed-loop-support';

let server: ClosedLoopServer;
let operator: string;
let staff: string;
let leader: string;

/** DOMAIN.md's transitions, written out by hand (not imported: this test must be able to disagree). */
const ALLOWED: Record<string, string[]> = {
  reported: ['accepted', 'rejected'],
  accepted: ['dispatched'],
  dispatched: ['in_progress', 'accepted'],
  in_progress: ['resolved'],
  resolved: ['verified', 'in_progress'],
  verified: ['closed'],
  closed: [],
  rejected: [],
};
const STATUSES = Object.keys(ALLOWED);
const PATH_TO: Record<string, string[]> = {
  reported: [],
  accepted: ['accepted'],
  dispatched: ['accepted', 'dispatched'],
  in_progress: ['accepted', 'dispatched', 'in_progress'],
  resolved: ['accepted', 'dispatched', 'in_progress', 'resolved'],
  verified: ['accepted', 'dispatched', 'in_progress', 'resolved', 'verified'],
  closed: ['accepted', 'dispatched', 'in_progress', 'resolved', 'verified', 'closed'],
  rejected: ['rejected'],
};

async function createIncident(token = operator, body: Record<string, unknown> = {}): Promise<any> {
  const reply = await server.request('POST', '/api/incidents', {
    token,
    body: { category: 'other', summary: '测试事件', source: 'hotline', lon: 106.75, lat: 21.99, ...body },
  });
  expect(reply.status).toBe(201);
  return reply.body;
}

const move = (id: string, to: string, token = operator, extra: Record<string, unknown> = {}) =>
  server.request('POST', `/api/incidents/${id}/transitions`, {
    token,
    body: { to, note: `→ ${to}`, ...extra },
  });

async function incidentAt(status: string): Promise<string> {
  const id = String((await createIncident()).id);
  for (const to of PATH_TO[status] ?? []) expect((await move(id, to)).status).toBe(200);
  return id;
}

beforeAll(async () => {
  server = await startClosedLoopServer();
  operator = (await server.login('operator')).token;
  staff = (await server.login('staff')).token;
  leader = (await server.login('leader')).token;
});
afterAll(async () => server.close());

describe('every pair of statuses', () => {
  const pairs = STATUSES.flatMap((from) => STATUSES.map((to) => [from, to] as const));
  it.each(pairs)('%s → %s', async (from, to) => {
    const id = await incidentAt(from);
    const reply = await move(id, to);
    if (ALLOWED[from]?.includes(to)) {
      expect(reply.status).toBe(200);
      expect(reply.body).toMatchObject({ id, status: to });
      return;
    }
    expect(reply.status).toBe(409);
    expect(reply.body.error.code).toBe('illegal_transition');
    const allowed = ALLOWED[from] ?? [];
    if (allowed.length === 0) expect(reply.body.error.message).toMatch(/final/);
    for (const next of allowed) expect(reply.body.error.message).toContain(next);
    expect((await server.request('GET', `/api/incidents/${id}`, { token: operator })).body.status).toBe(from);
  });

  it('rejects an unknown status with 400, an unknown incident with 404', async () => {
    const id = await incidentAt('reported');
    expect((await move(id, 'done')).status).toBe(400);
    expect((await move('01JZZZZZZZZZZZZZZZZZZZZZZZ', 'accepted')).status).toBe(404);
  });
});

describe('who may move what', () => {
  it('lets the assigned grid staff accept, work and resolve, and nothing else', async () => {
    const incident = await createIncident(operator, { lon: 106.71, lat: 21.99 });
    expect(incident.assignee).toEqual({ type: 'staff', id: 't-staff-1', name: '张伟' });
    expect((await move(incident.id, 'accepted', staff)).status).toBe(200);
    expect((await move(incident.id, 'dispatched', staff)).status).toBe(403);
    expect((await move(incident.id, 'dispatched')).status).toBe(200);
    expect((await move(incident.id, 'in_progress', staff)).status).toBe(200);
    expect((await move(incident.id, 'resolved', staff)).status).toBe(200);
    const verify = await move(incident.id, 'verified', staff);
    expect(verify.status).toBe(403);
    expect(verify.body.error.message).toMatch(/accepted, in_progress, resolved/);
    expect((await move(incident.id, 'verified')).status).toBe(200);
  });

  it('hides other grids’ incidents from staff and refuses them assigning', async () => {
    const elsewhere = await createIncident();
    expect((await server.request('GET', `/api/incidents/${elsewhere.id}`, { token: staff })).status).toBe(
      404,
    );
    expect((await move(elsewhere.id, 'accepted', staff)).status).toBe(404);
    const own = await createIncident(operator, { lon: 106.71, lat: 21.99 });
    const assign = await move(own.id, 'accepted', staff, { assignee: { type: 'unit', id: 't-civ-1' } });
    expect(assign.status).toBe(403);
  });

  it('lets a leader work what is dispatched to their unit, and only that', async () => {
    const mine = await incidentAt('accepted');
    const dispatched = await move(mine, 'dispatched', operator, {
      assignee: { type: 'unit', id: 't-civ-1' },
    });
    expect(dispatched.body.assignee).toEqual({ type: 'unit', id: 't-civ-1', name: '路长-01' });
    const list = await server.request('GET', '/api/incidents?status=dispatched', { token: leader });
    expect(list.body.items.map((i: { id: string }) => i.id)).toEqual([mine]);
    expect((await move(mine, 'in_progress', leader)).status).toBe(200);
    expect((await move(mine, 'resolved', leader)).status).toBe(200);
    const other = await incidentAt('accepted');
    await move(other, 'dispatched', operator, { assignee: { type: 'unit', id: 't-civ-2' } });
    expect((await move(other, 'in_progress', leader)).status).toBe(404);
  });

  it('needs a known assignee to dispatch', async () => {
    const id = await incidentAt('accepted');
    const unknown = await move(id, 'dispatched', operator, {
      assignee: { type: 'unit', id: 'no-such-unit' },
    });
    expect(unknown.status).toBe(400);
    const outside = await createIncident(operator, { lon: 106.9, lat: 21.99 });
    await move(outside.id, 'accepted');
    const nobody = await move(outside.id, 'dispatched');
    expect(nobody.status).toBe(400);
    expect(nobody.body.error.message).toMatch(/assignee/);
  });
});

describe('escalation', () => {
  it('raises the level one step at a time up to the city, then 409', async () => {
    const { id } = await createIncident();
    const levels: string[] = [];
    for (let i = 0; i < 4; i++) {
      const reply = await server.request('POST', `/api/incidents/${id}/escalate`, {
        token: operator,
        body: { note: `第${i + 1}次上报` },
      });
      expect(reply.status).toBe(200);
      levels.push(reply.body.level);
      expect(reply.body.status).toBe('reported');
    }
    expect(levels).toEqual(['community', 'subdistrict', 'district', 'city']);
    const top = await server.request('POST', `/api/incidents/${id}/escalate`, { token: operator, body: {} });
    expect(top.status).toBe(409);
    expect(top.body.error).toMatchObject({
      code: 'illegal_transition',
      message: expect.stringMatching(/city/),
    });
    const { body } = await server.request('GET', `/api/incidents/${id}`, { token: operator });
    const escalations = body.timeline.filter((e: any) => e.action === 'escalated');
    expect(escalations.map((e: IncidentAuditEntry) => [e.fromLevel, e.toLevel])).toEqual([
      ['grid', 'community'],
      ['community', 'subdistrict'],
      ['subdistrict', 'district'],
      ['district', 'city'],
    ]);
    expect(escalations[0].note).toContain('t-community-2-name');
  });

  it('does not escalate a closed incident, nor for staff it is not assigned to', async () => {
    const closed = await incidentAt('closed');
    const reply = await server.request('POST', `/api/incidents/${closed}/escalate`, {
      token: operator,
      body: {},
    });
    expect(reply.status).toBe(409);
    const other = await createIncident(operator, { lon: 106.71, lat: 21.99, category: 'fire' });
    await move(other.id, 'accepted');
    await move(other.id, 'dispatched', operator, { assignee: { type: 'unit', id: 't-civ-1' } });
    const byStaff = await server.request('POST', `/api/incidents/${other.id}/escalate`, {
      token: staff,
      body: {},
    });
    expect(byStaff.status).toBe(403);
  });
});

describe('the audit log', () => {
  it('records who, when, from, to and the note for every move, in order', async () => {
    const id = await incidentAt('closed');
    const { body } = await server.request('GET', `/api/incidents/${id}`, { token: operator });
    expect(body.timeline.map((e: IncidentAuditEntry) => [e.action, e.from, e.to])).toEqual([
      ['created', null, 'reported'],
      ['transition', 'reported', 'accepted'],
      ['transition', 'accepted', 'dispatched'],
      ['transition', 'dispatched', 'in_progress'],
      ['transition', 'in_progress', 'resolved'],
      ['transition', 'resolved', 'verified'],
      ['transition', 'verified', 'closed'],
    ]);
    expect(body.timeline[1]).toMatchObject({
      actorName: 'operator',
      note: '→ accepted',
      t: expect.any(Number),
    });
  });

  it('is append-only: no route changes it and the database refuses UPDATE and DELETE', async () => {
    const id = await incidentAt('accepted');
    for (const method of ['PATCH', 'PUT', 'DELETE']) {
      const reply = await server.request(method, `/api/incidents/${id}`, {
        token: operator,
        body: { status: 'x' },
      });
      expect(reply.status).toBe(404);
    }
    const db = new Database(path.join(server.dataDir, 'lianfang.db'));
    try {
      expect(() => db.prepare("UPDATE incident_audit SET note = 'forged'").run()).toThrow(/append-only/);
      expect(() => db.prepare('DELETE FROM incident_audit').run()).toThrow(/append-only/);
    } finally {
      db.close();
    }
    const { body } = await server.request('GET', `/api/incidents/${id}`, { token: operator });
    expect(body.timeline.map((e: IncidentAuditEntry) => e.note)).not.toContain('forged');
    expect(body.timeline).toHaveLength(2);
  });
});

describe('mediation and feedback', () => {
  it('records a dispute’s mediation outcome and the reporter’s feedback at close', async () => {
    const { id } = await createIncident(operator, { category: 'dispute' });
    const mediation = { kind: 'people', settled: true, note: '双方达成协议' };
    const other = await createIncident();
    const wrong = await server.request('POST', `/api/incidents/${other.id}/mediation`, {
      token: operator,
      body: mediation,
    });
    expect(wrong.status).toBe(409);
    const ok = await server.request('POST', `/api/incidents/${id}/mediation`, {
      token: operator,
      body: mediation,
    });
    expect(ok.body.mediation).toMatchObject({ ...mediation, by: 'operator' });
    const early = await server.request('POST', `/api/incidents/${id}/feedback`, {
      token: operator,
      body: { satisfaction: 5 },
    });
    expect(early.status).toBe(409);
    for (const to of PATH_TO.closed ?? []) await move(id, to);
    const feedback = await server.request('POST', `/api/incidents/${id}/feedback`, {
      token: operator,
      body: { satisfaction: 4, note: '满意' },
    });
    expect(feedback.status).toBe(200);
    expect(feedback.body.feedback).toMatchObject({ satisfaction: 4, note: '满意' });
    const { body } = await server.request('GET', `/api/incidents/${id}`, { token: operator });
    expect(body.timeline.map((e: IncidentAuditEntry) => e.action)).toContain('mediation');
    expect(body.timeline.at(-1).action).toBe('feedback');
  });
});
