// Turns drained live-state changes into numbered `delta` batches once per flush, and keeps a short log of
// them so a reconnecting client can resync from its last seq instead of taking a whole snapshot.
import type { AlertDetail, Delta, Incident, Snapshot } from '../contract';
import type { JointPatrolChanges } from '../engine/joint-patrols';
import type { Changes } from '../engine/live-state';
import { createDeltaLog } from './delta-log';

/** Deltas kept for resync: a minute at the default FLUSH_MS of 100. */
export const LOG_SIZE = 600;

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
  /** Cluster follower: takes the leader's published delta as this node's next (same epoch and seq). */
  adopt(delta: Delta): void;
  /** Cluster: starts over at another epoch and seq with an empty log (a takeover, a follower's picture). */
  restart(epoch: string, seq: number): void;
}

export function createBroadcaster(initialEpoch: string): Broadcaster {
  let epoch = initialEpoch;
  let seq = 0;
  let log = createDeltaLog<Delta>(LOG_SIZE);
  return {
    get epoch() {
      return epoch;
    },
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
      return delta;
    },
    since: (requestedEpoch, sinceSeq) => (requestedEpoch === epoch ? log.since(sinceSeq, seq) : null),
    snapshot: (parts) => ({ epoch, seq, ...parts }),
    adopt(delta) {
      if (delta.epoch !== epoch) {
        epoch = delta.epoch;
        log = createDeltaLog<Delta>(LOG_SIZE);
      }
      seq = delta.seq;
      log.push(delta);
    },
    restart(nextEpoch, nextSeq) {
      epoch = nextEpoch;
      seq = nextSeq;
      log = createDeltaLog<Delta>(LOG_SIZE);
    },
  };
}
