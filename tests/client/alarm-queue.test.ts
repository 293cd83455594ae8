// The alarm takeover's queue: only new critical unacknowledged alerts, once each, in order; acknowledged ones leave.
import { describe, expect, it } from 'vitest';
import { enqueueAlarm, settleAlarms, takesOver } from '../../client/lib/ui/alarm-queue';
import type { Alert } from '../../server/contract';

const alert = (id: string, patch: Partial<Alert> = {}): Alert => ({
  id,
  type: 'sos',
  severity: 'critical',
  message: `SOS ${id}`,
  lon: 106.75,
  lat: 22.1,
  unitId: 'px-rc-01',
  t: 1_767_225_600_000,
  acknowledgedBy: null,
  acknowledgedAt: null,
  ...patch,
});

describe('takesOver', () => {
  it('takes the wall over for critical unacknowledged alerts only', () => {
    expect(takesOver(alert('a'))).toBe(true);
    expect(takesOver(alert('a', { severity: 'warning' }))).toBe(false);
    expect(takesOver(alert('a', { acknowledgedAt: 1 }))).toBe(false);
  });
});

describe('enqueueAlarm', () => {
  it('queues in arrival order, ignores repeats and alerts that do not take over', () => {
    let queue: readonly Alert[] = [];
    queue = enqueueAlarm(queue, alert('a'));
    queue = enqueueAlarm(queue, alert('b'));
    queue = enqueueAlarm(queue, alert('a'));
    queue = enqueueAlarm(queue, alert('c', { severity: 'info' }));
    expect(queue.map((a) => a.id)).toEqual(['a', 'b']);
  });
});

describe('settleAlarms', () => {
  it('drops alerts acknowledged elsewhere and keeps the same array when nothing changed', () => {
    const queue = [alert('a'), alert('b'), alert('c')];
    const latest = new Map([['b', alert('b', { acknowledgedAt: 2, acknowledgedBy: 'u2' })]]);
    expect(settleAlarms(queue, (id) => latest.get(id)).map((a) => a.id)).toEqual(['a', 'c']);
    expect(settleAlarms(queue, () => undefined)).toBe(queue);
  });
});
