// The demo simulator: moves the roster's units along their team routes and submits their fixes through the
// ingest pipeline exactly like a device would. Grid, segment and joint-patrol fields are the engine's job.
import { createPathWalker, type PathWalker } from '../../geo';
import type { PositionReport } from '../contract';
import type { Ingest } from './pipeline';
import { hashText, type Team } from './simulator-routes';

export interface SimulatorOptions {
  teams: Team[];
  ingest: Ingest;
  now: () => number;
  intervalMs: number;
  maxUnits: number;
  /**
   * The time the routes start from (default: when the simulator is made). A fixed origin makes positions a
   * function of the clock alone, so the backfilled history, the live run and the next restart join up.
   */
  origin?: number;
}

/** Where every simulated unit is at a time: the one source of positions for the live run and the backfill. */
export interface Motion {
  unitIds: readonly string[];
  /** A fix for every unit at time t, as a device would report it. */
  fixesAt(t: number): PositionReport[];
  /** One unit's position at time t; null for a unit the simulator does not move. */
  positionOf(unitId: string, t: number): { lon: number; lat: number } | null;
}

export interface Simulator {
  /** Moves every unit to where it is at `now` and submits the fixes. */
  step(now: number): Promise<void>;
  start(): void;
  stop(): void;
}

interface Walker {
  unitId: string;
  walker: PathWalker;
  speedMps: number;
  startMeters: number;
  /** Members after the first drift away and back on a slow cycle, so joint patrols form and split. */
  driftMeters: number;
  driftPeriodMs: number;
  sideMeters: number;
}

function walkersFor(teams: Team[], maxUnits: number): Walker[] {
  const out: Walker[] = [];
  for (const team of teams) {
    const walker = createPathWalker(team.route);
    const startMeters = hashText(team.id) % Math.max(1, Math.floor(walker.lengthMeters));
    team.memberIds.forEach((unitId, index) => {
      out.push({
        unitId,
        walker,
        speedMps: team.speedMps,
        startMeters,
        driftMeters: index === 0 ? 0 : 150 + 60 * index,
        driftPeriodMs: 8 * 60_000 + (hashText(unitId) % 4) * 60_000,
        sideMeters: index * 6 - 6,
      });
    });
  }
  return out.slice(0, maxUnits);
}

function positionOf(w: Walker, elapsedMs: number): ReturnType<PathWalker['pointAt']> {
  // Drift is zero half of each period (together) and rises and falls in the other half (apart).
  const phase = (elapsedMs % w.driftPeriodMs) / w.driftPeriodMs;
  const drift = phase < 0.5 ? 0 : w.driftMeters * Math.sin((phase - 0.5) * 2 * Math.PI);
  return w.walker.pointAt(w.startMeters + (w.speedMps * elapsedMs) / 1000 + drift, w.sideMeters);
}

function fixOf(w: Walker, origin: number, t: number): PositionReport {
  const p = positionOf(w, t - origin);
  return {
    unitId: w.unitId,
    source: 'simulator',
    lon: p.lon,
    lat: p.lat,
    t,
    accuracyMeters: 5,
    headingDeg: p.headingDeg,
    speedMps: w.speedMps,
  };
}

export function createMotion(teams: Team[], maxUnits: number, origin: number): Motion {
  const walkers = walkersFor(teams, maxUnits);
  const byUnit = new Map(walkers.map((w) => [w.unitId, w]));
  return {
    unitIds: walkers.map((w) => w.unitId),
    fixesAt: (t) => walkers.map((w) => fixOf(w, origin, t)),
    positionOf(unitId, t) {
      const w = byUnit.get(unitId);
      if (!w) return null;
      const p = positionOf(w, t - origin);
      return { lon: p.lon, lat: p.lat };
    },
  };
}

export function createSimulator(options: SimulatorOptions): Simulator {
  const motion = createMotion(options.teams, options.maxUnits, options.origin ?? options.now());
  let timer: NodeJS.Timeout | null = null;
  let running = false;

  const step = async (now: number): Promise<void> => {
    await Promise.all(motion.fixesAt(now).map((fix) => options.ingest.submit(fix)));
  };

  return {
    step,
    start() {
      if (timer) return;
      timer = setInterval(() => {
        if (running) return; // a slow disk must not pile up steps
        running = true;
        void step(options.now()).finally(() => (running = false));
      }, options.intervalMs);
      void step(options.now());
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = null;
    },
  };
}
