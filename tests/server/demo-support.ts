// For the demo tests: a store in a temp dir with the fixture scenario and the demo accounts, the backfill
// run on it as main.ts runs it, a real app (HTTP + Socket.io on port 0) over that same store, and a posts
// layer of household posts (the fixture scenario has none).
import path from 'node:path';
import type { Feature, FeatureCollection } from 'geojson';
import pino from 'pino';
import { createApp, type App } from '../../server/app';
import { loadConfig } from '../../server/config';
import { backfillDemo, type BackfillResult } from '../../server/demo/backfill';
import { seedDemoAccounts } from '../../server/domain/accounts';
import { DEFAULT_DEADLINES } from '../../server/domain/deadlines';
import { loadScenario, readScenario } from '../../server/domain/scenario';
import { createMotion } from '../../server/ingest/simulator';
import { planTeams } from '../../server/ingest/simulator-routes';
import { openSqliteStore } from '../../server/store/sqlite';
import type { Store } from '../../server/store/store';
import { DEMO_PASSWORD, FIXTURE_SCENARIO } from '../support/server';

export const silent = pino({ level: 'silent' });

/** Opens (or reopens) the store in dataDir with the fixture scenario and demo accounts loaded. */
export async function openDemoStore(dataDir: string, now: number, scenarioDir = FIXTURE_SCENARIO) {
  const store = openSqliteStore(dataDir);
  const scenario = readScenario(scenarioDir);
  await loadScenario(store, scenario, now);
  await seedDemoAccounts(store, DEMO_PASSWORD, now);
  const teams = planTeams(scenario.units, scenario.layers);
  return { store, motion: createMotion(teams, 100_000, 0), unitCount: scenario.units.length };
}

export async function backfill(
  store: Store,
  dataDir: string,
  motion: ReturnType<typeof createMotion>,
  options: { days: number; seed: number; start: number },
): Promise<BackfillResult> {
  return backfillDemo({
    store,
    dataDir,
    motion,
    ...options,
    deadlines: DEFAULT_DEADLINES,
    borderZoneMeters: 500,
    timeZone: 'Asia/Shanghai',
    logger: silent,
  });
}

export interface Served {
  app: App;
  request(method: string, route: string, token?: string): Promise<{ status: number; body: any }>;
  login(username: string): Promise<string>;
  close(): Promise<void>;
}

/** A real app over an existing store, its clock fixed at `now()`. */
export async function serve(store: Store, dataDir: string, now: () => number): Promise<Served> {
  const config = loadConfig({
    PORT: '0',
    OSMAND_PORT: '0',
    COT_PORT: '0',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    FLUSH_MS: '50',
  });
  const app = await createApp({
    config,
    store,
    logger: silent,
    jwtSecret: 'test-secret-test-secret-test-secret-0123',
    clientDir: path.join(dataDir, 'no-client'),
    scenarioDir: FIXTURE_SCENARIO,
    now,
  });
  const url = await app.listen();
  const request: Served['request'] = async (method, route, token) => {
    const response = await fetch(url + route, {
      method,
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
    return { status: response.status, body: await response.json() };
  };
  return {
    app,
    request,
    async login(username) {
      const response = await fetch(`${url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password: DEMO_PASSWORD }),
      });
      const body = (await response.json()) as { token: string };
      return body.token;
    },
    close: () => app.close(),
  };
}

/**
 * `count` household posts (户哨) in ten-household groups, alternately in t-grid-1 on t-seg-01 and t-grid-2 on
 * t-seg-02; every tenth has no segment (checked in by grid staff or by phone). Plus two posts that are never
 * expected to check in: a checkpoint and a household whose schedule is `false`.
 */
export function demoPosts(count: number): FeatureCollection {
  const features: Feature[] = [];
  for (let i = 0; i < count; i++) {
    const id = `t-dp-${String(i + 1).padStart(3, '0')}`;
    const second = i % 2 === 1;
    const group = Math.floor(i / 10) + 1;
    features.push({
      type: 'Feature',
      id,
      properties: {
        id,
        type: 'household',
        name: `测试${i + 1}户哨`,
        groupId: `t-dp-jdg-${group}`,
        groupName: `十户联防第${group}组`,
        gridId: second ? 't-grid-2' : 't-grid-1',
        segmentId: i % 10 === 9 ? null : second ? 't-seg-02' : 't-seg-01',
      },
      geometry: {
        type: 'Point',
        coordinates: [(second ? 106.722 : 106.702) + (i % 9) * 0.002, 21.982 + (i % 7) * 0.002],
      },
    });
  }
  const never = (id: string, properties: Record<string, unknown>): Feature => ({
    type: 'Feature',
    id,
    properties: { id, name: id, gridId: 't-grid-1', segmentId: 't-seg-01', ...properties },
    geometry: { type: 'Point', coordinates: [106.71, 21.99] },
  });
  features.push(
    never('t-dp-cp', { type: 'checkpoint' }),
    never('t-dp-off', { type: 'household', checkinSchedule: false }),
  );
  return { type: 'FeatureCollection', features };
}

/** The households of demoPosts that are expected to check in. */
export const expectedPosts = (layer: FeatureCollection): string[] =>
  layer.features
    .filter((f) => f.properties?.type === 'household' && f.properties.checkinSchedule !== false)
    .map((f) => String(f.id));

export interface CheckinRow {
  postId: string;
  t: number;
  userId: string;
  lon: number | null;
  note: string;
}

/** Every check-in of these posts since `since`, read through GET /api/posts/:id/checkins. */
export async function checkinsOf(
  request: (route: string) => Promise<{ status: number; body: any }>,
  postIds: readonly string[],
  since = 0,
): Promise<CheckinRow[]> {
  const rows: CheckinRow[] = [];
  for (const postId of postIds) {
    const { status, body } = await request(`/api/posts/${postId}/checkins?since=${since}&limit=100`);
    if (status !== 200) throw new Error(`GET checkins of ${postId}: ${status} ${JSON.stringify(body)}`);
    rows.push(...(body.items as CheckinRow[]));
  }
  return rows;
}
