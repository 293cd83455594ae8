// Today against yesterday by hour: the cumulative windows the KPI tiles ask /api/kpis for, what each tile
// reads from a report, and hourly buckets of figures the server only knows "now" (sampled by the wall).
export const HOUR_MS = 3_600_000;

/** The fields of GET /api/kpis the wall shows (server/domain/kpi.ts). */
export interface KpiReport {
  from: number;
  to: number;
  incidents: { total: number };
  closure: { closed: number; p50Ms: number | null; p90Ms: number | null };
  deadlineCompliance: { incidents: number; onTime: number; rate: number | null };
  mediation: { mediated: number; settled: number; rate: number | null };
  reportCompliance: { expected: number; met: number; rate: number | null };
  segmentCoverage: number | null;
  jointPatrolsActive: number | null;
}

/** One point of a day's curve: x in hours since local midnight (0–24), y the figure then (null: none). */
export interface SeriesPoint {
  x: number;
  y: number | null;
}

/** Local midnight of the day holding t (the wall runs in the command center's time zone). */
export function startOfDay(t: number): number {
  const d = new Date(t);
  return new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
}

/** Local midnight plus h hours, by the calendar (a 23- or 25-hour day still ends at midnight). */
function hourOf(dayStart: number, h: number): number {
  const d = new Date(dayStart);
  return new Date(d.getFullYear(), d.getMonth(), d.getDate(), h).getTime();
}

export interface CumulativeWindow {
  /** Hours since midnight at the window's end (fractional for "now"). */
  x: number;
  from: number;
  to: number;
}

/**
 * The windows [midnight, midnight + h) for every whole hour of today that has passed, then [midnight, now);
 * and the 24 of yesterday. Cumulative windows make "today so far" comparable with "yesterday by this hour".
 */
export function cumulativeWindows(now: number): { today: CumulativeWindow[]; yesterday: CumulativeWindow[] } {
  const today = startOfDay(now);
  const yesterday = startOfDay(today - 1);
  const todays: CumulativeWindow[] = [];
  for (let h = 1; h <= 24 && hourOf(today, h) < now; h++)
    todays.push({ x: h, from: today, to: hourOf(today, h) });
  if (now > today) todays.push({ x: (now - today) / HOUR_MS, from: today, to: now });
  const yesterdays: CumulativeWindow[] = [];
  for (let h = 1; h <= 24; h++) yesterdays.push({ x: h, from: yesterday, to: hourOf(yesterday, h) });
  return { today: todays, yesterday: yesterdays };
}

export const KPI_TILES = [
  'open',
  'closure',
  'deadline',
  'mediation',
  'coverage',
  'reports',
  'joint',
] as const;
export type KpiTile = (typeof KPI_TILES)[number];

/** What a tile's curve plots from a cumulative report (coverage and joint patrols come from samples). */
export function curveValue(tile: KpiTile, report: KpiReport): number | null {
  switch (tile) {
    case 'open':
      return report.incidents.total;
    case 'closure':
      return report.closure.p50Ms === null ? null : report.closure.p50Ms / HOUR_MS;
    case 'deadline':
      return report.deadlineCompliance.rate;
    case 'mediation':
      return report.mediation.rate;
    case 'reports':
      return report.reportCompliance.rate;
    case 'coverage':
      return report.segmentCoverage;
    case 'joint':
      return report.jointPatrolsActive;
  }
}

/** A figure sampled at time t. */
export interface Sample {
  t: number;
  value: number;
}

/** Keeps samples of the last keepMs, one per minute at most (the newest wins), oldest first. */
export function addSample(samples: readonly Sample[], sample: Sample, keepMs = 2 * 86_400_000): Sample[] {
  const kept = samples.filter(
    (s) => s.t > sample.t - keepMs && Math.floor(s.t / 60_000) !== Math.floor(sample.t / 60_000),
  );
  return [...kept, sample].sort((a, b) => a.t - b.t);
}

/** The last sample in each hour of the day starting at dayStart, up to `until`: the curve of a "now" figure. */
export function hourlySamples(samples: readonly Sample[], dayStart: number, until: number): SeriesPoint[] {
  const points: SeriesPoint[] = [];
  for (let h = 1; h <= 24; h++) {
    const from = hourOf(dayStart, h - 1);
    if (from >= until) break;
    const to = Math.min(hourOf(dayStart, h), until);
    const inHour = samples.filter((s) => s.t >= from && s.t < to);
    const last = inHour[inHour.length - 1];
    points.push({
      x: to === until && until < hourOf(dayStart, h) ? (until - dayStart) / HOUR_MS : h,
      y: last?.value ?? null,
    });
  }
  return points;
}
