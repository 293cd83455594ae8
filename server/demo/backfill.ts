// The demo backfill: a fresh store gets N days of the simulator's position history, and incidents, road-chief
// reports and household posts' check-ins made by the real closed-loop services under a virtual clock that
// walks the window in time order (so deadlines pass, the engine escalates, operators acknowledge alerts). Nothing is dated at or
// after `start`; what is still due after it (steps of open incidents) is handed to demo life.
import type { Logger } from 'pino';
import { createClosedLoop, type ClosedLoop } from '../domain/closed-loop';
import type { Deadlines } from '../domain/deadlines';
import { loadRouter } from '../domain/routing';
import { loadClassifier } from '../engine/classifier';
import { ApiError } from '../http/errors';
import type { Motion } from '../ingest/simulator';
import type { Store } from '../store/store';
import { createAgenda } from './agenda';
import { backfillHistory } from './backfill-history';
import { DUTY_OFFICER } from './cast';
import { checkinPeriodEnds, loadCheckinRoster, planCheckins } from './checkins';
import { fileReport, loadGrids, raiseIncident, type GridEntry } from './happenings';
import { localHour, localMidnight, zoneOffsetMs } from './local-time';
import { backfilledEvent, whyNotFresh } from './marker';
import {
  ALERT_ACK_DELAY_MS,
  ALERT_ACK_RATE,
  ANOMALY_RATE,
  DILIGENT_CHIEF,
  HOURLY_RHYTHM,
  INCIDENTS_PER_DAY,
  MISSED_FOLLOW_UP_NOTE,
  REPORT_HOURS,
  SLOPPY_CHIEF,
  SLOPPY_CHIEF_RATE,
} from './mix';
import { createRandom, type Random } from './prng';
import { count, type DemoWorld } from './world';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** The engine's deadline check runs once a second live; every five simulated minutes is close enough. */
const TICK_MS = 5 * 60_000;
/**
 * The missed-report and missed-check-in checks run once a minute live; here every 30 minutes, and at the first
 * tick after a check-in period ends. They walk every post's schedule: ~55 ms a call with the scenario's 265
 * posts, 47 s of a 3-day backfill when they ran every five minutes.
 */
const FULL_TICK_MS = 30 * 60_000;

export interface BackfillOptions {
  store: Store;
  dataDir: string;
  motion: Motion;
  days: number;
  seed: number;
  /** The wall clock at boot: every record is dated before it. */
  start: number;
  deadlines: Deadlines;
  borderZoneMeters: number;
  timeZone: string;
  logger: Pick<Logger, 'info' | 'warn'>;
}

export type BackfillResult =
  | { ran: false; reason: string }
  | { ran: true; world: DemoWorld; ms: number; historyMs: number; checkinsMs: number; fixes: number };

function scheduleIntake(
  world: DemoWorld,
  grids: GridEntry[],
  from: number,
  to: number,
  offset: number,
): void {
  const times = world.random.fork('intake-times');
  const intake = world.random.fork('intake');
  const meanRhythm = HOURLY_RHYTHM.reduce((a, v) => a + v, 0) / HOURLY_RHYTHM.length;
  for (let hour = Math.floor(from / HOUR) * HOUR; hour < to; hour += HOUR) {
    const mean = ((INCIDENTS_PER_DAY / 24) * (HOURLY_RHYTHM[localHour(hour, offset)] ?? 1)) / meanRhythm;
    for (let n = times.poisson(mean); n > 0; n--) {
      const t = hour + Math.floor(times.next() * HOUR);
      if (t >= from && t < to)
        world.agenda.at(t, 'incident.raise', async () => {
          await raiseIncident(world, grids, intake);
        });
    }
  }
}

function scheduleReports(world: DemoWorld, from: number, to: number, offset: number): void {
  const plan = world.random.fork('report-times');
  const content = world.random.fork('reports');
  for (const segment of world.router.segments()) {
    if (!segment.roadChief) continue;
    const [low, high] = plan.chance(SLOPPY_CHIEF_RATE) ? SLOPPY_CHIEF : DILIGENT_CHIEF;
    const diligence = plan.between(low, high);
    for (let day = localMidnight(from, offset); day < to; day += DAY) {
      for (const [first, last] of REPORT_HOURS) {
        if (!plan.chance(diligence)) continue;
        const t = day + Math.floor(plan.between(first, last) * HOUR);
        if (t >= from && t < to)
          world.agenda.at(t, 'report', async () => {
            await fileReport(world, segment, content, ANOMALY_RATE);
          });
      }
    }
  }
}

function scheduleTicks(
  world: DemoWorld,
  loop: ClosedLoop,
  from: number,
  to: number,
  periodEnds: readonly number[],
): void {
  // Ticks are at from + k·TICK_MS: the full ones by k.
  const full = new Set(periodEnds.map((end) => Math.ceil((end - from) / TICK_MS)));
  for (let k = 0; k * TICK_MS < to - from; k += FULL_TICK_MS / TICK_MS) full.add(k);
  const tick = (t: number): void =>
    world.agenda.at(t, 'tick', async () => {
      const k = Math.ceil((t - from) / TICK_MS);
      if (full.has(k) || t === to - 1) await loop.tick(t);
      else {
        await loop.incidents.tick(t);
        await loop.alerts.tick(t);
      }
      // A last tick just before the start judges a check-in period that ended in the last five minutes.
      const next = t + TICK_MS < to ? t + TICK_MS : to - 1;
      if (next > t) tick(next);
    });
  tick(from + TICK_MS);
}

/** Alerts the backfill's closed loop raised: the duty officer acknowledges most of them after a while. */
function acknowledgeLater(world: DemoWorld, loop: ClosedLoop, random: Random): void {
  for (const alert of loop.drain().alerts) {
    if (alert.acknowledgedAt !== null || !random.chance(ALERT_ACK_RATE)) continue;
    const delay = Math.round(random.between(...ALERT_ACK_DELAY_MS));
    // A missed check-in is settled by phoning the household.
    const note = alert.type === 'checkin.missed' ? MISSED_FOLLOW_UP_NOTE : '值班员已确认';
    world.agenda.at(world.now() + delay, 'alert.ack', async () => {
      try {
        await world.services.alerts.ack(DUTY_OFFICER, alert.id, note);
        count(world, 'alert.ack');
      } catch (error) {
        if (!(error instanceof ApiError)) throw error; // already acknowledged at the wall
      }
    });
  }
}

async function backfillClosedLoop(
  options: BackfillOptions,
  from: number,
  to: number,
): Promise<{ world: DemoWorld; checkinsMs: number }> {
  const { store } = options;
  let clock = from;
  const classify = await loadClassifier(store, options.borderZoneMeters);
  const loop = await createClosedLoop({
    store,
    dataDir: options.dataDir,
    now: () => clock,
    deadlines: options.deadlines,
    inBorderZone: (lon, lat) => classify(lon, lat).inBorderZone,
  });
  const router = await loadRouter(store);
  const random = createRandom(options.seed);
  const world: DemoWorld = {
    store,
    services: loop,
    now: () => clock,
    agenda: createAgenda(),
    deadlines: options.deadlines,
    router,
    positionOf: (unitId, t) => options.motion.positionOf(unitId, t),
    live: false,
    random: random.fork('lifecycle'),
    followed: 0,
    checkinsUntil: to,
    counts: {},
  };
  const offset = zoneOffsetMs(options.timeZone, from);
  const grids = await loadGrids(store, router.segments());
  scheduleIntake(world, grids, from, to, offset);
  scheduleReports(world, from, to, offset);
  const roster = await loadCheckinRoster(world, grids, options);
  planCheckins(world, roster, from, to);
  scheduleTicks(world, loop, from, to, checkinPeriodEnds(roster, from, to));
  const acks = random.fork('acks');
  let nextProgress = from + DAY;
  let checkinsMs = 0;
  for (let at = world.agenda.nextAt(); at !== null && at < to; at = world.agenda.nextAt()) {
    const item = world.agenda.take();
    if (!item) break;
    clock = item.t;
    const began = item.label === 'post.checkin' ? performance.now() : 0;
    await item.run();
    if (began) checkinsMs += performance.now() - began;
    acknowledgeLater(world, loop, acks);
    if (clock >= nextProgress) {
      options.logger.info(
        { day: Math.round((clock - from) / DAY), of: options.days },
        'demo backfill: day done',
      );
      nextProgress += DAY;
    }
  }
  loop.drain();
  return { world, checkinsMs: Math.round(checkinsMs) };
}

/** Backfills a fresh store; on any other store it does nothing and says why. */
export async function backfillDemo(options: BackfillOptions): Promise<BackfillResult> {
  const reason = options.days <= 0 ? 'DEMO_BACKFILL_DAYS=0' : await whyNotFresh(options.store);
  if (reason) return { ran: false, reason };
  const started = performance.now();
  const to = options.start;
  const from = to - options.days * DAY;
  options.logger.info({ days: options.days, seed: options.seed }, 'demo backfill: starting');
  let quarter = 1;
  const history = await backfillHistory(options.store.history, options.motion, from, to, (done, total) => {
    if (done < (quarter * total) / 4) return;
    options.logger.info({ percent: quarter * 25 }, 'demo backfill: position history');
    quarter++;
  });
  const { world, checkinsMs } = await backfillClosedLoop(options, from, to);
  const ms = Math.round(performance.now() - started);
  const summary = { days: options.days, seed: options.seed, from, to, fixes: history.fixes, ...world.counts };
  await options.store.events.append([backfilledEvent(to, summary)]);
  options.logger.info(
    { ...summary, ms, historyMs: history.ms, checkinsMs, pending: world.agenda.size() },
    'demo backfill: done',
  );
  return { ran: true, world, ms, historyMs: history.ms, checkinsMs, fixes: history.fixes };
}
