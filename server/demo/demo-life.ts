// Demo life: while the simulator moves the units, now and then a hotline call or a grid staff member raises
// an incident, a road chief files a report (an anomaly now and then), and rarely a unit sends an SOS and
// cancels it; the household posts check in on their schedule, and the duty officer phones those that did
// not. All through the app's closed loop, so they reach every screen in deltas and count in the KPIs. It
// also carries on the backfill's agenda (the open incidents' next steps) in real time.
import type { Logger } from 'pino';
import type { App } from '../app';
import type { DomainEvent } from '../contract';
import type { Deadlines } from '../domain/deadlines';
import { newId } from '../domain/ids';
import { loadRouter } from '../domain/routing';
import { ApiError } from '../http/errors';
import type { Motion } from '../ingest/simulator';
import type { Store } from '../store/store';
import { createAgenda } from './agenda';
import { DUTY_OFFICER } from './cast';
import { loadCheckinRoster, planCheckins, type CheckinRoster } from './checkins';
import { fileReport, loadGrids, raiseIncident, type GridEntry } from './happenings';
import {
  ALERT_ACK_RATE,
  LIFE_HAPPENINGS,
  LIVE_ANOMALY_RATE,
  MISSED_FOLLOW_UP_MS,
  MISSED_FOLLOW_UP_NOTE,
  STALE_ALERT_MS,
} from './mix';
import { createRandom, type Random } from './prng';
import { count, type DemoWorld } from './world';

export interface DemoLifeOptions {
  app: Pick<App, 'live' | 'closedLoop'>;
  store: Store;
  motion: Motion | null;
  /** Mean time between happenings (each is drawn 0.5–1.5× this). */
  intervalMs: number;
  seed: number;
  deadlines: Deadlines;
  now: () => number;
  /** The zone of the posts' check-in schedules (TZ, as the app's); default Asia/Shanghai. */
  timeZone?: string;
  logger: Pick<Logger, 'info' | 'warn' | 'error' | 'debug'>;
  /** The backfill's world: its agenda (steps of open incidents) carries on live. */
  world?: DemoWorld | null;
  /** Tuning (and tests): the odds of each happening, and of an anomaly in a report (default mix.ts). */
  happenings?: Partial<Record<Happening, number>>;
  anomalyRate?: number;
  /** Tuning (and tests): the share of periods a post lets pass without checking in (default mix.ts). */
  missedCheckinRate?: number;
}

type Happening = 'incident' | 'report' | 'sos';

export interface DemoLife {
  start(): void;
  /** Runs what is due now: agenda items, and a happening when its time has come. */
  step(): Promise<void>;
  stop(): Promise<void>;
  counts(): Record<string, number>;
}

const STALE_SWEEP_MS = 60_000;
/** Check-ins are put on the agenda this far ahead (a draw per post and period: cheap, and restart-proof). */
const CHECKIN_PLAN_MS = 10 * 60_000;
/** How long after an SOS its sender cancels it (at most the interval, so tests with a fast one see it). */
const SOS_CANCEL_MS: [number, number] = [30_000, 90_000];

async function worldFor(options: DemoLifeOptions): Promise<DemoWorld> {
  const { app, now } = options;
  const positionOf = (unitId: string, t: number): { lon: number; lat: number } | null => {
    const unit = app.live.unit(unitId);
    return unit ? { lon: unit.lon, lat: unit.lat } : (options.motion?.positionOf(unitId, t) ?? null);
  };
  const carried = options.world;
  if (carried) return Object.assign(carried, { services: app.closedLoop, now, positionOf, live: true });
  return {
    store: options.store,
    services: app.closedLoop,
    now,
    agenda: createAgenda(),
    deadlines: options.deadlines,
    router: await loadRouter(options.store),
    positionOf,
    live: true,
    random: createRandom(options.seed).fork('life-lifecycle'),
    followed: 0,
    checkinsUntil: now(),
    counts: {},
  };
}

function sosEvents(unit: { id: string; callsign: string; lon: number; lat: number }, t: number) {
  const sos: DomainEvent = {
    id: newId(t),
    type: 'sos',
    t,
    unitId: unit.id,
    message: `SOS from ${unit.callsign} (simulator)`,
    data: { source: 'simulator', lon: unit.lon, lat: unit.lat, deviceId: null },
  };
  const cancelled = (at: number): DomainEvent => ({
    id: newId(at),
    type: 'sos.cancelled',
    t: at,
    unitId: unit.id,
    message: `SOS cancelled by ${unit.callsign} (simulator)`,
    data: { source: 'simulator', deviceId: null, sosEventId: sos.id },
  });
  return { sos, cancelled };
}

type QueuedAlert = { id: string; type: string; t: number; data: Record<string, unknown> };

/** The duty officer acknowledges the alerts in the unacknowledged queue that `noteFor` has a note for. */
async function acknowledge(world: DemoWorld, noteFor: (alert: QueuedAlert) => string | null) {
  let cursor: string | undefined;
  for (let page = 0; page < 5; page++) {
    const { items, nextCursor } = await world.services.alerts.list(DUTY_OFFICER, {
      acknowledged: false,
      limit: 200,
      cursor,
    });
    for (const alert of items) {
      const note = noteFor(alert);
      if (note === null) continue;
      try {
        await world.services.alerts.ack(DUTY_OFFICER, alert.id, note);
        count(world, 'alert.ack');
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
      }
    }
    if (!nextCursor) return;
    cursor = nextCursor;
  }
}

export function createDemoLife(options: DemoLifeOptions): DemoLife {
  const random: Random = createRandom(options.seed).fork('life');
  // Live, anomalies come more often than in the backfill: a demo of a few minutes should see one.
  const anomalyRate = options.anomalyRate ?? LIVE_ANOMALY_RATE;
  let world: DemoWorld | null = null;
  let grids: GridEntry[] = [];
  let roster: CheckinRoster | null = null;
  let layersVersion = -1;
  let nextHappening = options.now() + options.intervalMs * random.between(0.5, 1.5);
  let nextSweep = options.now() + STALE_SWEEP_MS;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;

  const ready = async (): Promise<DemoWorld> => {
    world ??= await worldFor(options);
    const version = await options.store.layers.version();
    if (version !== layersVersion) {
      // A layer import moved grids or segments: route and place with the new ones.
      if (layersVersion !== -1) world.router = await loadRouter(options.store);
      grids = await loadGrids(options.store, world.router.segments());
      roster = await loadCheckinRoster(world, grids, {
        deadlines: options.deadlines,
        timeZone: options.timeZone ?? 'Asia/Shanghai',
        seed: options.seed,
        missedRate: options.missedCheckinRate,
      });
      layersVersion = version;
    }
    return world;
  };

  const sos = (w: DemoWorld): void => {
    const units = options.app.live.units().filter((u) => !u.stale);
    if (units.length === 0) return;
    const unit = random.pick(units);
    const events = sosEvents(unit, w.now());
    options.app.live.emit(events.sos);
    count(w, 'sos');
    const cancelAt = w.now() + Math.min(random.between(...SOS_CANCEL_MS), options.intervalMs);
    w.agenda.at(cancelAt, 'sos.cancel', async () => {
      options.app.live.emit(events.cancelled(w.now()));
      count(w, 'sos.cancelled');
      // The alert the SOS raised is settled: the sender called it off.
      await acknowledge(w, (a) => (a.data.eventId === events.sos.id ? '求救已由发送方取消' : null));
    });
  };

  const happen = async (w: DemoWorld): Promise<void> => {
    const what = random.weighted<Happening>(options.happenings ?? LIFE_HAPPENINGS);
    if (what === 'incident') await raiseIncident(w, grids, random);
    else if (what === 'report') {
      const segments = w.router.segments().filter((s) => s.roadChief);
      if (segments.length > 0) await fileReport(w, random.pick(segments), random, anomalyRate);
    } else sos(w);
  };

  /** Most missed check-ins: a call to the household some minutes later; the rest wait for the stale sweep. */
  const followUpAfter = (alert: QueuedAlert): number | null => {
    if (alert.type !== 'checkin.missed') return null;
    // Drawn per post and period (alert ids carry random bits): the same story for the same seed.
    const draw = random.fork(`follow-up:${String(alert.data.postId)}@${String(alert.data.periodStart)}`);
    return draw.chance(ALERT_ACK_RATE) ? draw.between(...MISSED_FOLLOW_UP_MS) : null;
  };

  const step = async (): Promise<void> => {
    const w = await ready();
    const now = options.now();
    if (roster && w.checkinsUntil <= now + CHECKIN_PLAN_MS / 2) {
      const until = now + CHECKIN_PLAN_MS;
      planCheckins(w, roster, w.checkinsUntil, until);
      w.checkinsUntil = until;
    }
    for (let at = w.agenda.nextAt(); at !== null && at <= now; at = w.agenda.nextAt()) {
      const item = w.agenda.take();
      if (item) await item.run();
    }
    if (now >= nextHappening) {
      nextHappening = now + options.intervalMs * random.between(0.5, 1.5);
      await happen(w);
    }
    if (now >= nextSweep) {
      nextSweep = now + STALE_SWEEP_MS;
      await acknowledge(w, (a) => {
        if (a.t < now - STALE_ALERT_MS) return '值班员已处理（演示）';
        const after = followUpAfter(a);
        return after !== null && a.t <= now - after ? MISSED_FOLLOW_UP_NOTE : null;
      });
    }
  };

  const guarded = (): void => {
    if (running) return; // a slow step must not pile up
    running = step()
      .catch((error: unknown) => options.logger.error({ err: error }, 'demo life step failed'))
      .finally(() => (running = null));
  };

  return {
    start() {
      if (timer) return;
      timer = setInterval(guarded, Math.min(1_000, Math.max(50, Math.floor(options.intervalMs / 4))));
      timer.unref();
      guarded();
    },
    step,
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      await running;
    },
    counts: () => ({ ...(world?.counts ?? {}) }),
  };
}
