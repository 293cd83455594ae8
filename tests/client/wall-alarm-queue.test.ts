// The alarm queue's order: unacknowledged only, critical before warning before info, newest first within.
import { describe, expect, it } from 'vitest';
import type { Alert, AlertSeverity } from '../../server/contract';
import { alarmCounts, alarmQueue } from '../../client/lib/state/alarm-queue';

const alert = (
  id: string,
  severity: AlertSeverity,
  t: number,
  acknowledgedAt: number | null = null,
): Alert => ({
  id,
  type: 'sos',
  severity,
  message: id,
  lon: null,
  lat: null,
  unitId: null,
  t,
  acknowledgedBy: acknowledgedAt === null ? null : 'op',
  acknowledgedAt,
});

describe('alarm queue', () => {
  const alerts = [
    alert('w-old', 'warning', 100),
    alert('c-old', 'critical', 50),
    alert('i-new', 'info', 900),
    alert('c-new', 'critical', 300),
    alert('c-acked', 'critical', 999, 1000),
    alert('w-new', 'warning', 500),
  ];

  it('puts critical first, then warning, then info, newest first in each; acknowledged ones leave', () => {
    expect(alarmQueue(alerts).map((a) => a.id)).toEqual(['c-new', 'c-old', 'w-new', 'w-old', 'i-new']);
  });

  it('does not reorder its input', () => {
    const copy = [...alerts];
    alarmQueue(alerts);
    expect(alerts).toEqual(copy);
  });

  it('breaks ties in time by id, so the order is stable across renders', () => {
    const tied = [alert('a', 'critical', 5), alert('b', 'critical', 5)];
    expect(alarmQueue(tied).map((a) => a.id)).toEqual(alarmQueue([...tied].reverse()).map((a) => a.id));
  });

  it('counts open alarms by severity', () => {
    expect(alarmCounts(alerts)).toEqual({ critical: 2, warning: 2, info: 1 });
  });
});
