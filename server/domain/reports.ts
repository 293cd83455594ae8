// Road-chief reports: stored once per idempotency key; an anomaly raises an incident in the same transaction.
import type { AnomalyType, Incident, IncidentAuditEntry, ReportInput, User } from '../contract';
import { ApiError } from '../http/errors';
import { ConflictError, type ReportRecord, type Store } from '../store/store';
import type { AlertService } from './alerts';
import type { Deadlines } from './deadlines';
import { isCommand } from './incident-access';
import { actorOf, requestHash } from './incident-audit';
import { ANOMALY_CATEGORY } from './incident-machine';
import type { IncidentService } from './incidents';
import { nextId } from './incident-ids';
import { REPORT_ROLES, type Router, type SegmentInfo } from './routing';

export interface ReportDeps {
  store: Store;
  router: () => Router;
  deadlines: Deadlines;
  now: () => number;
  incidents: IncidentService;
  alerts: AlertService;
  changed: (incident: Incident) => void;
  /** Whether a point is in the border zone (an anomaly report there is an intrusion); absent = never. */
  inBorderZone?: (lon: number, lat: number) => boolean;
}

export interface ReportAnswer {
  id: string;
  incidentId: string | null;
}

export interface ReportService {
  /** Stores a report; the same idempotency key from the same user gets the same answer, stored once. */
  submit(user: User, input: ReportInput, headerKey?: string | null): Promise<ReportAnswer>;
  /** Alerts for segments whose road chief has not reported within the interval; returns how many. */
  checkMissed(now: number, since: number): Promise<number>;
}

const ANOMALY_NAMES: Record<AnomalyType, string> = {
  smuggling: '走私',
  illegal_crossing: '非法越境',
  suspicious: '可疑人员/车辆',
  damage: '道路/围栏损坏',
  other: '其他异常',
};
/** Anomalies that count as a border intrusion when reported inside the border zone (DOMAIN.md). */
const INTRUSION_TYPES: readonly AnomalyType[] = ['smuggling', 'illegal_crossing', 'suspicious'];

/** The request's idempotency key, from the body or the header (both, and different: 400). */
export function idempotencyKey(
  input: { idempotencyKey?: string | null },
  headerKey: string | null | undefined,
): string | null {
  const body = input.idempotencyKey ?? null;
  const header = headerKey ?? null;
  if (body !== null && header !== null && body !== header)
    throw new ApiError('invalid', 'idempotencyKey and the Idempotency-Key header differ');
  return body ?? header;
}

async function replay(store: Store, user: User, key: string, hash: string): Promise<ReportAnswer | null> {
  const prior = await store.reports.byIdempotencyKey(user.id, key);
  if (!prior) return null;
  if (prior.requestHash !== hash)
    throw new ApiError('conflict', `idempotency key ${key} was already used for another report`);
  return { id: prior.id, incidentId: prior.incidentId };
}

async function checkInput(deps: ReportDeps, user: User, input: ReportInput): Promise<SegmentInfo> {
  if (!isCommand(user) && user.role !== 'leader')
    throw new ApiError('forbidden', 'road-chief reports are filed by leaders');
  if (!isCommand(user) && !user.segmentIds.includes(input.segmentId))
    throw new ApiError('forbidden', `segment ${input.segmentId} is not yours`);
  const segment = deps.router().segment(input.segmentId);
  if (!segment) throw new ApiError('invalid', `segmentId: no segment ${input.segmentId}`);
  if (input.photoId && !(await deps.store.photos.byId(input.photoId)))
    throw new ApiError('invalid', `photoId: no photo ${input.photoId}; upload it to /api/photos first`);
  return segment;
}

function raiseIncident(
  deps: ReportDeps,
  user: User,
  input: ReportInput,
  segment: SegmentInfo,
  reportId: string,
): { incident: Incident; audit: IncidentAuditEntry } | null {
  if (input.status !== 'anomaly' || !input.anomalyType) return null;
  const category = ANOMALY_CATEGORY[input.anomalyType];
  const router = deps.router();
  const routed = router.route(category, router.placeReport(segment, input.lon, input.lat), REPORT_ROLES);
  const summary = `路长报告：${segment.name} ${ANOMALY_NAMES[input.anomalyType]}`;
  const draft = { category, summary, description: input.note ?? '', source: 'report' as const };
  return deps.incidents.draft({ ...draft, reporter: null, routed, reportId }, actorOf(user));
}

async function alertIntrusion(deps: ReportDeps, report: ReportRecord, segment: SegmentInfo): Promise<void> {
  if (!report.anomalyType || !INTRUSION_TYPES.includes(report.anomalyType)) return;
  if (!deps.inBorderZone?.(report.lon, report.lat)) return;
  await deps.alerts.create({
    type: 'border.intrusion',
    severity: 'critical',
    message: `${segment.name} 路长报告${ANOMALY_NAMES[report.anomalyType]}（边境区）`,
    lon: report.lon,
    lat: report.lat,
    unitId: report.unitId,
    incidentId: report.incidentId,
    data: { reportId: report.id, segmentId: report.segmentId, anomalyType: report.anomalyType },
    sourceKey: `report:${report.id}`,
  });
}

async function submit(deps: ReportDeps, user: User, input: ReportInput, headerKey?: string | null) {
  const key = idempotencyKey(input, headerKey);
  const hash = requestHash(input);
  const earlier = key ? await replay(deps.store, user, key, hash) : null;
  if (earlier) return earlier;
  const segment = await checkInput(deps, user, input);
  const t = deps.now();
  const id = nextId(t);
  const raised = raiseIncident(deps, user, input, segment, id);
  const report: ReportRecord = {
    ...{ id, segmentId: input.segmentId, status: input.status, anomalyType: input.anomalyType ?? null },
    ...{ lon: input.lon, lat: input.lat, note: input.note ?? '', photoId: input.photoId ?? null },
    ...{ userId: user.id, unitId: user.unitId, t, incidentId: raised?.incident.id ?? null },
    ...{ idempotencyKey: key, requestHash: key ? hash : null },
  };
  try {
    await deps.store.reports.create(report, raised);
  } catch (error) {
    // A concurrent retry stored first: its answer is the answer.
    const raced = key && error instanceof ConflictError ? await replay(deps.store, user, key, hash) : null;
    if (raced) return raced;
    throw error;
  }
  if (raised) deps.changed(raised.incident);
  await alertIntrusion(deps, report, segment);
  return { id, incidentId: report.incidentId };
}

async function checkMissed(deps: ReportDeps, now: number, since: number): Promise<number> {
  const last = await deps.store.reports.lastBySegment();
  let raised = 0;
  for (const segment of deps.router().segments()) {
    if (!segment.roadChief) continue;
    const interval = segment.reportIntervalMs ?? deps.deadlines.reportIntervalMs;
    const lastAt = last.get(segment.id) ?? null;
    if (now - (lastAt ?? since) <= interval) continue;
    const alert = await deps.alerts.create({
      type: 'report.missed',
      severity: 'warning',
      message: `${segment.name} 路长${segment.roadChief.name}超过 ${Math.round(interval / 3_600_000)} 小时未报告`,
      lon: segment.midpoint[0],
      lat: segment.midpoint[1],
      unitId: segment.roadChief.unitId,
      data: {
        segmentId: segment.id,
        roadChiefId: segment.roadChief.id,
        lastReportAt: lastAt,
        intervalMs: interval,
      },
      t: now,
      // Once per missed period: the key changes only when a new report arrives.
      sourceKey: `report.missed:${segment.id}:${lastAt ?? 'never'}`,
    });
    if (alert) raised++;
  }
  return raised;
}

export function createReportService(deps: ReportDeps): ReportService {
  return {
    submit: (user, input, headerKey) => submit(deps, user, input, headerKey),
    checkMissed: (now, since) => checkMissed(deps, now, since),
  };
}
