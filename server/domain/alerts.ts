// Alerts: raised from domain events (SOS, border, fences, overdue segments) and by the closed loop; acked once.
import { AlertSeverity, type AlertDetail, type DomainEvent, type User } from '../contract';
import { ApiError } from '../http/errors';
import type { AlertFilter, Store } from '../store/store';
import { isAssignedTo, isCommand } from './incident-access';
import { nextId } from './incident-ids';

export interface AlertInput {
  type: string;
  severity: AlertSeverity;
  message: string;
  lon: number | null;
  lat: number | null;
  unitId: string | null;
  incidentId?: string | null;
  data?: Record<string, unknown>;
  t?: number;
  /** One alert per source (a DomainEvent id, a missed-report period): a repeat is ignored. */
  sourceKey?: string | null;
}

export interface AlertDeps {
  store: Store;
  now: () => number;
  /** Told of every alert after it is durable. */
  alerted: (alert: AlertDetail) => void;
  /** Where to draw an alert whose event has no position: a unit's last fix, a segment's middle. */
  locateUnit?: (unitId: string) => { lon: number; lat: number } | null | undefined;
  locateSegment?: (segmentId: string) => [number, number] | null;
}

export interface AlertService {
  /** Stores and announces an alert; null when its source key already raised one. */
  create(input: AlertInput): Promise<AlertDetail | null>;
  /** The alert a domain event raises, if it raises one. */
  fromDomainEvent(event: DomainEvent): Promise<AlertDetail | null>;
  ack(user: User, id: string, note: string | null): Promise<AlertDetail>;
  list(filter: AlertFilter): Promise<{ items: AlertDetail[]; nextCursor: string | null }>;
}

const CRITICAL_EVENTS = new Set(['sos', 'border.intrusion', 'border.crossed']);
const WARNING_EVENTS = new Set(['segment.overdue', 'coverage.void', 'report.missed']);

/** The severity an event's alert gets, or null for events that raise none (joint patrols, layers, …). */
export function severityOf(event: DomainEvent): AlertSeverity | null {
  if (CRITICAL_EVENTS.has(event.type)) return 'critical';
  if (WARNING_EVENTS.has(event.type)) return 'warning';
  if (event.type.startsWith('fence.')) {
    const parsed = AlertSeverity.safeParse(event.data.severity);
    return parsed.success ? parsed.data : 'warning';
  }
  return null;
}

const num = (value: unknown): number | null =>
  typeof value === 'number' && Number.isFinite(value) ? value : null;

function eventPosition(deps: AlertDeps, event: DomainEvent): { lon: number | null; lat: number | null } {
  const lon = num(event.data.lon);
  const lat = num(event.data.lat);
  if (lon !== null && lat !== null) return { lon, lat };
  const unit = event.unitId ? deps.locateUnit?.(event.unitId) : null;
  if (unit) return { lon: unit.lon, lat: unit.lat };
  const segmentId = typeof event.data.segmentId === 'string' ? event.data.segmentId : null;
  const middle = segmentId ? deps.locateSegment?.(segmentId) : null;
  return middle ? { lon: middle[0], lat: middle[1] } : { lon: null, lat: null };
}

/** Command roles ack anything; a leader what concerns their unit or segments; staff their incidents' alerts. */
async function mayAck(store: Store, user: User, alert: AlertDetail): Promise<boolean> {
  if (isCommand(user)) return true;
  if (user.role === 'leader') {
    const segmentId = typeof alert.data.segmentId === 'string' ? alert.data.segmentId : null;
    if (alert.unitId !== null && alert.unitId === user.unitId) return true;
    if (segmentId !== null && user.segmentIds.includes(segmentId)) return true;
  }
  const incident = alert.incidentId ? await store.incidents.byId(alert.incidentId) : null;
  return incident !== null && isAssignedTo(incident, user);
}

async function ack(deps: AlertDeps, user: User, id: string, note: string | null): Promise<AlertDetail> {
  const alert = await deps.store.alerts.byId(id);
  if (!alert) throw new ApiError('not_found', `no alert ${id}`);
  if (!(await mayAck(deps.store, user, alert)))
    throw new ApiError('forbidden', 'this alert is not addressed to you');
  const t = deps.now();
  if (!(await deps.store.alerts.ack(id, { id: user.id, name: user.username }, t, note))) {
    const by = (await deps.store.alerts.byId(id)) ?? alert;
    const when = by.acknowledgedAt === null ? '' : ` at ${new Date(by.acknowledgedAt).toISOString()}`;
    throw new ApiError(
      'conflict',
      `alert ${id} was already acknowledged by ${by.acknowledgedByName ?? '?'}${when}`,
    );
  }
  const acked = (await deps.store.alerts.byId(id)) ?? alert;
  deps.alerted(acked);
  return acked;
}

export function createAlertService(deps: AlertDeps): AlertService {
  const create = async (input: AlertInput): Promise<AlertDetail | null> => {
    const t = input.t ?? deps.now();
    const alert: AlertDetail = {
      id: nextId(t),
      type: input.type,
      severity: input.severity,
      message: input.message,
      lon: input.lon,
      lat: input.lat,
      unitId: input.unitId,
      t,
      acknowledgedBy: null,
      acknowledgedAt: null,
      incidentId: input.incidentId ?? null,
      data: input.data ?? {},
      acknowledgedByName: null,
      ackNote: null,
    };
    if (!(await deps.store.alerts.create(alert, input.sourceKey ?? null))) return null;
    deps.alerted(alert);
    return alert;
  };
  return {
    create,
    async fromDomainEvent(event) {
      const severity = severityOf(event);
      if (!severity) return null;
      const { lon, lat } = eventPosition(deps, event);
      const data = { ...event.data, eventId: event.id };
      const input = { type: event.type, severity, message: event.message, lon, lat, unitId: event.unitId };
      return create({ ...input, data, t: event.t, sourceKey: `event:${event.id}` });
    },
    ack: (user, id, note) => ack(deps, user, id, note),
    list: (filter) => deps.store.alerts.list(filter),
  };
}
