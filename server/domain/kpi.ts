// KPIs for a grid, an area or a segment over [from, to): incidents, incidence, closure, deadlines, mediation,
// road-chief report compliance; segment coverage and joint patrols come from the engine when wired.
import { INCIDENT_CATEGORIES, type IncidentCategory } from '../contract';
import { ApiError } from '../http/errors';
import type { IncidentFacts, Store } from '../store/store';
import type { Deadlines } from './deadlines';
import type { Router, SegmentInfo } from './routing';

export const KPI_SCOPES = ['all', 'grid', 'district', 'segment'] as const;
export type KpiScope = (typeof KPI_SCOPES)[number];

export interface KpiQuery {
  scope: KpiScope;
  id: string | null;
  from: number;
  to: number;
}

export interface KpiDeps {
  store: Store;
  router: () => Router;
  deadlines: Deadlines;
  /** The engine's coverage of the last 24 h per segment (absent: segmentCoverage is null). */
  segmentCoverage?: () => { segmentId: string; coveredMeters: number; lengthMeters: number }[];
  /** Joint patrols active now (absent: null). */
  jointPatrolsActive?: () => number;
}

const ratio = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null);

/** Nearest-rank percentile of sorted values (p in 0–100); null for none. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? null;
}

interface Resolved {
  gridIds: string[] | null;
  segments: SegmentInfo[];
  population: { residents: number | null; households: number | null };
}

function sumPopulation(router: Router, gridIds: readonly string[]) {
  const sum = (key: 'residents' | 'households'): number | null => {
    const values = gridIds.map((id) => router.population(id)?.[key] ?? null);
    return values.some((v) => v === null) ? null : values.reduce<number>((a, v) => a + (v ?? 0), 0);
  };
  return { residents: sum('residents'), households: sum('households') };
}

/** The grids, segments and population of the scope; 404 for an unknown id. */
function resolveScope(router: Router, query: KpiQuery): Resolved {
  const { scope, id } = query;
  if (scope === 'all')
    return { gridIds: null, segments: router.segments(), population: { residents: null, households: null } };
  if (!id) throw new ApiError('invalid', `id is required with scope=${scope}`);
  if (scope === 'segment') {
    const segment = router.segment(id);
    if (!segment) throw new ApiError('not_found', `no segment ${id}`);
    return { gridIds: null, segments: [segment], population: { residents: null, households: null } };
  }
  const gridIds = router.gridsUnder(id);
  if (gridIds.length === 0 || (scope === 'grid') !== gridIds.includes(id))
    throw new ApiError('not_found', `no ${scope === 'grid' ? 'grid' : 'area'} ${id}`);
  const own = router.population(id);
  const population = own?.residents != null && own.households != null ? own : sumPopulation(router, gridIds);
  return { gridIds, segments: router.segmentsIn(gridIds), population };
}

function incidentFigures(facts: IncidentFacts[], population: Resolved['population']) {
  const byCategory = Object.fromEntries(INCIDENT_CATEGORIES.map((c) => [c, 0])) as Record<
    IncidentCategory,
    number
  >;
  for (const { incident } of facts) byCategory[incident.category]++;
  const counted = facts.filter((f) => f.incident.status !== 'rejected').length;
  const closure = facts
    .flatMap((f) => (f.closedAt === null ? [] : [f.closedAt - f.incident.createdAt]))
    .sort((a, b) => a - b);
  const mediated = facts.flatMap((f) => (f.incident.mediation ? [f.incident.mediation] : []));
  const onTime = facts.filter((f) => !f.overdue).length;
  const satisfaction = facts.flatMap((f) => (f.incident.feedback ? [f.incident.feedback.satisfaction] : []));
  return {
    incidents: { total: facts.length, byCategory },
    incidence: {
      counted,
      ...population,
      per10kResidents: population.residents ? (counted * 10_000) / population.residents : null,
      per100Households: population.households ? (counted * 100) / population.households : null,
    },
    closure: { closed: closure.length, p50Ms: percentile(closure, 50), p90Ms: percentile(closure, 90) },
    deadlineCompliance: { incidents: facts.length, onTime, rate: ratio(onTime, facts.length) },
    mediation: {
      mediated: mediated.length,
      settled: mediated.filter((m) => m.settled).length,
      rate: ratio(mediated.filter((m) => m.settled).length, mediated.length),
    },
    satisfaction: {
      answers: satisfaction.length,
      mean: ratio(
        satisfaction.reduce((a, v) => a + v, 0),
        satisfaction.length,
      ),
    },
  };
}

/** Per segment with a road chief: how many report intervals of [from, to) had at least one report. */
async function reportCompliance(deps: KpiDeps, segments: SegmentInfo[], from: number, to: number) {
  let expected = 0;
  let met = 0;
  for (const segment of segments.filter((s) => s.roadChief)) {
    const interval = segment.reportIntervalMs ?? deps.deadlines.reportIntervalMs;
    const periods = Math.ceil((to - from) / interval);
    const rows = await deps.store.reports.list({ segmentId: segment.id, since: from, limit: 1_000_000 });
    const hit = new Set(rows.filter((r) => r.t < to).map((r) => Math.floor((r.t - from) / interval)));
    expected += periods;
    met += hit.size;
  }
  return { expected, met, rate: ratio(met, expected) };
}

function coverageOf(deps: KpiDeps, segments: SegmentInfo[]): number | null {
  if (!deps.segmentCoverage) return null;
  const wanted = new Set(segments.map((s) => s.id));
  const rows = deps.segmentCoverage().filter((row) => wanted.has(row.segmentId));
  const length = rows.reduce((a, r) => a + r.lengthMeters, 0);
  return ratio(
    rows.reduce((a, r) => a + r.coveredMeters, 0),
    length,
  );
}

export async function computeKpis(deps: KpiDeps, query: KpiQuery) {
  if (!(query.from < query.to)) throw new ApiError('invalid', 'from must be before to');
  const router = deps.router();
  const scope = resolveScope(router, query);
  const segmentIds = query.scope === 'segment' ? scope.segments.map((s) => s.id) : null;
  const facts = await deps.store.incidents.facts({
    from: query.from,
    to: query.to,
    gridIds: scope.gridIds,
    segmentIds,
  });
  return {
    ...query,
    ...incidentFigures(facts, scope.population),
    reportCompliance: await reportCompliance(deps, scope.segments, query.from, query.to),
    segmentCoverage: coverageOf(deps, scope.segments),
    jointPatrolsActive: deps.jointPatrolsActive?.() ?? null,
  };
}
export type Kpis = Awaited<ReturnType<typeof computeKpis>>;
