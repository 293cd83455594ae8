// Alert escalation: an alert nobody acknowledged goes one level up, and one severity step, after its
// severity's time (by itself on the engine tick) or at once by hand; each step is in the alert's log.
import type { AlertLogEntry, AlertRecord, AlertSeverity, User } from '../contract';
import { ApiError } from '../http/errors';
import { mayAck, visibleAlert, type AlertDeps } from './alerts';
import { SYSTEM, actorOf, type Actor } from './incident-audit';
import { nextId } from './incident-ids';

/** At most this many a tick, so a backlog after downtime does not stall the flush loop. */
const BATCH = 100;

/** info → warning → critical; critical stays critical (its level still rises). */
export function raisedSeverity(severity: AlertSeverity): AlertSeverity {
  return severity === 'info' ? 'warning' : 'critical';
}

/** Escalates unless someone acknowledged or escalated it first; the changed alert, or null. */
async function escalateOnce(
  deps: AlertDeps,
  alert: AlertRecord,
  actor: Actor,
  t: number,
  note: string,
): Promise<AlertRecord | null> {
  const entry: AlertLogEntry = {
    id: nextId(t),
    alertId: alert.id,
    t,
    actorId: actor.id,
    actorName: actor.name,
    action: 'escalated',
    fromSeverity: alert.severity,
    toSeverity: raisedSeverity(alert.severity),
    level: alert.level + 1,
    recipient: null,
    note,
  };
  if (!(await deps.store.alerts.escalate(alert.id, alert.level, entry))) return null;
  const next = await deps.store.alerts.byId(alert.id);
  if (next) deps.alerted(next);
  return next;
}

export async function escalateByHand(
  deps: AlertDeps,
  user: User,
  id: string,
  note: string | null,
): Promise<AlertRecord> {
  const alert = await visibleAlert(deps, user, id);
  if (!(await mayAck(deps.store, user, alert)))
    throw new ApiError('forbidden', 'only the command center or those it concerns may escalate this alert');
  if (alert.acknowledgedAt !== null)
    throw new ApiError('conflict', `alert ${id} is acknowledged: there is nothing to escalate`);
  if (alert.level >= deps.escalation.maxLevel)
    throw new ApiError('conflict', `alert ${id} is at the top level (${deps.escalation.maxLevel})`);
  const next = await escalateOnce(deps, alert, actorOf(user), deps.now(), note ?? '');
  if (!next) throw new ApiError('conflict', `alert ${id} changed meanwhile: reload it and retry`);
  return next;
}

export async function escalateDue(deps: AlertDeps, now: number): Promise<number> {
  const { afterMs, maxLevel } = deps.escalation;
  let escalated = 0;
  for (const alert of await deps.store.alerts.dueForEscalation(now, afterMs, maxLevel, BATCH)) {
    const waited = Math.round((now - (alert.escalatedAt ?? alert.t)) / 60_000);
    const note = `${waited} 分钟无人确认，自动升级`;
    if (await escalateOnce(deps, alert, SYSTEM, now, note)) escalated++;
  }
  return escalated;
}
