// Composition root: config → store → scenario and accounts → demo backfill → app → simulator and demo life;
// clean shutdown on signals.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { createApp } from './app';
import { createClusterNode } from './cluster/node';
import { ConfigError, loadConfig, type Config } from './config';
import { backfillDemo } from './demo/backfill';
import { createDemoLife } from './demo/demo-life';
import { AccountsError, ensureFirstAdmin, seedDemoAccounts } from './domain/accounts';
import { DeadlinesError, parseDeadlines } from './domain/deadlines';
import { ScenarioError, loadScenario, readScenario } from './domain/scenario';
import { loadJwtSecret } from './domain/secrets';
import { createMotion, createSimulator } from './ingest/simulator';
import { planTeams } from './ingest/simulator-routes';
import { StoreOpenError, openStore } from './store/open-store';
import { StoreIntegrityError } from './store/sqlite';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/**
 * The simulator's routes start at the epoch: positions are a function of the clock alone, so the backfilled
 * history, the live run and every restart join up.
 */
const MOTION_ORIGIN = 0;
/** SIGTERM to exit, at most: systemd's own default before SIGKILL is 90 s. */
const SHUTDOWN_DEADLINE_MS = 15_000;

function configOrExit(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`lianfang: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

async function main(): Promise<void> {
  const config = configOrExit();
  const logger = pino({ level: config.logLevel, base: { app: 'lianfang' } });
  const store = await openStore(config, logger);
  const scenarioDir = path.join(ROOT, 'data');
  const now = Date.now;

  const scenario = config.scenario || config.demo ? readScenario(scenarioDir) : null;
  if (config.scenario && scenario) {
    const loaded = await loadScenario(store, scenario, now());
    if (loaded.length > 0) logger.info({ loaded }, 'scenario loaded');
  }
  const created = config.demo
    ? await seedDemoAccounts(store, config.demoPassword, now())
    : (await ensureFirstAdmin(store, config.adminPassword, now()))
      ? ['admin']
      : [];
  if (created.length > 0) logger.info({ created }, 'accounts created');

  const teams =
    config.demo && scenario
      ? planTeams(scenario.units, {
          segments: (await store.layers.get('segments'))?.collection,
          grids: (await store.layers.get('grids'))?.collection,
        })
      : [];
  const motion = createMotion(teams, config.simulatorUnits, MOTION_ORIGIN);
  const deadlines = parseDeadlines(config.deadlinesJson);
  // Before listening: the first screen already shows the backfilled days (a few seconds, logged).
  const backfill =
    config.demo && scenario
      ? await backfillDemo({
          store,
          dataDir: config.dataDir,
          motion,
          days: config.demoBackfillDays,
          seed: config.demoSeed,
          start: now(),
          deadlines,
          borderZoneMeters: config.borderZoneMeters,
          timeZone: config.timeZone,
          logger,
        })
      : null;
  if (backfill && !backfill.ran) logger.info({ reason: backfill.reason }, 'demo backfill skipped');

  // With REDIS_URL this process is one node of several (docs/operations.md, "Several nodes").
  const cluster = config.redisUrl ? createClusterNode(config.redisUrl, logger) : undefined;
  const app = await createApp({
    cluster,
    config,
    store,
    logger,
    jwtSecret: loadJwtSecret(config.dataDir, config.jwtSecret),
    clientDir: path.join(ROOT, 'dist', 'client'),
    scenarioDir,
  });
  const url = await app.listen();
  logger.info(
    { url, ports: app.ports(), dataDir: config.dataDir, demo: config.demo, store: store.kind },
    'lianfang listening',
  );

  const simulator =
    config.demo && scenario
      ? createSimulator({
          teams,
          ingest: app.ingest,
          now,
          intervalMs: config.simulatorIntervalMs,
          maxUnits: config.simulatorUnits,
          origin: MOTION_ORIGIN,
        })
      : null;
  // In a cluster the simulator and demo life run on the engine leader only, from when it takes over.
  if (!cluster) simulator?.start();
  const demoLife =
    config.demo && scenario && config.demoLifeIntervalMs > 0
      ? createDemoLife({
          app,
          store,
          motion,
          intervalMs: config.demoLifeIntervalMs,
          seed: config.demoSeed,
          deadlines,
          now,
          timeZone: config.timeZone,
          logger,
          world: backfill?.ran ? backfill.world : null,
        })
      : null;
  if (!cluster) demoLife?.start();
  cluster?.onRole((leading) => {
    if (leading) {
      simulator?.start();
      demoLife?.start();
    } else {
      simulator?.stop();
      void demoLife?.stop();
    }
  });
  cluster?.start();

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    // A shutdown that hangs (a client that will not let go, a store that does not answer) must not keep a
    // service manager waiting: past the deadline we say so and exit anyway.
    setTimeout(() => {
      logger.error({ deadlineMs: SHUTDOWN_DEADLINE_MS }, 'shutdown did not finish in time; exiting');
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS).unref();
    simulator?.stop();
    Promise.resolve(demoLife?.stop())
      .then(() => app.close())
      .then(() => cluster?.close())
      .then(() => store.close())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  if (
    error instanceof ScenarioError ||
    error instanceof AccountsError ||
    error instanceof DeadlinesError ||
    error instanceof StoreIntegrityError ||
    error instanceof StoreOpenError
  ) {
    process.stderr.write(`lianfang: ${error.message}\n`);
  } else {
    process.stderr.write(
      `lianfang: failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
  }
  process.exit(1);
});
