// What the demo's actors work with: the closed-loop services, the clock, the agenda, a router over the
// scenario's layers, where units are and how far the posts' check-ins are planned. The backfill fills it
// with a virtual clock; demo life with the app's.
import type { AlertService } from '../domain/alerts';
import type { CheckinService } from '../domain/checkins';
import type { Deadlines } from '../domain/deadlines';
import type { IncidentService } from '../domain/incidents';
import type { ReportService } from '../domain/reports';
import type { Router } from '../domain/routing';
import type { Store } from '../store/store';
import type { Agenda } from './agenda';
import type { Random } from './prng';

export interface DemoServices {
  incidents: IncidentService;
  reports: ReportService;
  alerts: AlertService;
  checkins: CheckinService;
}

export interface DemoWorld {
  store: Store;
  /** Swapped from the backfill's closed loop to the app's when demo life takes over the agenda. */
  services: DemoServices;
  now: () => number;
  agenda: Agenda;
  deadlines: Deadlines;
  router: Router;
  /** Where a unit is at a time (the simulator's motion, or the live state), null if unknown. */
  positionOf: (unitId: string, t: number) => { lon: number; lat: number } | null;
  /** Live: some incidents wait for the humans at the wall first. */
  live: boolean;
  random: Random;
  /** Numbers the incidents the demo follows, for their own random streams (ids carry random bits). */
  followed: number;
  /** Household check-ins are on the agenda up to this time; demo life plans on from it. */
  checkinsUntil: number;
  /** What the demo did, for the log and the tests. */
  counts: Record<string, number>;
}

export function count(world: DemoWorld, what: string, by = 1): void {
  world.counts[what] = (world.counts[what] ?? 0) + by;
}
