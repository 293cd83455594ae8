// createApp(deps): wires store → registry → live state → ingest → HTTP + Socket.io, and runs the flush loop.
// It starts nothing by itself that main.ts does not ask for, so tests build it on port 0 with a temp store.
import fs from 'node:fs';
import Fastify, { type FastifyInstance } from 'fastify';
import type { FeatureCollection } from 'geojson';
import type { Logger } from 'pino';
import type { Config } from './config';
import type { Delta, DomainEvent, Snapshot } from './contract';
import { createAuth } from './domain/auth';
import { createClosedLoop, type ClosedLoop } from './domain/closed-loop';
import { parseDeadlines } from './domain/deadlines';
import { newId } from './domain/ids';
import { createLayerService } from './domain/layers';
import { loadRouter } from './domain/routing';
import { createTokens } from './domain/tokens';
import { loadClassifier } from './engine/classifier';
import { createSegmentCoverage } from './engine/coverage';
import { createFenceEngine } from './engine/fences';
import { createIntrusionWatch } from './engine/intrusions';
import { createJointPatrolTracker } from './engine/joint-patrols';
import { createLiveState, type Classify, type LiveState } from './engine/live-state';
import { loadRegistry, type Registry } from './engine/registry';
import { registerAuthRoutes } from './http/auth-routes';
import { parseQueryString } from './http/query-params';
import { registerAccessControl } from './security/access';
import { contentSecurityPolicy, registerSecurityHeaders } from './security/headers';
import { createLoginThrottle, DEFAULT_LOGIN_LIMITS } from './security/login-throttle';
import { registerBasemapRoutes } from './http/basemap-config';
import { installErrorHandlers } from './http/errors';
import { registerFenceRoutes } from './http/fence-routes';
import { registerHistoryRoutes } from './http/history-routes';
import { registerLayerRoutes } from './http/layer-routes';
import { registerLiveRoutes } from './http/live-routes';
import { registerStaticRoutes } from './http/static-routes';
import { registerTabletRoutes } from './http/tablet-routes';
import { registerUnitRoutes } from './http/unit-routes';
import { registerUserRoutes } from './http/user-routes';
import { createCotServer } from './ingest/cot';
import { createOsmAndServer } from './ingest/osmand';
import { registerOwnTracksRoutes } from './ingest/owntracks';
import { createIngest, type Ingest } from './ingest/pipeline';
import { createBroadcaster } from './realtime/broadcaster';
import { createSocketServer, type LianfangIo } from './realtime/socket-server';
import { createHistoryWriter } from './store/history-writer';
import type { ClusterNode } from './cluster/node';
import { registerMetricsRoutes } from './http/metrics-routes';
import { clientsOf } from './metrics/clients';
import { createLianfangMetrics } from './metrics/lianfang-metrics';
import type { Store } from './store/store';

export interface AppDeps {
  config: Config;
  store: Store;
  logger: Logger;
  jwtSecret: string;
  clientDir: string;
  scenarioDir: string;
  now?: () => number;
  /** A node of a cluster on Redis (REDIS_URL, server/cluster/); absent, this node is the whole picture. */
  cluster?: ClusterNode;
}

export interface App {
  http: FastifyInstance;
  io: LianfangIo;
  live: LiveState;
  ingest: Ingest;
  registry: Registry;
  /** The closed-loop services (incidents, reports, alerts): demo life acts through them. */
  closedLoop: ClosedLoop;
  /** Drains live changes into one delta and flushes history; the loop calls it every FLUSH_MS. */
  flush(): Promise<void>;
  /** Starts HTTP + Socket.io, the OsmAnd and CoT listeners and the flush loop; resolves with the URL. */
  listen(): Promise<string>;
  /** The bound ports (useful with port 0), once listening. */
  ports(): { http: number; osmand: number; cot: number };
  /** Every REST route as `METHOD /path`, each with its row in the access matrix (security/access). */
  routes(): string[];
  close(): Promise<void>;
}

/** How often a cluster node looks for layer and fence edits made on another node. */
const CLUSTER_SYNC_MS = 5_000;

/** Joint patrols form over tens of seconds: detecting them once a second is plenty. */
const JOINT_PATROL_TICK_MS = 1_000;

function tlsOptions(config: Config): { https: { cert: Buffer; key: Buffer } } | Record<string, never> {
  if (!config.tlsCert || !config.tlsKey) return {};
  return { https: { cert: fs.readFileSync(config.tlsCert), key: fs.readFileSync(config.tlsKey) } };
}

/** How long close() lets requests in flight finish before it cuts their connections. */
const CLOSE_GRACE_MS = 3_000;

export async function createApp(deps: AppDeps): Promise<App> {
  const { config, store, logger } = deps;
  const now = deps.now ?? Date.now;
  const http = Fastify({
    loggerInstance: logger,
    bodyLimit: 1_000_000,
    routerOptions: { querystringParser: parseQueryString },
    ...tlsOptions(config),
  }) as unknown as FastifyInstance;
  const auth = createAuth(store.users, createTokens(deps.jwtSecret, now));
  const registry = await loadRegistry(store.units);
  let classifyNow = await loadClassifier(store, config.borderZoneMeters);
  const classify: Classify = (lon, lat) => classifyNow(lon, lat);
  const live = createLiveState(registry, classify, config.unitStaleMs);
  const jointPatrols = createJointPatrolTracker(live);
  const fences = createFenceEngine(live, config.unitStaleMs);
  fences.setFences(await store.fences.list());
  const segmentsLayer = async (): Promise<FeatureCollection> =>
    (await store.layers.get('segments'))?.collection ?? { type: 'FeatureCollection', features: [] };
  const coverage = await createSegmentCoverage(await segmentsLayer(), live, registry, store.history, now());
  const metrics = createLianfangMetrics();
  const history = createHistoryWriter(metrics.timeHistory(store.history));
  const { cluster } = deps;
  const localIngest = createIngest(live, history, now);
  const ingest = metrics.meterIngest(
    cluster ? cluster.ingest(localIngest, history, registry, now) : localIngest,
  );
  const broadcaster = createBroadcaster(newId(now()));
  let layersVersion = await store.layers.version();
  /** The grid hierarchy and segments the live stream's scopes are cut by (rebuilt on a layer import). */
  let scopeRouter = await loadRouter(store);
  const closedLoop = await createClosedLoop({
    store,
    dataDir: config.dataDir,
    now,
    deadlines: parseDeadlines(config.deadlinesJson ?? undefined),
    locateUnit: (unitId) => live.unit(unitId),
    inBorderZone: (lon, lat) => classify(lon, lat).inBorderZone,
    segmentCoverage: () => coverage.status(now()),
    jointPatrolsActive: () => jointPatrols.patrols().length,
    units: () => live.units(),
    timeZone: config.timeZone,
  });

  installErrorHandlers(http);
  registerSecurityHeaders(http, contentSecurityPolicy(config.basemap));
  const access = registerAccessControl(http, (token) => auth.userFromToken(token), {
    perSecond: config.restRatePerS,
    burst: config.restBurst,
  });
  registerAuthRoutes(http, auth, createLoginThrottle(DEFAULT_LOGIN_LIMITS, now));
  closedLoop.register(http);
  /** Reloads what is cut from the layers (also run by a cluster node when another node imported them). */
  const reloadLayers = async (version: number, segmentsChanged: boolean): Promise<void> => {
    classifyNow = await loadClassifier(store, config.borderZoneMeters);
    live.setClassifier(classify);
    if (segmentsChanged) await coverage.reload(await segmentsLayer(), now());
    await closedLoop.reloadLayers();
    scopeRouter = await loadRouter(store);
    layersVersion = version;
  };
  const layers = createLayerService(store, async (kind, version) => {
    await reloadLayers(version, kind === 'segments');
    live.emit({
      id: newId(now()),
      type: 'layers.updated',
      t: now(),
      unitId: null,
      message: `图层已更新：${kind} v${version}`,
      data: { kind, version },
    });
  });
  registerLayerRoutes(http, store, layers, () => scopeRouter);
  registerUnitRoutes(http, { store, registry, live, now });
  registerUserRoutes(http, {
    store,
    auth,
    now,
    // sockets exist once the HTTP server does (below); a revoked user's live connections are closed at once
    revoked: (userId) => {
      void sockets.io.fetchSockets().then((connected) => {
        for (const socket of connected) if (socket.data.user?.id === userId) socket.disconnect(true);
      });
    },
  });
  registerTabletRoutes(http, { incidents: closedLoop.incidents, alerts: closedLoop.alerts, live, registry });
  registerHistoryRoutes(http, store, registry, { router: () => scopeRouter, classify });
  registerFenceRoutes(http, store, (list) => fences.setFences(list), now);
  // In a cluster a follower's patrols are the leader's (view is set below, read at request time).
  registerLiveRoutes(http, { store, jointPatrols: () => view.jointPatrols(), coverage, now });
  const emit = (event: DomainEvent): void => live.emit(event);
  registerOwnTracksRoutes(http, { ingest, registry, emit, now, logger });
  const osmand = createOsmAndServer({
    ingest,
    registry,
    emit,
    now,
    logger,
    timeZone: config.timeZone,
    lastKnown: (unitId) => live.unit(unitId),
  });
  const cot = createCotServer({
    ingest,
    registry,
    emit,
    now,
    logger,
    onTrack: createIntrusionWatch(classify, emit, now),
  });
  registerMetricsRoutes(http, {
    token: config.metricsToken,
    render: () =>
      metrics.render({
        clients: () => clientsOf(sockets.io),
        historyQueue: () => history.pending(),
        relayQueue: () => cluster?.stats().relayUncommitted ?? 0,
        leading: () => (cluster ? cluster.leading() : null),
      }),
  });
  registerBasemapRoutes(http, config.basemap, deps.scenarioDir, config.basemapPmtilesFile);
  await registerStaticRoutes(http, { clientDir: deps.clientDir, dataDir: deps.scenarioDir });

  // What this node shows: its own live state, or in a cluster the leader's picture (cluster/mirror.ts).
  let view: ReturnType<ClusterNode['view']> = {
    units: () => live.units(),
    unit: (id: string) => live.unit(id),
    jointPatrols: () => jointPatrols.patrols(),
    openIncidents: () => closedLoop.openIncidents(),
    openAlerts: () => closedLoop.openAlerts(),
  };
  const snapshot = (): Snapshot =>
    broadcaster.snapshot({
      units: view.units(),
      incidents: view.openIncidents(),
      alerts: view.openAlerts(),
      jointPatrols: view.jointPatrols(),
      layersVersion,
    });
  const sockets = createSocketServer(http.server, {
    auth,
    ingest,
    broadcaster,
    snapshot,
    router: () => scopeRouter,
    unit: (id) => view.unit(id),
    openIncidents: () => view.openIncidents(),
    logger,
    submitReport: (user, message) => closedLoop.submitReport(user, message),
    allowedOrigins: config.allowedOrigins,
  });

  /** This node's clients get the delta; the metrics see when. */
  const fanOut = (delta: Delta): void => {
    sockets.broadcast(delta);
    metrics.emitted(delta, now());
  };
  if (cluster) {
    sockets.io.adapter(cluster.adapter());
    cluster.attach({
      live,
      broadcaster,
      registry,
      units: store.units,
      jointPatrols: () => jointPatrols.patrols(),
      openIncidents: () => closedLoop.openIncidents(),
      openAlerts: () => closedLoop.openAlerts(),
      fanOut: (delta) => fanOut(delta),
      seedPacked: (epoch, seq, units) => sockets.seedPacked(epoch, seq, units),
    });
    view = cluster.view();
  }
  // A cluster node picks up layer imports and fence edits made on other nodes from the shared store.
  const sharedSync = cluster
    ? setInterval(() => {
        void (async () => {
          const version = await store.layers.version();
          if (version !== layersVersion) await reloadLayers(version, true);
          fences.setFences(await store.fences.list());
        })().catch((error: unknown) => logger.error({ err: error }, 'cluster layer and fence sync failed'));
      }, CLUSTER_SYNC_MS)
    : null;
  sharedSync?.unref();

  /** A cluster follower's flush: its device events and REST changes go to the leader, its history to disk. */
  const followerFlush = async (node: ClusterNode): Promise<void> => {
    const changes = live.drain();
    await Promise.all([history.flush(), node.forward(changes.events, closedLoop.drain())]);
  };

  let lastPatrolTick = 0;
  const flush = async (): Promise<void> => {
    if (cluster && !cluster.leading()) return followerFlush(cluster);
    const forwards = cluster?.take();
    const t = now();
    live.tick(t);
    if (t - lastPatrolTick >= JOINT_PATROL_TICK_MS) {
      lastPatrolTick = t;
      jointPatrols.tick(t);
      coverage.tick(t);
      fences.tick(t);
      await closedLoop
        .tick(t)
        .catch((error: unknown) => logger.error({ err: error }, 'closed loop tick failed'));
    }
    const changes = live.drain();
    if (forwards) changes.events.push(...forwards.events);
    await closedLoop
      .onDomainEvents(changes.events)
      .catch((error: unknown) => logger.error({ err: error }, 'alerts from events failed'));
    const own = closedLoop.drain();
    const closed = forwards
      ? { incidents: [...own.incidents, ...forwards.incidents], alerts: [...own.alerts, ...forwards.alerts] }
      : own;
    const delta = broadcaster.publish(changes, jointPatrols.drain(), closed);
    // In a cluster the followers get the delta before this node's clients do (cluster/feed.ts).
    if (cluster && forwards)
      await cluster
        .published(delta, forwards.mark)
        .catch((error: unknown) => logger.error({ err: error }, 'cluster publish failed'));
    if (delta) fanOut(delta);
    await Promise.all([history.flush(), delta ? store.events.append(delta.events) : undefined]);
  };
  let loop: NodeJS.Timeout | null = null;
  const prune = setInterval(() => {
    void store.history.prune(now() - config.historyDays * 86_400_000);
    void store.events.prune(now() - config.historyDays * 86_400_000);
  }, 3_600_000);
  prune.unref();

  const ports = { http: 0, osmand: 0, cot: 0 };
  return {
    ports: () => ({ ...ports }),
    routes: () => access.routes(),
    http,
    io: sockets.io,
    live,
    ingest,
    registry,
    closedLoop,
    flush,
    async listen() {
      const url = await http.listen({ host: config.host, port: config.port });
      ports.osmand = await osmand.listen(config.host, config.osmandPort);
      ports.cot = await cot.listen(config.host, config.cotPort);
      ports.http = Number(new URL(url).port);
      layersVersion = await store.layers.version();
      loop = setInterval(() => {
        const started = performance.now();
        flush().then(
          () => metrics.flushed((performance.now() - started) / 1000),
          (error: unknown) => logger.error({ err: error }, 'flush failed'),
        );
      }, config.flushMs);
      return url;
    },
    async close() {
      if (loop) clearInterval(loop);
      await Promise.all([osmand.close(), cot.close()]);
      clearInterval(prune);
      if (sharedSync) clearInterval(sharedSync);
      await flush();
      // Fastify first: from here a request on a kept-alive connection gets 503 and "Connection: close", so a
      // wall that polls every few seconds cannot hold the server open. Then Socket.io drops its clients.
      // A connection still busy after the grace period is cut.
      const httpClosed = http.close().catch(() => undefined);
      const grace = setTimeout(() => http.server.closeAllConnections(), CLOSE_GRACE_MS);
      await Promise.all([sockets.io.close(), httpClosed]);
      clearTimeout(grace);
    },
  };
}
