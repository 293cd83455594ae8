// For the demo tests: a store in a temp dir with the fixture scenario and the demo accounts, the backfill
// run on it as main.ts runs it, and a real app (HTTP + Socket.io on port 0) over that same store.
import path from 'node:path';
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
