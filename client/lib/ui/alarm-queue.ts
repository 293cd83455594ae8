// The alarm takeover's queue: which alerts take the wall over (new, critical, unacknowledged), in arrival
// order, and which leave it (acknowledged here or anywhere else).
import type { Alert } from '../../../server/contract';

export function takesOver(alert: Pick<Alert, 'severity' | 'acknowledgedAt'>): boolean {
  return alert.severity === 'critical' && alert.acknowledgedAt === null;
}

/** The queue with the alert appended when it takes over and is not queued yet (a repeat is ignored). */
export function enqueueAlarm(queue: readonly Alert[], alert: Alert): readonly Alert[] {
  if (!takesOver(alert) || queue.some((queued) => queued.id === alert.id)) return queue;
  return [...queue, alert];
}

/**
 * The queue without the alerts that are now acknowledged, as `latest` knows them (the live records, fed by
 * deltas); the same array when nothing left, so a caller can skip a re-render.
 */
export function settleAlarms(
  queue: readonly Alert[],
  latest: (id: string) => Pick<Alert, 'acknowledgedAt'> | undefined,
): readonly Alert[] {
  const kept = queue.filter((alert) => (latest(alert.id)?.acknowledgedAt ?? null) === null);
  return kept.length === queue.length ? queue : kept;
}
