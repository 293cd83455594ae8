// createClosedLoop(deps): incidents, reports, alerts, photos and household posts wired together, with their
// live open sets and the changes pending for the next delta. app.ts registers its routes, ticks it and drains
// it per flush.
import type { FastifyInstance } from 'fastify';
import {
  ReportInput,
  describeIssue,
  type AlertDetail,
  type AlertRecord,
  type DomainEvent,
  type Incident,
  type ReportAck,
  type UnitState,
  type User,
} from '../contract';
import { ApiError } from '../http/errors';
import { registerAlertRoutes } from '../http/alert-routes';
import { registerIncidentRoutes } from '../http/incident-routes';
import { registerKpiRoutes } from '../http/kpi-routes';
import { registerPhotoRoutes } from '../http/photo-routes';
import { registerPostRoutes } from '../http/post-routes';
import { registerReportRoutes } from '../http/report-routes';
import type { Store } from '../store/store';
import { createAlertService, type AlertService } from './alerts';
import { createCheckinService, type CheckinService } from './checkins';
import { DEFAULT_ALERT_ESCALATION, DEFAULT_CHECKINS, DEFAULT_DEADLINES, type Deadlines } from './deadlines';
import { canSee } from './incident-access';
import { redact, type IncidentDeps } from './incident-audit';
import { isOpen } from './incident-machine';
import { createIncidentService, type IncidentService } from './incidents';
import type { KpiDeps } from './kpi';
import { createPhotoService, type PhotoService } from './photos';
import { raisePostAlarm } from './post-alarm';
import { loadPostDirectory, type PostDirectory } from './posts';
import { createReportService, type ReportService } from './reports';
import { loadRouter, type Router } from './routing';

export interface ClosedLoopDeps {
  store: Store;
  /** DATA_DIR: photos go to DATA_DIR/photos. */
  dataDir: string;
  now?: () => number;
  /** parseDeadlines(DEADLINES_JSON); the documented defaults when absent. */
  deadlines?: Deadlines;
  /** A unit's last position, to place alerts for events that carry none (e.g. an SOS without a fix). */
  locateUnit?: (unitId: string) => { lon: number; lat: number } | null | undefined;
  /** Whether a point is in the border zone: an anomaly report there is also a border intrusion. */
  inBorderZone?: (lon: number, lat: number) => boolean;
  /** The engine's segment coverage (last 24 h) and active joint patrols, for GET /api/kpis. */
  segmentCoverage?: KpiDeps['segmentCoverage'];
  jointPatrolsActive?: KpiDeps['jointPatrolsActive'];
  /** The live units: a post's alarm also goes to the nearest one. */
  units?: () => readonly UnitState[];
  /** The IANA zone of the posts' check-in schedules (TZ); default Asia/Shanghai. */
  timeZone?: string;
}

export interface ClosedLoop {
  incidents: IncidentService;
  reports: ReportService;
  alerts: AlertService;
  photos: PhotoService;
  checkins: CheckinService;
  /** A household post's alarm, fanned out to its group, the nearest unit and the grid staff. */
  raisePostAlarm(user: User, postId: string, note?: string): Promise<AlertRecord>;
  /** Adds the REST routes (incidents, reports, photos, alerts, posts, KPIs); call before listen. */
  register(http: FastifyInstance): void;
  /** Deadlines and alert escalation (every call); missed reports and check-ins (once a minute). */
  tick(now: number): Promise<void>;
  /** Turns an engine event into an alert when it raises one (sos, border.*, fence.*, segment.overdue, …). */
  onDomainEvent(event: DomainEvent): Promise<void>;
  onDomainEvents(events: readonly DomainEvent[]): Promise<void>;
  /** The socket `report` command: validates, submits and answers as an acknowledgement. */
  submitReport(user: User, message: unknown): Promise<ReportAck>;
  /** Whether a user may see an incident (for per-socket filtering of snapshots and deltas). */
  visibleTo(user: User, incident: Incident): boolean;
  /** Rebuilds routing after a layer import (grids, areas, sectors, posts, segments). */
  reloadLayers(): Promise<void>;
  /** For snapshots: open incidents (reporter redacted), unacknowledged alerts critical first. */
  openIncidents(): Incident[];
  openAlerts(): AlertDetail[];
  /** For deltas: every incident and alert changed since the last drain, each once in its latest state. */
  drain(): { incidents: Incident[]; alerts: AlertDetail[] };
}

const MISSED_REPORT_CHECK_MS = 60_000;
/** The snapshot carries at most this many unacknowledged alerts; the REST queue pages through the rest. */
const SNAPSHOT_ALERTS = 500;
const RANK = { critical: 0, warning: 1, info: 2 } as const;

/** Critical first, then newest first. */
export function byUrgency(a: AlertDetail, b: AlertDetail): number {
  return RANK[a.severity] - RANK[b.severity] || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}

/** Alerts made before recipients and escalation existed (or by code that builds AlertDetail) as records. */
function asRecord(alert: AlertDetail): AlertRecord {
  return { gridId: null, level: 0, escalatedAt: null, recipients: [], awaiting: [], ...alert };
}

function createLiveSets() {
  const open = { incidents: new Map<string, Incident>(), alerts: new Map<string, AlertRecord>() };
  const pending = { incidents: new Map<string, Incident>(), alerts: new Map<string, AlertRecord>() };
  return {
    open,
    changed: (incident: Incident): void => {
      const wire = redact(incident);
      if (isOpen(wire.status)) open.incidents.set(wire.id, wire);
      else open.incidents.delete(wire.id);
      pending.incidents.set(wire.id, wire);
    },
    alerted: (detail: AlertDetail): void => {
      const alert = asRecord(detail);
      if (alert.acknowledgedAt === null) open.alerts.set(alert.id, alert);
      else open.alerts.delete(alert.id);
      pending.alerts.set(alert.id, alert);
    },
    drain: () => {
      const out = { incidents: [...pending.incidents.values()], alerts: [...pending.alerts.values()] };
      pending.incidents.clear();
      pending.alerts.clear();
      return out;
    },
  };
}

async function loadOpenSets(store: Store, sets: ReturnType<typeof createLiveSets>): Promise<void> {
  for (const incident of await store.incidents.open()) sets.open.incidents.set(incident.id, redact(incident));
  const queue = await store.alerts.list({ acknowledged: false, limit: SNAPSHOT_ALERTS });
  for (const alert of queue.items) sets.open.alerts.set(alert.id, alert);
}

function toAckError(error: unknown): ReportAck {
  if (error instanceof ApiError) return { ok: false, error: { code: error.code, message: error.message } };
  throw error;
}

export async function createClosedLoop(deps: ClosedLoopDeps): Promise<ClosedLoop> {
  const { store } = deps;
  const now = deps.now ?? Date.now;
  const deadlines = deps.deadlines ?? DEFAULT_DEADLINES;
  let router: Router = await loadRouter(store);
  const timeZone = deps.timeZone ?? 'Asia/Shanghai';
  const loadPosts = (): Promise<PostDirectory> =>
    loadPostDirectory(
      store,
      deadlines.checkins ?? DEFAULT_CHECKINS,
      (lon, lat) => router.place({ lon, lat }).gridId,
    );
  let posts = await loadPosts();
  const sets = createLiveSets();
  await loadOpenSets(store, sets);
  const base: IncidentDeps = {
    store,
    router: () => router,
    deadlines,
    now,
    changed: sets.changed,
    alerted: sets.alerted,
  };
  const alerts = createAlertService({
    store,
    now,
    router: () => router,
    escalation: deadlines.alertEscalation ?? DEFAULT_ALERT_ESCALATION,
    alerted: sets.alerted,
    locateUnit: deps.locateUnit,
    locateSegment: (id) => router.segment(id)?.midpoint ?? null,
  });
  const incidents = createIncidentService(base);
  const reports = createReportService({ ...base, incidents, alerts, inBorderZone: deps.inBorderZone });
  const photos = createPhotoService({ store, dataDir: deps.dataDir, now });
  const postDeps = { store, posts: () => posts, router: () => router, alerts, now, timeZone };
  const checkins = createCheckinService(postDeps);
  const alarm = (user: User, postId: string, input: { note?: string | null }, key: string | null) =>
    raisePostAlarm({ ...postDeps, units: deps.units }, user, postId, input, key);
  const startedAt = now();
  const engineFigures = {
    segmentCoverage: deps.segmentCoverage,
    jointPatrolsActive: deps.jointPatrolsActive,
  };
  let lastMissedCheck = -Infinity;

  return {
    incidents,
    reports,
    alerts,
    photos,
    checkins,
    raisePostAlarm: (user, postId, note) => alarm(user, postId, { note }, null),
    register(http) {
      registerIncidentRoutes(http, incidents);
      registerReportRoutes(http, reports, store, () => router);
      registerAlertRoutes(http, alerts);
      registerPostRoutes(http, { checkins, raiseAlarm: alarm });
      registerPhotoRoutes(http, photos);
      const kpi = { store, router: () => router, deadlines, ...engineFigures };
      registerKpiRoutes(http, kpi, now);
    },
    async tick(at) {
      await incidents.tick(at);
      await alerts.tick(at);
      if (at - lastMissedCheck < MISSED_REPORT_CHECK_MS) return;
      lastMissedCheck = at;
      await reports.checkMissed(at, startedAt);
      await checkins.checkMissed(at, startedAt);
    },
    async onDomainEvent(event) {
      await alerts.fromDomainEvent(event);
    },
    async onDomainEvents(events) {
      for (const event of events) await alerts.fromDomainEvent(event);
    },
    async submitReport(user, message) {
      const parsed = ReportInput.safeParse(message);
      if (!parsed.success)
        return { ok: false, error: { code: 'invalid', message: describeIssue(parsed.error) } };
      return reports
        .submit(user, parsed.data)
        .then((answer) => ({ ok: true as const, ...answer }), toAckError);
    },
    visibleTo: (user, incident) => canSee(user, incident, router),
    async reloadLayers() {
      router = await loadRouter(store);
      posts = await loadPosts();
    },
    openIncidents: () => [...sets.open.incidents.values()],
    openAlerts: () => [...sets.open.alerts.values()].sort(byUrgency).slice(0, SNAPSHOT_ALERTS),
    drain: () => sets.drain(),
  };
}
