// Durability: acknowledged reports, incidents, moves, photos, alert acks, check-ins and post alarms with their
// recipients' acks survive a SIGKILL right after.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../server/store/sqlite';
import { DEMO_PASSWORD, ROOT, tempDir } from '../support/server';

const dataDir = tempDir('lianfang-durable-');
let child: ChildProcess | null = null;

/** Starts tests/server/closed-loop-support.ts as a server process on dataDir; resolves with its URL. */
function startChild(): Promise<string> {
  // One process (node with the tsx loader), not the tsx CLI: its wrapper would take the SIGKILL instead.
  child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(ROOT, 'tests', 'server', 'closed-loop-support.ts')],
    {
      cwd: ROOT,
      env: { ...process.env, CLOSED_LOOP_CHILD_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    child?.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const url = /http:\/\/\S+/.exec(out)?.[0];
      if (url) resolve(url);
    });
    child?.once('exit', (code) => reject(new Error(`child exited ${code}`)));
  });
}

async function call(url: string, method: string, route: string, token: string | null, body?: unknown) {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined && !Buffer.isBuffer(body)) headers['content-type'] = 'application/json';
  if (Buffer.isBuffer(body)) headers['content-type'] = 'image/png';
  const payload = Buffer.isBuffer(body)
    ? new Uint8Array(body)
    : body === undefined
      ? undefined
      : JSON.stringify(body);
  const response = await fetch(url + route, { method, headers, body: payload });
  return { status: response.status, body: await response.json() };
}

afterAll(() => {
  child?.kill('SIGKILL');
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('durability', () => {
  it('loses nothing that was acknowledged when the process is killed right after', async () => {
    const url = await startChild();
    const login = async (username: string) =>
      (await call(url, 'POST', '/api/auth/login', null, { username, password: DEMO_PASSWORD })).body
        .token as string;
    const [leader, operator] = [await login('leader'), await login('operator')];
    const photo = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      Buffer.alloc(300, 1),
    ]);
    const uploaded = await call(url, 'POST', '/api/photos', leader, photo);
    expect(uploaded.status).toBe(201);
    const reports = [];
    for (let i = 0; i < 5; i++) {
      const body = {
        segmentId: 't-seg-01',
        status: 'anomaly',
        anomalyType: 'illegal_crossing',
        lon: 106.71,
        lat: 21.981,
      };
      reports.push(
        (await call(url, 'POST', '/api/reports', leader, { ...body, photoId: uploaded.body.photoId })).body,
      );
    }
    const incident = (
      await call(url, 'POST', '/api/incidents', operator, {
        category: 'fire',
        summary: '火情',
        source: 'hotline',
        gridId: 't-grid-3',
      })
    ).body;
    expect(
      (
        await call(url, 'POST', `/api/incidents/${incident.id}/transitions`, operator, {
          to: 'accepted',
          note: '受理',
        })
      ).status,
    ).toBe(200);
    const queue = (await call(url, 'GET', '/api/alerts?acknowledged=0', operator)).body.items;
    expect(queue).toHaveLength(5);
    const acked = await call(url, 'POST', `/api/alerts/${queue[0].id}/ack`, operator, { note: '收到' });
    expect(acked.status).toBe(200);
    // A post's check-in, its alarm and one recipient's acknowledgement (an operator for the grid's police officer).
    const checkin = await call(url, 'POST', '/api/posts/t-post-1/checkins', operator, { note: '平安' });
    expect(checkin.status).toBe(201);
    const alarm = await call(url, 'POST', '/api/posts/t-post-1/alarm', operator, { note: '求助' });
    expect(alarm.status).toBe(201);
    const route = `/api/alerts/${alarm.body.id}/recipients/staff/t3-police/ack`;
    expect((await call(url, 'POST', route, operator, { note: '已电话通知' })).status).toBe(200);
    const exited = new Promise((resolve) => child?.once('exit', (_code, signal) => resolve(signal)));
    child?.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    const store = openSqliteStore(dataDir);
    try {
      for (const answer of reports) {
        expect((await store.reports.byId(answer.id))?.incidentId).toBe(answer.incidentId);
        expect((await store.incidents.byId(answer.incidentId))?.reportId).toBe(answer.id);
      }
      expect((await store.incidents.byId(incident.id))?.status).toBe('accepted');
      expect((await store.incidents.timeline(incident.id)).map((e) => e.note)).toContain('受理');
      expect((await store.alerts.byId(queue[0].id))?.ackNote).toBe('收到');
      const checkins = await store.checkins.list({ postId: 't-post-1', limit: 10 });
      expect(checkins.map((c) => c.id)).toEqual([checkin.body.id]);
      const stored = await store.alerts.byId(alarm.body.id);
      expect(stored?.recipients.find((r) => r.id === 't3-police')).toMatchObject({
        note: '已电话通知',
        onBehalf: true,
      });
      expect(stored?.awaiting).toHaveLength(stored ? stored.recipients.length - 1 : -1);
      const sha = createHash('sha256').update(photo).digest('hex');
      expect(await store.photos.byId(sha)).toMatchObject({ bytes: photo.length });
      expect(fs.readFileSync(path.join(dataDir, 'photos', `${sha}.png`)).equals(photo)).toBe(true);
    } finally {
      await store.close();
    }
  });
});
