// The unacknowledged alarm queue's order: critical first, then warning, then info; newest first within each.
import type { Alert, AlertSeverity } from '../../../server/contract';

const RANK: Record<AlertSeverity, number> = { critical: 0, warning: 1, info: 2 };

export function isOpenAlarm(alert: Pick<Alert, 'acknowledgedAt'>): boolean {
  return alert.acknowledgedAt === null;
}

/** The open alarms in queue order (a new array; the input is not touched). */
export function alarmQueue<T extends Pick<Alert, 'severity' | 't' | 'acknowledgedAt' | 'id'>>(
  alerts: readonly T[],
): T[] {
  return alerts
    .filter(isOpenAlarm)
    .sort((a, b) => RANK[a.severity] - RANK[b.severity] || b.t - a.t || (a.id < b.id ? 1 : -1));
}

/** Counts of open alarms by severity, for the queue's header. */
export function alarmCounts(alerts: readonly Pick<Alert, 'severity' | 'acknowledgedAt'>[]) {
  const counts: Record<AlertSeverity, number> = { critical: 0, warning: 0, info: 0 };
  for (const alert of alerts) if (isOpenAlarm(alert)) counts[alert.severity]++;
  return counts;
}
