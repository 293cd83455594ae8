// Alerts: raised from domain events (SOS, border, fences, overdue segments) and by the closed loop; acked once;
// an SOS cancelled by its sender closes its alert. Escalation and per-recipient acks are in alert-*.ts.
import {
  AlertSeverity,
  type AlertDetail,
  type AlertFull,
  type AlertRecipient,
  type AlertRecord,
  type DomainEvent,
  type User,
} from '../contract';
import { ApiError } from '../http/errors';
import type { AlertFilter, Store } from '../store/store';
import { escalateByHand, escalateDue } from './alert-escalation';
import { ackRecipient } from './alert-recipients';
import type { AlertEscalation } from './deadlines';
import { alertScopeOf, canSeeAlert, isAssignedTo, isCommand } from './incident-access';
import { SYSTEM } from './incident-audit';
import { nextId } from './incident-ids';
import type { Router } from './routing';

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
  /** The grid it lies in; by default located from lon/lat. */
  gridId?: string | null;
  /** Who it is addressed to, each acknowledging on their own (a post's alarm). */
  recipients?: { type: AlertRecipient['type']; id: string; name: string }[];
}

export interface AlertDeps {
  store: Store;
  now: () => number;
  /** The current router: alert scopes, and the grid an alert lies in. */
  router: () => Router;
  /** When unacknowledged alerts escalate by themselves. */
  escalation: AlertEscalation;
  /** Told of every alert after it is durable. */
  alerted: (alert: AlertDetail) => void;
  /** Where to draw an alert whose event has no position: a unit's last fix, a segment's middle. */
  locateUnit?: (unitId: string) => { lon: number; lat: number } | null | undefined;
  locateSegment?: (segmentId: string) => [number, number] | null;
}

export interface AlertService {
  /** Stores and announces an alert; null when its source key already raised one. */
  create(input: AlertInput): Promise<AlertRecord | null>;
  /** The alert a domain event raises, if it raises one; `sos.cancelled` closes the sender's open SOS. */
  fromDomainEvent(event: DomainEvent): Promise<AlertDetail | null>;
  ack(user: User, id: string, note: string | null): Promise<AlertRecord>;
  /** The alerts the user may see (alertScopeOf), critical first, then newest. */
  list(
    user: User,
    filter: Omit<AlertFilter, 'scope'>,
  ): Promise<{ items: AlertRecord[]; nextCursor: string | null }>;
  /** One alert with its log; 404 when absent or outside the user's scope. */
  get(user: User, id: string): Promise<AlertFull>;
  /** One level (and severity step) up by hand. */
  escalate(user: User, id: string, note: string | null): Promise<AlertRecord>;
  /** A recipient acknowledges: itself (a leader for their unit, staff for themselves) or an operator for it. */
  ackRecipient(
    user: User,
    id: string,
    recipient: { type: AlertRecipient['type']; id: string },
    note: string | null,
  ): Promise<AlertRecord>;
  /** Escalates the unacknowledged alerts whose time ran out; returns how many. */
  tick(now: number): Promise<number>;
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
export async function mayAck(store: Store, user: User, alert: AlertDetail): Promise<boolean> {
  if (isCommand(user)) return true;
  if (user.role === 'leader') {
    const segmentId = typeof alert.data.segmentId === 'string' ? alert.data.segmentId : null;
    if (alert.unitId !== null && alert.unitId === user.unitId) return true;
    if (segmentId !== null && user.segmentIds.includes(segmentId)) return true;
  }
  const incident = alert.incidentId ? await store.incidents.byId(alert.incidentId) : null;
  return incident !== null && isAssignedTo(incident, user);
}

async function ack(deps: AlertDeps, user: User, id: string, note: string | null): Promise<AlertRecord> {
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

/** A domain event's SOS was withdrawn by its sender: its open SOS alerts are acknowledged by the system. */
async function cancelSos(deps: AlertDeps, event: DomainEvent): Promise<void> {
  const deviceId = typeof event.data.deviceId === 'string' ? event.data.deviceId : null;
  const open = await deps.store.alerts.openOfType('sos', { unitId: event.unitId, deviceId });
  const note = `SOS 已由发送方取消：${event.message}`;
  for (const alert of open) {
    if (!(await deps.store.alerts.ack(alert.id, SYSTEM, event.t, note, 'cancelled'))) continue;
    const closed = await deps.store.alerts.byId(alert.id);
    if (closed) deps.alerted(closed);
  }
}

export async function visibleAlert(deps: AlertDeps, user: User, id: string): Promise<AlertRecord> {
  const alert = await deps.store.alerts.byId(id);
  const incident = alert?.incidentId ? await deps.store.incidents.byId(alert.incidentId) : null;
  if (!alert || !canSeeAlert(user, alert, deps.router(), incident))
    throw new ApiError('not_found', `no alert ${id}`);
  return alert;
}

export function createAlertService(deps: AlertDeps): AlertService {
  const create = async (input: AlertInput): Promise<AlertRecord | null> => {
    const t = input.t ?? deps.now();
    const located =
      input.lon !== null && input.lat !== null
        ? deps.router().place({ lon: input.lon, lat: input.lat }).gridId
        : null;
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
    const gridId = input.gridId === undefined ? located : input.gridId;
    const recipients: AlertRecipient[] = (input.recipients ?? []).map((r) => ({
      ...r,
      notifiedAt: t,
      acknowledgedAt: null,
      acknowledgedBy: null,
      acknowledgedByName: null,
      onBehalf: false,
      note: null,
    }));
    if (!(await deps.store.alerts.create({ ...alert, gridId }, input.sourceKey ?? null, recipients)))
      return null;
    const record: AlertRecord = {
      ...alert,
      gridId,
      level: 0,
      escalatedAt: null,
      recipients,
      awaiting: recipients.map(({ type, id, name }) => ({ type, id, name })),
    };
    deps.alerted(record);
    return record;
  };
  return {
    create,
    async fromDomainEvent(event) {
      if (event.type === 'sos.cancelled') {
        await cancelSos(deps, event);
        return null;
      }
      const severity = severityOf(event);
      if (!severity) return null;
      const { lon, lat } = eventPosition(deps, event);
      const data = { ...event.data, eventId: event.id };
      const input = { type: event.type, severity, message: event.message, lon, lat, unitId: event.unitId };
      return create({ ...input, data, t: event.t, sourceKey: `event:${event.id}` });
    },
    ack: (user, id, note) => ack(deps, user, id, note),
    list: (user, filter) => deps.store.alerts.list({ ...filter, scope: alertScopeOf(user, deps.router()) }),
    async get(user, id) {
      const alert = await visibleAlert(deps, user, id);
      return { ...alert, log: await deps.store.alerts.log(id) };
    },
    escalate: (user, id, note) => escalateByHand(deps, user, id, note),
    ackRecipient: (user, id, recipient, note) => ackRecipient(deps, user, id, recipient, note),
    tick: (now) => escalateDue(deps, now),
  };
}
