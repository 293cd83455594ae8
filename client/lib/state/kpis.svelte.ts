// KPI tiles' data: /api/kpis for today so far and yesterday by this hour, cumulative curves by hour for both
// days, and samples of the figures the server only knows "now" (coverage, joint patrols) kept in
// localStorage so a wall that ran yesterday can draw yesterday's curve too.
import { apiGet } from '../net/api';
import {
  KPI_TILES,
  addSample,
  cumulativeWindows,
  curveValue,
  hourlySamples,
  startOfDay,
  type KpiReport,
  type KpiTile,
  type Sample,
  type SeriesPoint,
} from './kpi-series';

export interface KpiScope {
  scope: 'all' | 'district';
  id: string | null;
}

export type Curves = Record<KpiTile, { today: SeriesPoint[]; yesterday: SeriesPoint[] }>;

const SAMPLED: readonly KpiTile[] = ['coverage', 'joint'];
const NOW_EVERY_MS = 60_000;
const TODAY_EVERY_MS = 10 * 60_000;
const YESTERDAY_EVERY_MS = 30 * 60_000;
/** Requests in flight at once: 48 hourly windows must not crowd out the operator's own actions. */
const CONCURRENCY = 3;
const NUDGE_DELAY_MS = 3_000;
const SAMPLES_KEY = 'lianfang.kpiSamples';

const scopeKey = (scope: KpiScope): string => `${scope.scope}:${scope.id ?? ''}`;

function query(scope: KpiScope, from: number, to: number): string {
  const id = scope.id ? `&id=${encodeURIComponent(scope.id)}` : '';
  return `/api/kpis?scope=${scope.scope}${id}&from=${Math.floor(from)}&to=${Math.ceil(to)}`;
}

async function inBatches<T, R>(items: readonly T[], run: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const at = next++;
      results[at] = await run(items[at]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, items.length) }, worker));
  return results;
}

function readSamples(): Record<string, Sample[]> {
  try {
    return JSON.parse(localStorage.getItem(SAMPLES_KEY) ?? '{}') as Record<string, Sample[]>;
  } catch {
    return {};
  }
}

/** What one scope has loaded: kept while the wall switches region, so a kiosk rotation does not refetch. */
interface ScopeCache {
  today: KpiReport | null;
  yesterday: KpiReport | null;
  todayCurve: { x: number; report: KpiReport }[];
  yesterdayCurve: { x: number; report: KpiReport }[];
  fetchedToday: number;
  fetchedYesterday: number;
  curves: Curves | null;
}

const emptyCache = (): ScopeCache => ({
  today: null,
  yesterday: null,
  todayCurve: [],
  yesterdayCurve: [],
  fetchedToday: 0,
  fetchedYesterday: 0,
  curves: null,
});

class KpiBoard {
  /** Today from midnight to now; null until loaded. */
  today = $state.raw<KpiReport | null>(null);
  /** Yesterday from midnight to the same time of day. */
  yesterday = $state.raw<KpiReport | null>(null);
  curves = $state.raw<Curves | null>(null);
  error = $state.raw<string | null>(null);
  #scope: KpiScope | null = null;
  #cache = new Map<string, ScopeCache>();
  #timer: ReturnType<typeof setInterval> | null = null;
  #busy = false;
  #nudge: ReturnType<typeof setTimeout> | null = null;

  /** Starts (or switches) the board to a scope; the returned function stops it. */
  watch(scope: KpiScope): () => void {
    this.#scope = scope;
    this.#publish(this.#entry(scopeKey(scope)));
    if (this.#timer) clearInterval(this.#timer);
    void this.refresh();
    this.#timer = setInterval(() => void this.refresh(), NOW_EVERY_MS);
    return () => {
      if (this.#timer) clearInterval(this.#timer);
      this.#timer = null;
    };
  }

  /** Something changed (an incident filed or moved): refresh the figures shortly, once for a burst. */
  nudge(): void {
    if (this.#nudge || !this.#timer) return;
    this.#nudge = setTimeout(() => {
      this.#nudge = null;
      void this.refresh();
    }, NUDGE_DELAY_MS);
  }

  #entry(key: string): ScopeCache {
    let entry = this.#cache.get(key);
    if (!entry) this.#cache.set(key, (entry = emptyCache()));
    return entry;
  }

  #publish(entry: ScopeCache): void {
    this.today = entry.today;
    this.yesterday = entry.yesterday;
    this.curves = entry.curves;
  }

  #isCurrent(key: string): boolean {
    return this.#scope !== null && scopeKey(this.#scope) === key;
  }

  async refresh(now = Date.now()): Promise<void> {
    const scope = this.#scope;
    if (!scope || this.#busy) return;
    this.#busy = true;
    const key = scopeKey(scope);
    const entry = this.#entry(key);
    const get = (from: number, to: number): Promise<KpiReport> => apiGet<KpiReport>(query(scope, from, to));
    try {
      const dayStart = startOfDay(now);
      const yesterdayStart = startOfDay(dayStart - 1);
      // A window must not be empty (the server refuses from = to), even a second after midnight.
      const elapsed = Math.max(now - dayStart, 1000);
      [entry.today, entry.yesterday] = await Promise.all([
        get(dayStart, dayStart + elapsed),
        get(yesterdayStart, yesterdayStart + elapsed),
      ]);
      this.#sample(key, entry.today, now);
      if (this.#isCurrent(key)) this.#publish(entry);
      const windows = cumulativeWindows(now);
      if (now - entry.fetchedYesterday >= YESTERDAY_EVERY_MS) {
        const reports = await inBatches(windows.yesterday, (w) => get(w.from, w.to));
        entry.yesterdayCurve = windows.yesterday.map((w, i) => ({ x: w.x, report: reports[i]! }));
        entry.fetchedYesterday = now;
      }
      if (now - entry.fetchedToday >= TODAY_EVERY_MS) {
        const whole = windows.today.slice(0, -1);
        const reports = await inBatches(whole, (w) => get(w.from, w.to));
        entry.todayCurve = whole.map((w, i) => ({ x: w.x, report: reports[i]! }));
        entry.fetchedToday = now;
      }
      const last = windows.today[windows.today.length - 1];
      const todayCurve = entry.todayCurve.filter((p) => p.x < (last?.x ?? 0));
      if (last) todayCurve.push({ x: last.x, report: entry.today });
      entry.curves = this.#buildCurves(key, todayCurve, entry.yesterdayCurve, now);
      if (this.#isCurrent(key)) this.#publish(entry);
      this.error = null;
    } catch (error) {
      this.error = error instanceof Error ? error.message : String(error);
    } finally {
      this.#busy = false;
      // The region switched while this ran: load the new scope now rather than at the next tick.
      if (!this.#isCurrent(key)) void this.refresh();
    }
  }

  #sample(key: string, today: KpiReport, now: number): void {
    const all = readSamples();
    for (const tile of SAMPLED) {
      const value = curveValue(tile, today);
      if (value === null) continue;
      all[`${key}:${tile}`] = addSample(all[`${key}:${tile}`] ?? [], { t: now, value });
    }
    try {
      localStorage.setItem(SAMPLES_KEY, JSON.stringify(all));
    } catch {
      // A full store only costs tomorrow's "yesterday" curve.
    }
  }

  #buildCurves(
    key: string,
    todayCurve: { x: number; report: KpiReport }[],
    yesterdayCurve: { x: number; report: KpiReport }[],
    now: number,
  ): Curves {
    const dayStart = startOfDay(now);
    const yesterdayStart = startOfDay(dayStart - 1);
    const samples = readSamples();
    const curve = (tile: KpiTile, points: { x: number; report: KpiReport }[]): SeriesPoint[] =>
      points.map((p) => ({ x: p.x, y: curveValue(tile, p.report) }));
    const entries = KPI_TILES.map((tile) => {
      if (!SAMPLED.includes(tile)) {
        return [tile, { today: curve(tile, todayCurve), yesterday: curve(tile, yesterdayCurve) }];
      }
      const own = samples[`${key}:${tile}`] ?? [];
      return [
        tile,
        { today: hourlySamples(own, dayStart, now), yesterday: hourlySamples(own, yesterdayStart, dayStart) },
      ];
    });
    return Object.fromEntries(entries) as Curves;
  }
}

export const kpis = new KpiBoard();
