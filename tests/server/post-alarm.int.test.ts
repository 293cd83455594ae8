// A household post's alarm on the real server (HTTP, OsmAnd fixes, Socket.io, SQLite): it fans out to the
// post's ten-household group, the nearest fresh unit and the grid staff, each acknowledging on its own.
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertRecord, Delta } from '../../server/contract';
import { startTestServer, waitFor, type TestServer } from '../support/server';
import { addUser, testPosts } from './posts-support';

let server: TestServer;
let clock = Date.parse('2026-11-28T02:00:00Z');
const tokens: Record<string, string> = {};

async function fix(deviceId: string, lon: number, lat: number): Promise<void> {
  const port = server.app.ports().osmand;
  const query = `id=${deviceId}&lat=${lat}&lon=${lon}&timestamp=${Math.floor(clock / 1000)}`;
  const response = await fetch(`http://127.0.0.1:${port}/?${query}`);
  expect(response.status).toBe(200);
}

const ackRecipient = (alertId: string, type: string, id: string, token: string, note?: string) =>
  server.request('POST', `/api/alerts/${alertId}/recipients/${type}/${id}/ack`, {
    token,
    body: note === undefined ? {} : { note },
  });

function recipientRow(alertId: string, type: string, id: string): Record<string, unknown> | undefined {
  const db = new Database(path.join(server.dataDir, 'lianfang.db'), { readonly: true });
  try {
    return db
      .prepare('SELECT * FROM alert_recipients WHERE alert_id = ? AND type = ? AND recipient_id = ?')
      .get(alertId, type, id) as Record<string, unknown> | undefined;
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  server = await startTestServer({}, { now: () => clock });
  await addUser(server.store, {
    username: 'leader2',
    role: 'leader',
    unitId: 't-civ-2',
    segmentIds: ['t-seg-02'],
  });
  await addUser(server.store, {
    username: 'staff2',
    role: 'staff',
    staffId: 't-staff-2',
    areaId: 't-grid-2',
  });
  for (const name of ['admin', 'operator', 'leader', 'staff', 'leader2', 'staff2'])
    tokens[name] = (await server.login(name)).token;
  const imported = await server.request('PUT', '/api/layers/posts', {
    token: tokens.admin,
    body: testPosts(),
  });
  expect(imported.status).toBe(200);
});
afterAll(async () => server.close());

describe('a post’s alarm', () => {
  let alert: AlertRecord;

  it('fans out to the group, the nearest fresh unit and the grid staff, and reaches the unit live', async () => {
    // t-mil-1 is nearest to t-hh-1 but its last fix is 5 min old (stale after 2 min); t-civ-1 is ~200 m
    // away and fresh, t-pol-1 ~2 km.
    await fix('dev-t-mil-1', 106.7051, 21.9901);
    clock += 5 * 60_000;
    await fix('dev-t-civ-1', 106.707, 21.9885);
    await fix('dev-t-pol-1', 106.7, 22.0071);
    await server.app.flush();
    expect(server.app.live.unit('t-mil-1')?.stale).toBe(true);

    const { socket: tablet } = await server.socket(tokens.leader ?? '');
    const started = performance.now();
    const reached = waitFor<Delta>(tablet, 'delta', (d) => d.alerts.some((a) => a.type === 'post.alarm'));
    const reply = await server.request('POST', '/api/posts/t-hh-1/alarm', {
      token: tokens.leader,
      headers: { 'Idempotency-Key': 'tab-7:alarm-1' },
      body: { note: '有人翻越围栏' },
    });
    expect(reply.status).toBe(201);
    alert = reply.body as AlertRecord;
    const unacknowledged = { acknowledgedAt: null, acknowledgedBy: null, onBehalf: false, notifiedAt: clock };
    expect(alert).toMatchObject({
      type: 'post.alarm',
      severity: 'critical',
      message: 't-hh-1户哨报警：有人翻越围栏',
      lon: 106.705,
      lat: 21.99,
      gridId: 't-grid-1',
      level: 0,
      acknowledgedAt: null,
      data: { postId: 't-hh-1', groupId: 't-jdg-1', segmentId: 't-seg-01', note: '有人翻越围栏' },
    });
    expect(alert.recipients).toEqual([
      {
        type: 'post',
        id: 't-hh-2',
        name: 't-hh-2户哨',
        ...unacknowledged,
        acknowledgedByName: null,
        note: null,
      },
      {
        type: 'post',
        id: 't-hh-3',
        name: 't-hh-3户哨',
        ...unacknowledged,
        acknowledgedByName: null,
        note: null,
      },
      {
        type: 'unit',
        id: 't-civ-1',
        name: '路长-01',
        ...unacknowledged,
        acknowledgedByName: null,
        note: null,
      },
      {
        type: 'staff',
        id: 't-staff-1',
        name: '张伟',
        ...unacknowledged,
        acknowledgedByName: null,
        note: null,
      },
    ]);
    expect(alert.awaiting.map((r) => `${r.type}:${r.id}`)).toEqual([
      'post:t-hh-2',
      'post:t-hh-3',
      'unit:t-civ-1',
      'staff:t-staff-1',
    ]);
    const nearest = alert.data.nearestUnit as { id: string; meters: number };
    expect(nearest.id).toBe('t-civ-1');
    expect(nearest.meters).toBeGreaterThan(150);
    expect(nearest.meters).toBeLessThan(300);

    const delta = await reached;
    console.log(`alarm → the nearest unit's tablet in ${(performance.now() - started).toFixed(0)} ms`);
    const live = delta.alerts.find((a) => a.id === alert.id) as AlertRecord | undefined;
    expect(live?.recipients.some((r) => r.type === 'unit' && r.id === 't-civ-1')).toBe(true);

    // A retried alarm (same key) is the same alarm; the same key for another alarm is a conflict.
    const retry = await server.request('POST', '/api/posts/t-hh-1/alarm', {
      token: tokens.leader,
      body: { note: '有人翻越围栏', idempotencyKey: 'tab-7:alarm-1' },
    });
    expect(retry.status).toBe(201);
    expect(retry.body.id).toBe(alert.id);
    const reused = await server.request('POST', '/api/posts/t-hh-2/alarm', {
      token: tokens.leader,
      body: { idempotencyKey: 'tab-7:alarm-1' },
    });
    expect(reused.status).toBe(409);
    const list = await server.request('GET', '/api/alerts?limit=1000', { token: tokens.operator });
    expect(list.body.items.filter((a: AlertRecord) => a.type === 'post.alarm')).toHaveLength(1);
  });

  it('refuses alarms for posts off the caller’s segment or grid, and unknown posts', async () => {
    const post = (id: string, token?: string) =>
      server.request('POST', `/api/posts/${id}/alarm`, { token, body: {} });
    expect((await post('t-hh-4', tokens.leader)).status).toBe(403);
    expect((await post('t-hh-1', tokens.staff2)).status).toBe(403);
    expect((await post('t-none', tokens.operator)).status).toBe(404);
    expect((await post('t-hh-1')).status).toBe(401);
    const bad = await server.request('POST', '/api/posts/t-hh-1/alarm', {
      token: tokens.leader,
      body: { note: 7 },
    });
    expect(bad.status).toBe(400);
  });

  it('takes acknowledgements per recipient: from the recipient, or an operator on its behalf', async () => {
    const { socket: wall } = await server.socket(tokens.operator ?? '');
    // Strangers: another unit's leader, staff of another grid, staff for a post.
    for (const [type, id, who] of [
      ['unit', 't-civ-1', 'leader2'],
      ['post', 't-hh-2', 'leader2'],
      ['staff', 't-staff-1', 'staff2'],
      ['post', 't-hh-2', 'staff'],
      ['unit', 't-civ-1', 'staff'],
    ] as const) {
      const reply = await ackRecipient(alert.id, type, id, tokens[who] ?? '');
      expect(reply.status, `${who} → ${type} ${id}`).toBe(403);
      expect(reply.body.error.code).toBe('forbidden');
    }
    expect((await server.request('GET', `/api/alerts/${alert.id}`, { token: tokens.leader2 })).status).toBe(
      404,
    );

    clock += 30_000;
    const byLeader = await ackRecipient(alert.id, 'unit', 't-civ-1', tokens.leader ?? '', '已出发');
    expect(byLeader.status).toBe(200);
    // Durable before the answer.
    expect(recipientRow(alert.id, 'unit', 't-civ-1')).toMatchObject({ acknowledged_at: clock, on_behalf: 0 });
    expect(byLeader.body.recipients.find((r: { id: string }) => r.id === 't-civ-1')).toMatchObject({
      acknowledgedAt: clock,
      acknowledgedByName: 'leader',
      onBehalf: false,
      note: '已出发',
    });
    expect(byLeader.body.awaiting.map((r: { id: string }) => r.id)).toEqual([
      't-hh-2',
      't-hh-3',
      't-staff-1',
    ]);

    const shrunk = waitFor<Delta>(wall, 'delta', (d) =>
      d.alerts.some((a) => a.id === alert.id && (a as AlertRecord).awaiting.length === 2),
    );
    const byOperator = await ackRecipient(alert.id, 'post', 't-hh-2', tokens.operator ?? '', '电话确认');
    expect(byOperator.status).toBe(200);
    expect(byOperator.body.recipients.find((r: { id: string }) => r.id === 't-hh-2')).toMatchObject({
      acknowledgedByName: 'operator',
      onBehalf: true,
      note: '电话确认',
    });
    expect((await shrunk).alerts.find((a) => a.id === alert.id)).toBeDefined();

    const byStaff = await ackRecipient(alert.id, 'staff', 't-staff-1', tokens.staff ?? '');
    expect(byStaff.status).toBe(200);
    expect(byStaff.body.awaiting).toEqual([{ type: 'post', id: 't-hh-3', name: 't-hh-3户哨' }]);

    const again = await ackRecipient(alert.id, 'unit', 't-civ-1', tokens.operator ?? '');
    expect(again.status).toBe(409);
    expect(again.body.error.message).toContain('leader');
    expect((await ackRecipient(alert.id, 'unit', 't-pol-1', tokens.operator ?? '')).status).toBe(404);
    expect((await ackRecipient(alert.id, 'cat', 'x', tokens.operator ?? '')).status).toBe(400);
    expect(
      (await ackRecipient('01JZZZZZZZZZZZZZZZZZZZZZZZ', 'post', 't-hh-3', tokens.operator ?? '')).status,
    ).toBe(404);

    // The detail: the log names every acknowledgement; the alert itself is still unclaimed.
    const detail = await server.request('GET', `/api/alerts/${alert.id}`, { token: tokens.leader });
    expect(detail.status).toBe(200);
    expect(detail.body.acknowledgedAt).toBeNull();
    expect(
      detail.body.log.map((e: { action: string; actorName: string; recipient: { id: string } }) => [
        e.action,
        e.actorName,
        e.recipient.id,
      ]),
    ).toEqual([
      ['recipient_acknowledged', 'leader', 't-civ-1'],
      ['recipient_acknowledged', 'operator', 't-hh-2'],
      ['recipient_acknowledged', 'staff', 't-staff-1'],
    ]);
    const claimed = await server.request('POST', `/api/alerts/${alert.id}/ack`, {
      token: tokens.operator,
      body: {},
    });
    expect(claimed.status).toBe(200);
    expect(claimed.body.awaiting).toHaveLength(1);
  });
});
