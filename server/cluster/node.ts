// One node of a cluster on Redis (REDIS_URL): the engine leader's lease, the relay of fixes, device events
// and REST changes from followers to the leader, the feed of the leader's deltas to followers, and the
// mirror every node serves snapshots and resyncs from. createApp calls in at a few points (docs/operations.md,
// "Several nodes"); with REDIS_URL unset none of this exists.
import { createAdapter } from '@socket.io/redis-streams-adapter';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import {
  PositionReport,
  type Alert,
  type AlertDetail,
  type Delta,
  type DomainEvent,
  type Incident,
  type JointPatrol,
  type UnitState,
} from '../contract';
import { newId } from '../domain/ids';
import type { LiveState } from '../engine/live-state';
import type { Registry } from '../engine/registry';
import type { Ingest } from '../ingest/pipeline';
import type { Broadcaster } from '../realtime/broadcaster';
import type { HistoryWriter } from '../store/history-writer';
import type { UnitStore } from '../store/store';
import { createFeedReader, createFeedWriter, PICTURE_MS } from './feed';
import { createClusterIngest } from './ingest';
import { clusterKeys } from './keys';
import { createLease } from './lease';
import { createMirror, type Mirror, type Picture } from './mirror';
import { REGISTRY_SYNC_MS, syncRegistry } from './registry-sync';
import { createRelayReader, createRelaySender, type Forwarded } from './relay';

/** A dead leader's lease lapses within this; a follower takes over one renewal round later. */
export const LEASE_TTL_MS = 5_000;

/** The parts of the app the cluster drives (createApp hands them over once). */
export interface ClusterParts {
  live: LiveState;
  broadcaster: Broadcaster;
  registry: Registry;
  /** The shared store's units: the registry follows edits made on other nodes. */
  units: UnitStore;
  jointPatrols(): JointPatrol[];
  openIncidents(): Incident[];
  openAlerts(): Alert[];
  /** This node's fan-out of a delta to its own clients (rooms, packed twins). */
  fanOut(delta: Delta): void;
  /** Starts the whole room's packed stream from a picture (a follower's or a new leader's). */
  seedPacked(epoch: string, seq: number, units: readonly UnitState[]): void;
}

/** What a leader's flush folds in from followers, and the relay mark to commit once it is published. */
export interface Forwards {
  events: DomainEvent[];
  incidents: Incident[];
  alerts: AlertDetail[];
  mark: string | null;
}

export interface ClusterNode {
  readonly nodeId: string;
  /** True once this node holds the lease and has taken over (replay started, picture written). */
  leading(): boolean;
  onRole(listener: (leading: boolean) => void): void;
  /** The socket.io adapter factory (sessions and cross-node socket operations through Redis). */
  adapter(): ReturnType<typeof createAdapter>;
  ingest(local: Ingest, history: HistoryWriter, registry: Registry, now: () => number): Ingest;
  attach(parts: ClusterParts): void;
  /** The picture this node shows: the leader's own live state, a follower's mirror. */
  view(): {
    units(): UnitState[];
    unit(id: string): UnitState | undefined;
    jointPatrols(): JointPatrol[];
    openIncidents(): Incident[];
    openAlerts(): Alert[];
  };
  /** Follower's flush: device events and closed-loop changes of this node go to the leader. */
  forward(events: DomainEvent[], changes: { incidents: Incident[]; alerts: AlertDetail[] }): Promise<void>;
  /** Leader's flush, first thing: what followers sent since the last flush. */
  take(): Forwards;
  /** Leader's flush: the delta (if any) to the feed before local fan-out; then the relay mark committed. */
  published(delta: Delta | null, mark: string | null): Promise<void>;
  start(): void;
  close(): Promise<void>;
  stats(): { leading: boolean; relayUncommitted: number; forwardedPending: number };
}

export function createClusterNode(redisUrl: string, logger: Logger): ClusterNode {
  const nodeId = newId(Date.now());
  const keys = clusterKeys();
  const log = logger.child({ node: nodeId });
  const onError = (error: unknown): void => log.error({ err: error }, 'cluster redis error');
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 3 });
  redis.on('error', onError);
  const adapterClient = new Redis(redisUrl);
  adapterClient.on('error', onError);
  const relaySender = createRelaySender(redis, keys.toLeader);
  const relayReader = createRelayReader(redis, keys.toLeader, keys.toLeaderCursor, onError);
  const feedWriter = createFeedWriter(redis, keys.deltas, keys.picture);
  const feedReader = createFeedReader(redis, keys.deltas, keys.picture, onError);
  const listeners: ((leading: boolean) => void)[] = [];
  let parts: ClusterParts | null = null;
  let mirror: Mirror | null = null;
  let ready = false;
  let pictureTimer: NodeJS.Timeout | null = null;
  let registryTimer: NodeJS.Timeout | null = null;
  let forwards: Omit<Forwards, 'mark'> = { events: [], incidents: [], alerts: [] };

  const need = (): { parts: ClusterParts; mirror: Mirror } => {
    if (!parts || !mirror) throw new Error('cluster node used before createApp attached it');
    return { parts, mirror };
  };

  const receive = (entry: Forwarded): void => {
    const { parts: app } = need();
    if (entry.kind === 'fix') {
      // Its history is already written by the follower that took it.
      const { rx, ...fix } = entry.fix;
      const report = PositionReport.safeParse(fix);
      if (report.success) app.live.accept(report.data, rx);
    } else if (entry.kind === 'events') forwards.events.push(...entry.events);
    else {
      forwards.incidents.push(...entry.incidents);
      forwards.alerts.push(...entry.alerts);
    }
  };

  const picture = (): Picture => {
    const { parts: app } = need();
    return {
      epoch: app.broadcaster.epoch,
      seq: app.broadcaster.seq(),
      units: app.live.units(),
      jointPatrols: app.jointPatrols(),
    };
  };
  const writePicture = (): Promise<void> => feedWriter.writePicture(picture());

  const follow = (): void => {
    const { parts: app, mirror: copy } = need();
    feedReader.start({
      position: () => {
        const epoch = copy.epoch();
        return epoch === null ? null : { epoch, seq: copy.seq() };
      },
      seed(stored) {
        copy.seed(stored);
        const held = new Set(stored.units.map((unit) => unit.id));
        app.live.mirror(
          stored.units,
          app.live.units().flatMap((unit) => (held.has(unit.id) ? [] : [unit.id])),
        );
        app.broadcaster.restart(stored.epoch, stored.seq);
        app.seedPacked(stored.epoch, stored.seq, stored.units);
        log.info({ epoch: stored.epoch, seq: stored.seq, units: stored.units.length }, 'mirror seeded');
      },
      apply(delta) {
        copy.apply(delta);
        app.live.mirror(delta.units.upsert, delta.units.remove);
        app.broadcaster.adopt(delta);
        app.fanOut(delta);
      },
    });
  };

  /** Becoming the leader: the mirror's units become the live state, a new epoch, replay from the cursor. */
  const takeOver = async (): Promise<void> => {
    const { parts: app, mirror: copy } = need();
    await feedReader.stop();
    app.live.restore(copy.units());
    const epoch = newId(Date.now());
    app.broadcaster.restart(epoch, 0);
    forwards = { events: [], incidents: [], alerts: [] };
    relayReader.start(receive);
    const now = picture();
    copy.seed(now);
    app.seedPacked(epoch, 0, now.units);
    // Before the epoch's first delta: a follower that sees that delta finds the picture it starts from.
    await writePicture();
    pictureTimer = setInterval(() => {
      if (ready) writePicture().catch(onError);
    }, PICTURE_MS);
    ready = true;
    log.info({ epoch, units: now.units.length }, 'engine leader');
    for (const listener of listeners) listener(true);
  };

  const stepDown = (): void => {
    const was = ready;
    ready = false;
    if (pictureTimer) clearInterval(pictureTimer);
    pictureTimer = null;
    void relayReader.stop().then(() => {
      if (!closing) follow();
    });
    if (was) {
      log.warn('no longer the engine leader');
      for (const listener of listeners) listener(false);
    }
  };

  let closing = false;
  const lease = createLease(redis, {
    key: keys.leader,
    nodeId,
    ttlMs: LEASE_TTL_MS,
    onGain: takeOver,
    onLose: stepDown,
    onError,
  });

  return {
    nodeId,
    leading: () => ready,
    onRole: (listener) => listeners.push(listener),
    adapter: () =>
      createAdapter(adapterClient, {
        streamName: keys.socketStream,
        sessionKeyPrefix: keys.sessionPrefix,
        maxLen: 10_000,
      }),
    ingest: (local, history, registry, now) =>
      createClusterIngest({ leading: () => ready, local, history, registry, relay: relaySender, now }),
    attach(given) {
      parts = given;
      mirror = createMirror({ incidents: given.openIncidents(), alerts: given.openAlerts() });
    },
    view() {
      const { parts: app, mirror: copy } = need();
      return {
        units: () => (ready ? app.live.units() : copy.units()),
        unit: (id) => (ready ? app.live.unit(id) : copy.unit(id)),
        jointPatrols: () => (ready ? app.jointPatrols() : copy.jointPatrols()),
        openIncidents: () => copy.openIncidents(),
        openAlerts: () => copy.openAlerts(),
      };
    },
    async forward(events, changes) {
      const sends: Promise<void>[] = [];
      if (events.length > 0) sends.push(relaySender.send({ kind: 'events', events }));
      if (changes.incidents.length + changes.alerts.length > 0)
        sends.push(relaySender.send({ kind: 'changes', ...changes }));
      await Promise.all(sends);
    },
    take() {
      const out = { ...forwards, mark: relayReader.mark() };
      forwards = { events: [], incidents: [], alerts: [] };
      return out;
    },
    async published(delta, mark) {
      if (delta) {
        need().mirror.apply(delta);
        await feedWriter.publish(delta);
      }
      await relayReader.commit(mark);
    },
    start() {
      follow();
      lease.start();
      registryTimer = setInterval(() => {
        const { parts: app } = need();
        syncRegistry(app.units, app.registry, ready ? app.live : null).then(
          (changed) => changed > 0 && log.info({ changed }, 'unit registry synced'),
          onError,
        );
      }, REGISTRY_SYNC_MS);
    },
    async close() {
      closing = true;
      if (registryTimer) clearInterval(registryTimer);
      await lease.stop();
      await Promise.all([relayReader.stop(), feedReader.stop()]);
      relayReader.close();
      feedReader.close();
      redis.disconnect();
      adapterClient.disconnect();
    },
    stats: () => ({
      leading: ready,
      relayUncommitted: relayReader.uncommitted(),
      forwardedPending: forwards.events.length + forwards.incidents.length + forwards.alerts.length,
    }),
  };
}
