// Crash safety under sustained mixed load: the real server process takes OsmAnd fixes, idempotent reports,
// incidents walked through their whole life and alert acknowledgements all at once, is killed with SIGKILL
// in the middle, and restarts on the same DATA_DIR: every acknowledged write is there, retried keys are
// stored once, and the store is consistent (its own checks and SQLite's full integrity check).
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import type { LoginResponse } from '../../server/contract';
import { openSqliteStore } from '../../server/store/sqlite';
import { startServerProcess, type ServerProcess } from '../support/process';
import { DEMO_PASSWORD, ROOT, tempDir } from '../support/server';

const dataDir = tempDir('lianfang-crash-');
// 18 workers share one operator account: far past the per-account REST limit, which is not what this tests.
const ENV = { DATA_DIR: dataDir, DEMO_BACKFILL_DAYS: '0', DEMO_LIFE_INTERVAL_MS: '0', REST_RATE_PER_S: '0' };
const UNITS = 12;
const LIFE = ['accepted', 'dispatched', 'in_progress', 'resolved', 'verified', 'closed'] as const;
let server: ServerProcess | null = null;

afterAll(async () => {
  if (server?.child.exitCode === null) await server.stop('SIGKILL');
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function osmandUrl(proc: ServerProcess): string {
  const port = /"ports":\{"http":\d+,"osmand":(\d+)/.exec(proc.output())?.[1];
  expect(port).toBeDefined();
  return `http://127.0.0.1:${port}`;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** One HTTP call; a network failure (the server is gone) throws. */
async function call(
  url: string,
  method: string,
  route: string,
  token: string | null,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: any }> {
  const all: Record<string, string> = { ...headers };
  if (token) all.authorization = `Bearer ${token}`;
  if (body !== undefined) all['content-type'] = 'application/json';
  const response = await fetch(url + route, {
    method,
    headers: all,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as unknown) : null };
}

async function login(url: string, username: string): Promise<LoginResponse> {
  const answer = await call(url, 'POST', '/api/auth/login', null, { username, password: DEMO_PASSWORD });
  expect(answer.status).toBe(200);
  return answer.body as LoginResponse;
}

interface Fix {
  unitId: string;
  t: number;
  lon: number;
  lat: number;
}
interface SentReport {
  key: string;
  token: string;
  headerKey: boolean;
  body: Record<string, unknown>;
}
interface AckedIncident {
  key: string;
  body: Record<string, unknown>;
  transitions: string[];
  /** A transition that was sent but never answered: it may or may not have happened. */
  inFlight: string | null;
}

/** What the load acknowledged, and what it sent without ever getting an answer. */
const ledger = {
  fixes: [] as Fix[],
  fixesInFlight: 0,
  reports: new Map<string, SentReport & { id: string; incidentId: string | null }>(),
  reportsInFlight: new Set<SentReport>(),
  incidents: new Map<string, AckedIncident>(),
  incidentsInFlight: new Set<{ key: string; body: Record<string, unknown> }>(),
  alertAcks: new Map<string, string>(),
  alertAcksInFlight: new Map<string, string>(),
  /** Requests sent and not answered yet, of every kind. */
  pending: 0,
  /** Answers other than the acknowledgement a write expects (a 5xx would be a defect). */
  refused: [] as string[],
};

/** Keeps writing until the server is gone; an answered write is in the ledger, an unanswered one in flight. */
function load(url: string, osmand: string, tokens: Tokens, world: World): { stop: () => Promise<void> } {
  let gone = false;
  const until = async <T>(work: () => Promise<T>): Promise<T | null> => {
    ledger.pending++;
    try {
      const answer = await work();
      ledger.pending--;
      return answer;
    } catch (error) {
      if (!gone) throw error;
      return null;
    }
  };
  const base = Math.floor(Date.now() / 1000) * 1000 - 3 * 3_600_000;

  const fixes = Array.from({ length: UNITS }, async (_, i) => {
    for (let k = 0; !gone; k++) {
      // 6 s apart in fix time and always moving: history keeps every one of them.
      const fix: Fix = {
        unitId: `cr-${i}`,
        t: base + k * 6_000,
        lon: Number((106.7 + i * 0.01 + k * 0.0001).toFixed(6)),
        lat: Number((22.1 + (k % 50) * 0.0001).toFixed(6)),
      };
      const query = `id=cr-dev-${i}&timestamp=${fix.t}&lat=${fix.lat}&lon=${fix.lon}&accuracy=8`;
      ledger.fixesInFlight++;
      const response = await until(() => fetch(`${osmand}/?${query}`));
      if (!response) return;
      ledger.fixesInFlight--;
      if (response.status === 200) ledger.fixes.push(fix);
      else ledger.refused.push(`fix ${response.status}`);
      await sleep(200);
    }
  });

  const reports = (['leader', 'operator'] as const).map(async (who) => {
    for (let n = 0; !gone; n++) {
      const anomaly = n % 2 === 0;
      const segment = who === 'leader' ? world.leaderSegment : world.segments[n % world.segments.length];
      if (!segment) throw new Error('no segment');
      const sent: SentReport = {
        key: `crash-${who}-${n}`,
        token: tokens[who],
        headerKey: who === 'leader',
        body: {
          segmentId: segment.id,
          status: anomaly ? 'anomaly' : 'normal',
          ...(anomaly ? { anomalyType: 'illegal_crossing' } : {}),
          lon: segment.lon,
          lat: segment.lat,
          note: `压测 ${who} ${n}`,
        },
      };
      ledger.reportsInFlight.add(sent);
      const answer = await until(() => postReport(url, sent));
      if (!answer) return;
      ledger.reportsInFlight.delete(sent);
      if (answer.status === 201) ledger.reports.set(sent.key, { ...sent, ...answer.body });
      else ledger.refused.push(`report ${answer.status} ${JSON.stringify(answer.body)}`);
      // Paced (a road chief files a few a minute): on a quiet machine two unpaced workers file over a
      // thousand in 10 s, more than one page of GET /api/reports, which the check reads back.
      await sleep(30);
    }
  });

  const incidents = [0, 1, 2].map(async (worker) => {
    for (let n = 0; !gone; n++) {
      const key = `crash-incident-${worker}-${n}`;
      const body = {
        category: (['fire', 'dispute', 'other'] as const)[n % 3],
        summary: `压测事件 ${key}`,
        source: 'hotline',
        gridId: world.grids[(worker * 7 + n) % world.grids.length],
        idempotencyKey: key,
      };
      const sent = { key, body };
      ledger.incidentsInFlight.add(sent);
      const created = await until(() => call(url, 'POST', '/api/incidents', tokens.operator, body));
      if (!created) return;
      ledger.incidentsInFlight.delete(sent);
      if (created.status !== 201) {
        ledger.refused.push(`incident ${created.status} ${JSON.stringify(created.body)}`);
        continue;
      }
      const incident: AckedIncident = { key, body, transitions: [], inFlight: null };
      ledger.incidents.set(created.body.id, incident);
      for (const to of LIFE) {
        incident.inFlight = to;
        const route = `/api/incidents/${created.body.id}/transitions`;
        const moved = await until(() =>
          call(url, 'POST', route, tokens.operator, { to, note: `${key} → ${to}` }),
        );
        if (!moved) return;
        incident.inFlight = null;
        if (moved.status !== 200) {
          ledger.refused.push(`transition ${moved.status} ${JSON.stringify(moved.body)}`);
          break;
        }
        incident.transitions.push(to);
      }
      await sleep(30); // paced too: the check reads the incidents back in one page of 1,000
    }
  });

  const acks = (async () => {
    while (!gone) {
      const queue = await until(() =>
        call(url, 'GET', '/api/alerts?acknowledged=0&limit=100', tokens.operator),
      );
      if (!queue) return;
      for (const alert of queue.body.items as { id: string }[]) {
        const note = `压测确认 ${alert.id}`;
        ledger.alertAcksInFlight.set(alert.id, note);
        const acked = await until(() =>
          call(url, 'POST', `/api/alerts/${alert.id}/ack`, tokens.operator, { note }),
        );
        if (!acked) return;
        ledger.alertAcksInFlight.delete(alert.id);
        if (acked.status === 200) ledger.alertAcks.set(alert.id, note);
        else ledger.refused.push(`ack ${acked.status} ${JSON.stringify(acked.body)}`);
      }
      await sleep(100);
    }
  })();

  const all = Promise.all([...fixes, ...reports, ...incidents, acks]);
  return {
    stop: async () => {
      gone = true;
      await all;
    },
  };
}

function postReport(url: string, sent: SentReport): Promise<{ status: number; body: any }> {
  return sent.headerKey
    ? call(url, 'POST', '/api/reports', sent.token, sent.body, { 'idempotency-key': sent.key })
    : call(url, 'POST', '/api/reports', sent.token, { ...sent.body, idempotencyKey: sent.key });
}

type Tokens = Record<'admin' | 'operator' | 'leader', string>;
interface World {
  leaderSegment: { id: string; lon: number; lat: number };
  segments: { id: string; lon: number; lat: number }[];
  grids: string[];
}

/** Segments (with a point on each, at the border) and grids with a roster, from the shipped scenario. */
function readWorld(leaderSegmentId: string): World {
  const read = (name: string): any[] =>
    (JSON.parse(fs.readFileSync(path.join(ROOT, 'data', name), 'utf8')) as { features: any[] }).features;
  const segments = read('segments.geojson').map((f) => ({
    id: String(f.id ?? f.properties.id),
    lon: f.geometry.coordinates[0][0] as number,
    lat: f.geometry.coordinates[0][1] as number,
  }));
  const grids = read('grids.geojson')
    .filter((f) => (f.properties.staff?.length ?? 0) > 0)
    .map((f) => String(f.id ?? f.properties.id));
  const leaderSegment = segments.find((s) => s.id === leaderSegmentId);
  if (!leaderSegment) throw new Error(`no segment ${leaderSegmentId}`);
  return { leaderSegment, segments: segments.slice(0, 10), grids: grids.slice(0, 20) };
}

function counts(): string {
  const transitions = [...ledger.incidents.values()].reduce((n, i) => n + i.transitions.length, 0);
  return (
    `${ledger.fixes.length} fixes, ${ledger.reports.size} reports, ${ledger.incidents.size} incidents ` +
    `with ${transitions} transitions, ${ledger.alertAcks.size} alert acks`
  );
}

describe('SIGKILL under sustained mixed writes', () => {
  it('loses no acknowledged write and restarts on a consistent store', async () => {
    let started = performance.now();
    server = await startServerProcess(ENV, 120_000);
    console.log(`first start: listening after ${Math.round(performance.now() - started)} ms`);
    const url = server.url;
    const osmand = osmandUrl(server);
    const admin = await login(url, 'admin');
    const leader = await login(url, 'leader');
    const tokens: Tokens = {
      admin: admin.token,
      operator: (await login(url, 'operator')).token,
      leader: leader.token,
    };
    const world = readWorld(leader.user.segmentIds[0] ?? '');
    const units = Array.from({ length: UNITS }, (_, i) => ({
      id: `cr-${i}`,
      kind: (['military', 'police', 'civilian'] as const)[i % 3],
      callsign: `压测-${i}`,
      deviceId: `cr-dev-${i}`,
    }));
    expect((await call(url, 'POST', '/api/units/bulk', tokens.admin, { units })).body).toMatchObject({
      added: UNITS,
    });

    const writing = load(url, osmand, tokens, world);
    started = performance.now();
    const enough = (): boolean =>
      ledger.fixes.length >= 150 &&
      ledger.reports.size >= 20 &&
      [...ledger.incidents.values()].filter((i) => i.transitions.length >= 3).length >= 3 &&
      ledger.alertAcks.size >= 5;
    // At least 10 s of sustained load, and every kind of write acknowledged a good number of times.
    while ((!enough() || performance.now() - started < 10_000) && performance.now() - started < 40_000)
      await sleep(50);
    // In the middle: with a good number of writes of several kinds on the wire.
    const waited = performance.now();
    while (ledger.pending < 10 && performance.now() - waited < 5_000) await sleep(1);
    const pid = server.child.pid as number;
    const exited = new Promise((resolve) => server?.child.once('exit', resolve));
    process.kill(pid, 'SIGKILL');
    const loadMs = Math.round(performance.now() - started);
    const pendingAtKill = ledger.pending;
    await writing.stop();
    await exited;
    expect(() => process.kill(pid, 0)).toThrow();
    console.log(
      `killed after ${loadMs} ms of load; acknowledged: ${counts()}; ${pendingAtKill} writes in flight at the kill: ` +
        `${ledger.fixesInFlight} fixes, ${ledger.reportsInFlight.size} reports, ` +
        `${ledger.incidentsInFlight.size} new incidents, ` +
        `${[...ledger.incidents.values()].filter((i) => i.inFlight).length} transitions, ` +
        `${ledger.alertAcksInFlight.size} alert acks`,
    );
    expect(ledger.refused).toEqual([]);
    expect(enough()).toBe(true);

    started = performance.now();
    server = await startServerProcess(ENV, 120_000);
    console.log(
      `restart on the same DATA_DIR: listening after ${Math.round(performance.now() - started)} ms`,
    );
    const checked = server
      .output()
      .split('\n')
      .find((line) => line.includes('"msg":"store integrity checked"'));
    console.log('integrity check on restart:', checked);
    expect(JSON.parse(checked ?? '{}')).toMatchObject({ check: 'quick_check', result: 'ok' });
    const restarted = server.url;
    const operator = (await login(restarted, 'operator')).token;

    // Every acknowledged fix is in history, where it was.
    for (let i = 0; i < UNITS; i++) {
      const mine = ledger.fixes.filter((f) => f.unitId === `cr-${i}`);
      const history = await call(restarted, 'GET', `/api/history?unitId=cr-${i}&limit=50000`, operator);
      const stored = new Map(
        (history.body.items as Fix[]).map((f) => [f.t, `${f.lon},${f.lat}`] as [number, string]),
      );
      for (const fix of mine) expect(stored.get(fix.t)).toBe(`${fix.lon},${fix.lat}`);
    }

    // Every acknowledged report, with its incident; a retried key answers the same and stores nothing new.
    const reports = await call(restarted, 'GET', '/api/reports?limit=1000', operator);
    const storedReports = new Map((reports.body.items as { id: string }[]).map((r) => [r.id, r]));
    for (const report of ledger.reports.values()) {
      expect(storedReports.get(report.id)).toMatchObject({
        segmentId: report.body.segmentId,
        status: report.body.status,
        incidentId: report.incidentId,
      });
      const again = await postReport(restarted, report);
      expect(again).toEqual({
        status: 201,
        body: { ok: true, id: report.id, incidentId: report.incidentId },
      });
    }
    // What was in flight at the kill may or may not be stored; retried, it is stored exactly once.
    for (const sent of ledger.reportsInFlight) expect((await postReport(restarted, sent)).status).toBe(201);
    const afterRetries = await call(restarted, 'GET', '/api/reports?limit=1000', operator);
    expect(afterRetries.body.items).toHaveLength(ledger.reports.size + ledger.reportsInFlight.size);

    // Every acknowledged incident, with every acknowledged move in its timeline, in order.
    for (const [id, acked] of ledger.incidents) {
      const detail = await call(restarted, 'GET', `/api/incidents/${id}`, operator);
      expect(detail.status).toBe(200);
      const moves = (detail.body.timeline as { action: string; from: string; to: string }[]).filter(
        (e) => e.action === 'transition',
      );
      const expected = acked.inFlight
        ? [acked.transitions, [...acked.transitions, acked.inFlight]]
        : [acked.transitions];
      expect(expected).toContainEqual(moves.map((e) => e.to));
      expect(detail.body.status).toBe(moves.at(-1)?.to ?? 'reported');
      const retried = await call(restarted, 'POST', '/api/incidents', operator, acked.body);
      expect(retried).toMatchObject({ status: 201, body: { id } });
    }
    for (const { body } of ledger.incidentsInFlight)
      expect((await call(restarted, 'POST', '/api/incidents', operator, body)).status).toBe(201);
    const hotline = await call(restarted, 'GET', '/api/incidents?limit=1000', operator);
    const ours = (hotline.body.items as { summary: string }[]).filter((i) =>
      i.summary.startsWith('压测事件'),
    );
    expect(ours).toHaveLength(ledger.incidents.size + ledger.incidentsInFlight.size);

    // Every acknowledged alert acknowledgement, with its note.
    for (const [id, note] of [...ledger.alertAcks, ...ledger.alertAcksInFlight]) {
      const alert = await call(restarted, 'GET', `/api/alerts/${id}`, operator);
      if (ledger.alertAcksInFlight.has(id) && alert.body.acknowledgedAt === null) continue;
      expect(alert.body).toMatchObject({ ackNote: note, acknowledgedAt: expect.any(Number) });
      expect(alert.body.log.filter((l: { action: string }) => l.action === 'acknowledged')).toHaveLength(1);
    }

    // The store itself: SQLite's full check, foreign keys, and the links between reports and incidents.
    expect(await server.stop('SIGTERM')).toBe(0);
    const db = new Database(path.join(dataDir, 'lianfang.db'), { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(db.pragma('foreign_key_check')).toEqual([]);
      const orphans = db
        .prepare(
          `SELECT r.id FROM reports r LEFT JOIN incidents i ON i.id = r.incident_id
           WHERE r.incident_id IS NOT NULL AND (i.id IS NULL OR json_extract(i.body, '$.reportId') IS NOT r.id)`,
        )
        .all();
      expect(orphans).toEqual([]);
      const unaudited = db
        .prepare(
          `SELECT i.id FROM incidents i WHERE NOT EXISTS
             (SELECT 1 FROM incident_audit a WHERE a.incident_id = i.id AND a.action = 'created')`,
        )
        .all();
      expect(unaudited).toEqual([]);
    } finally {
      db.close();
    }
    const store = openSqliteStore(dataDir);
    try {
      for (const id of ledger.incidents.keys()) {
        const incident = await store.incidents.byId(id);
        const timeline = await store.incidents.timeline(id);
        const moves = timeline.filter((e) => e.action === 'transition');
        // Each move starts where the one before ended, and the last one is the incident's status.
        moves.forEach((move, index) =>
          expect(move.from).toBe(index === 0 ? 'reported' : moves[index - 1]?.to),
        );
        expect(incident?.status).toBe(moves.at(-1)?.to ?? 'reported');
      }
    } finally {
      await store.close();
    }
  }, 240_000);
});
