// Deadlines in the engine tick: an open incident past its deadline gets a 督办 alert and goes one level up.
import type { AlertDetail, Incident } from '../contract';
import { stageDurationMs } from './deadlines';
import { SYSTEM, auditEntry, nextUpdatedAt, type IncidentDeps } from './incident-audit';
import { nextId } from './incident-ids';
import { LEVEL_NAMES, nextLevel } from './incident-machine';

/** At most this many a tick, so a backlog after downtime does not stall the flush loop. */
const BATCH = 100;

function supervisionAlert(incident: Incident, next: Incident, t: number): AlertDetail {
  const level = LEVEL_NAMES[next.level];
  const where = next.level === incident.level ? `仍在${level}级` : `已升级至${level}级`;
  return {
    id: nextId(t),
    type: 'incident.overdue',
    severity: 'warning',
    message: `督办：事件「${incident.summary}」${incident.status} 阶段超时，${where}`,
    lon: incident.lon,
    lat: incident.lat,
    unitId: incident.assignee?.type === 'unit' ? incident.assignee.id : null,
    t,
    acknowledgedBy: null,
    acknowledgedAt: null,
    incidentId: incident.id,
    data: {
      incidentId: incident.id,
      status: incident.status,
      deadlineAt: incident.deadlineAt,
      fromLevel: incident.level,
      toLevel: next.level,
    },
    acknowledgedByName: null,
    ackNote: null,
  };
}

/**
 * Once per deadline: the incident goes one level up with a fresh deadline for the same stage, so the
 * next level gets the stage's full time; at the city level there is no higher one, so after the alert
 * the stage runs without a deadline until its status changes.
 */
function overdueChange(deps: IncidentDeps, incident: Incident, t: number) {
  const up = nextLevel(incident.level);
  const duration = stageDurationMs(deps.deadlines, incident.category, incident.status);
  const next: Incident = {
    ...incident,
    level: up ?? incident.level,
    deadlineAt: up && duration !== null ? t + duration : null,
    updatedAt: nextUpdatedAt(incident, t),
  };
  const note = `超时督办: ${incident.status} deadline ${new Date(incident.deadlineAt ?? t).toISOString()} passed`;
  const audit = up
    ? auditEntry(incident, SYSTEM, t, 'escalated', { fromLevel: incident.level, toLevel: up }, note)
    : auditEntry(incident, SYSTEM, t, 'overdue', {}, `${note}; already at the top level`);
  return { next, audit, alert: supervisionAlert(incident, next, t) };
}

export async function escalateOverdue(deps: IncidentDeps, now: number): Promise<number> {
  let handled = 0;
  for (const incident of await deps.store.incidents.overdue(now, BATCH)) {
    const { next, audit, alert } = overdueChange(deps, incident, now);
    // Alert, escalation and audit entry commit together; a concurrent change wins and the next tick retries.
    if (!(await deps.store.incidents.update(next, incident.updatedAt, [audit], [alert]))) continue;
    deps.changed(next);
    deps.alerted(alert);
    handled++;
  }
  return handled;
}
