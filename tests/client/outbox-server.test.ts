// The outbox against a real server (real HTTP, real SQLite): the link is a switch in front of fetch, nothing
// else is stood in. A queue that waited past the access token's life still flushes (refresh token); a report
// whose answer was lost, or whose page died mid-send, is stored once; a photo is uploaded once; a refusal is
// a failure with the server's reason; a task move whose answer was lost counts as done.
import fs from 'node:fs';
import path from 'node:path';
import { IDBFactory } from 'fake-indexeddb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Incident, LoginResponse } from '../../server/contract';
import { createDeliver } from '../../client/lib/offline/delivery';
import { Outbox } from '../../client/lib/offline/outbox';
import { openOutboxDb, type OutboxDb } from '../../client/lib/offline/outbox-db';
import type { OutboxDraft } from '../../client/lib/offline/outbox-item';
import { createTransport } from '../../client/lib/offline/transport';
import { startTestServer, type TestServer } from '../support/server';

let server: TestServer;
/** The server's clock runs this far ahead of the wall clock (to let tokens expire). */
let skewMs = 0;

beforeAll(async () => {
  server = await startTestServer({}, { now: () => Date.now() + skewMs });
});
afterAll(async () => server.close());

type LinkState = 'up' | 'down' | 'lose-answers';

/** A signed-in tablet: tokens it refreshes itself, a link the test switches, and a log of what went out. */
async function tablet(username = 'leader') {
  let tokens: LoginResponse = await server.login(username);
  let link: LinkState = 'up';
  let lossyPath: string | null = null;
  const sent: string[] = [];
  const linkedFetch: typeof fetch = async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : input);
    if (link === 'down') throw new TypeError('fetch failed');
    const response = await fetch(input, init);
    sent.push(`${init?.method ?? 'GET'} ${url.pathname} ${response.status}`);
    // The request reached the server and was handled; the answer never comes back.
    const lossy = lossyPath === null || url.pathname === lossyPath;
    if (link === 'lose-answers' && init?.method === 'POST' && lossy) throw new TypeError('connection reset');
    return response;
  };
  const refresh = async (): Promise<boolean> => {
    const answer = await server.request('POST', '/api/auth/refresh', {
      body: { refreshToken: tokens.refreshToken },
    });
    if (answer.status !== 200) return false;
    tokens = answer.body as LoginResponse;
    return true;
  };
  const transport = createTransport({
    baseUrl: server.url,
    token: () => tokens.token,
    refresh,
    fetch: linkedFetch,
  });
  const open = async (db: OutboxDb) =>
    Outbox.open({
      db,
      deliver: createDeliver(transport),
      owner: () => tokens.user.id,
      schedule: () => () => undefined,
    });
  return {
    sent,
    open,
    /** 'lose-answers' loses the answers to POSTs (to one path, when given) after the server handled them. */
    setLink: (state: LinkState, path: string | null = null) => {
      link = state;
      lossyPath = path;
    },
    token: () => tokens.token,
  };
}

const anomaly = (note: string, segmentId = 't-seg-01'): OutboxDraft => ({
  kind: 'report',
  path: '/api/reports',
  body: { segmentId, status: 'anomaly', anomalyType: 'smuggling', lon: 106.705, lat: 21.9805, note },
  ref: segmentId,
  idempotent: true,
  photoInto: 'photoId',
});

/** A small PNG-looking body (the server checks the magic bytes and hashes the content). */
function photo(seed: number): { bytes: ArrayBuffer; contentType: string } {
  const bytes = new Uint8Array(4096).fill(seed);
  bytes.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return { bytes: bytes.buffer, contentType: 'image/png' };
}

async function reportsWithNote(
  note: string,
  token: string,
): Promise<{ id: string; photoId: string | null }[]> {
  const list = await server.request('GET', '/api/reports?segmentId=t-seg-01&limit=1000', { token });
  return (list.body.items as { id: string; note: string; photoId: string | null }[]).filter(
    (r) => r.note === note,
  );
}

describe('outbox → real server', () => {
  it('flushes a queue that waited offline past the access token’s life, photo first, each once', async () => {
    const device = await tablet();
    const outbox = await device.open(await openOutboxDb(new IDBFactory()));
    device.setLink('down');
    const item = await outbox.enqueue({ ...anomaly('越界走私-离线'), photo: photo(1) });
    await outbox.flush();
    expect(outbox.items()[0]).toMatchObject({ status: 'queued', failures: 1, problem: { kind: 'network' } });

    const staleToken = device.token();
    skewMs += 20 * 60_000; // 20 min later: the 15-minute access token has expired.
    expect((await server.request('GET', '/api/me', { token: staleToken })).status).toBe(401);
    device.setLink('up');
    const started = performance.now();
    outbox.kick();
    await outbox.flush();
    console.log(`offline queue flushed after token expiry in ${(performance.now() - started).toFixed(0)} ms`);

    const sent = outbox.items()[0]!;
    expect(sent).toMatchObject({
      status: 'sent',
      photo: null,
      photoId: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(sent.result).toMatchObject({ ok: true, id: expect.any(String), incidentId: expect.any(String) });
    expect(device.token()).not.toBe(staleToken);
    // The photo went up before the report, and the refresh happened in between.
    expect(device.sent).toEqual(['POST /api/photos 401', 'POST /api/photos 201', 'POST /api/reports 201']);
    const stored = await reportsWithNote('越界走私-离线', device.token());
    expect(stored).toEqual([
      expect.objectContaining({ id: (sent.result as { id: string }).id, photoId: sent.photoId }),
    ]);
    expect(item.idempotencyKey).toBe(sent.idempotencyKey);
  });

  it('stores a report once when its answer was lost, and uploads its photo once', async () => {
    const device = await tablet();
    const outbox = await device.open(await openOutboxDb(new IDBFactory()));
    // The photo goes up and its id is saved; the report is stored but its answer never comes back.
    device.setLink('lose-answers', '/api/reports');
    await outbox.enqueue({ ...anomaly('回执丢失'), photo: photo(2) });
    await outbox.flush();
    expect(outbox.items()[0]).toMatchObject({ status: 'queued', photoId: expect.any(String), failures: 1 });
    device.setLink('up');
    outbox.kick();
    await outbox.flush();
    expect(outbox.items()[0]?.status).toBe('sent');
    expect(device.sent).toEqual(['POST /api/photos 201', 'POST /api/reports 201', 'POST /api/reports 201']);
    const stored = await reportsWithNote('回执丢失', device.token());
    expect(stored).toEqual([
      expect.objectContaining({
        id: (outbox.items()[0]?.result as { id: string }).id,
        photoId: outbox.items()[0]?.photoId,
      }),
    ]);
  });

  it('uploads a photo again when its own answer was lost (same bytes, same id, one file)', async () => {
    const device = await tablet();
    const outbox = await device.open(await openOutboxDb(new IDBFactory()));
    device.setLink('lose-answers', '/api/photos');
    await outbox.enqueue({ ...anomaly('照片回执丢失'), photo: photo(3) });
    await outbox.flush();
    expect(outbox.items()[0]).toMatchObject({ status: 'queued', photoId: null });
    device.setLink('up');
    outbox.kick();
    await outbox.flush();
    expect(device.sent).toEqual(['POST /api/photos 201', 'POST /api/photos 201', 'POST /api/reports 201']);
    const stored = await reportsWithNote('照片回执丢失', device.token());
    expect(stored).toHaveLength(1);
    const files = fs.readdirSync(path.join(server.dataDir, 'photos'));
    expect(files.filter((name) => name.startsWith(stored[0]!.photoId!))).toHaveLength(1);
  });

  it('resends a report cut off mid-send (dead battery) with its key: one report, one incident', async () => {
    const device = await tablet();
    const operator = (await server.login('operator')).token;
    const factory = new IDBFactory();
    const db = await openOutboxDb(factory);
    const outbox = await device.open(db);
    device.setLink('lose-answers');
    const item = await outbox.enqueue(anomaly('电量耗尽'));
    await outbox.flush();
    outbox.stop();
    // The server has it; the tablet died believing it was still being sent.
    await db.put({ ...(await db.get(item.id))!, status: 'sending' });
    device.setLink('up');

    const rebooted = await device.open(await openOutboxDb(factory));
    expect(rebooted.items()[0]?.status).toBe('queued');
    await rebooted.flush();
    const sent = rebooted.items()[0]!;
    expect(sent.status).toBe('sent');
    const stored = await reportsWithNote('电量耗尽', device.token());
    expect(stored).toEqual([expect.objectContaining({ id: (sent.result as { id: string }).id })]);
    const incidents = await server.request('GET', '/api/incidents?category=smuggling&limit=1000', {
      token: operator,
    });
    const raised = (incidents.body.items as Incident[]).filter(
      (i) => i.id === (sent.result as { incidentId: string }).incidentId,
    );
    expect(raised).toHaveLength(1);
  });

  it('fails a refused report with the server’s reason and sends the next one', async () => {
    const device = await tablet();
    const outbox = await device.open(await openOutboxDb(new IDBFactory()));
    await outbox.enqueue(anomaly('别人的路段', 't-seg-02'));
    await outbox.enqueue(anomaly('自己的路段'));
    await outbox.flush();
    const [refused, accepted] = outbox.items();
    expect(refused).toMatchObject({
      status: 'failed',
      problem: { kind: 'rejected', status: 403, code: 'forbidden' },
    });
    expect(accepted?.status).toBe('sent');
  });

  it('counts a task move whose answer was lost as done (409 on resend, incident already there)', async () => {
    const device = await tablet();
    const operator = (await server.login('operator')).token;
    const created = await server.request('POST', '/api/incidents', {
      token: operator,
      body: { category: 'other', summary: '便道护栏倒塌', source: 'hotline', lon: 106.705, lat: 21.9805 },
    });
    const id = (created.body as Incident).id;
    await server.request('POST', `/api/incidents/${id}/transitions`, {
      token: operator,
      body: { to: 'accepted' },
    });
    await server.request('POST', `/api/incidents/${id}/transitions`, {
      token: operator,
      body: { to: 'dispatched', assignee: { type: 'unit', id: 't-civ-1' } },
    });
    const outbox = await device.open(await openOutboxDb(new IDBFactory()));
    device.setLink('lose-answers');
    await outbox.enqueue({
      kind: 'transition',
      path: `/api/incidents/${id}/transitions`,
      body: { to: 'in_progress', note: '已到场' },
      ref: id,
      idempotent: false,
    });
    await outbox.flush();
    device.setLink('up');
    outbox.kick();
    await outbox.flush();
    expect(device.sent.filter((l) => l.includes('transitions'))).toEqual([
      `POST /api/incidents/${id}/transitions 200`,
      `POST /api/incidents/${id}/transitions 409`,
    ]);
    expect(outbox.items()[0]).toMatchObject({ status: 'sent', result: { id, status: 'in_progress' } });
  });
});
