// Turns drained live-state changes into numbered `delta` batches once per flush, and keeps a short log of
// them so a reconnecting client can resync from its last seq instead of taking a whole snapshot.
import type { AlertDetail, Delta, Incident, Snapshot } from '../contract';
import type { JointPatrolChanges } from '../engine/joint-patrols';
import type { Changes } from '../engine/live-state';

const LOG_SIZE = 600;

export interface Broadcaster {
  readonly epoch: string;
  seq(): number;
  /** Numbers the changes as the next delta and logs it; null when nothing changed. */
  publish(
    changes: Changes,
    jointPatrols?: JointPatrolChanges,
    closedLoop?: { incidents: Incident[]; alerts: AlertDetail[] },
  ): Delta | null;
  /** The deltas after sinceSeq, or null when they are no longer in the log (or the epoch differs). */
  since(epoch: string, sinceSeq: number): Delta[] | null;
  snapshot(parts: Omit<Snapshot, 'epoch' | 'seq'>): Snapshot;
}

export function createBroadcaster(epoch: string): Broadcaster {
  let seq = 0;
  const log: Delta[] = [];
  return {
    epoch,
    seq: () => seq,
    publish(changes, jointPatrols = { upsert: [], remove: [] }, closedLoop = { incidents: [], alerts: [] }) {
      const size =
        closedLoop.incidents.length +
        closedLoop.alerts.length +
        changes.upsert.length +
        changes.remove.length +
        changes.events.length +
        jointPatrols.upsert.length +
        jointPatrols.remove.length;
      if (size === 0) return null;
      seq++;
      const delta: Delta = {
        epoch,
        seq,
        units: { upsert: changes.upsert, remove: changes.remove },
        incidents: closedLoop.incidents,
        alerts: closedLoop.alerts,
        events: changes.events,
        jointPatrols,
      };
      log.push(delta);
      if (log.length > LOG_SIZE) log.shift();
      return delta;
    },
    since(requestedEpoch, sinceSeq) {
      if (requestedEpoch !== epoch || sinceSeq > seq) return null;
      if (sinceSeq === seq) return [];
      const first = log[0];
      if (!first || first.seq > sinceSeq + 1) return null;
      return log.filter((delta) => delta.seq > sinceSeq);
    },
    snapshot: (parts) => ({ epoch, seq, ...parts }),
  };
}
