// Runs geo/'s joint-patrol detector over the live on-duty units once per tick: stamps each unit with its
// patrol, turns the detector's events into domain events, and keeps the patrols for snapshots and deltas.
import { createJointPatrolDetector, type JointPatrolEvent, type JointPatrolOptions } from '../../geo';
import type { JointPatrol } from '../contract';
import { newId } from '../domain/ids';
import type { LiveState } from './live-state';

export interface JointPatrolChanges {
  upsert: JointPatrol[];
  remove: string[];
}

export interface JointPatrolTracker {
  tick(now: number): void;
  patrols(): JointPatrol[];
  /** Patrols that formed, moved or changed since the last drain, and those that dissolved. */
  drain(): JointPatrolChanges;
}

const KIND_WORDS = { military: '军', police: '警', civilian: '民' } as const;

function describe(event: JointPatrolEvent): string {
  const kinds = event.patrol.kinds.map((k) => KIND_WORDS[k]).join('');
  const verb = {
    'joint.formed': '联合巡逻组成',
    'joint.changed': '联合巡逻变更',
    'joint.dissolved': '联合巡逻解散',
  };
  return `${verb[event.type]} (${kinds}, ${event.patrol.memberIds.length})`;
}

export function createJointPatrolTracker(
  live: LiveState,
  options: JointPatrolOptions = {},
): JointPatrolTracker {
  const detector = createJointPatrolDetector(options);
  let current = new Map<string, JointPatrol>();
  let removed = new Set<string>();
  let dirty = new Set<string>();

  return {
    tick(now) {
      const onDuty = live.units().filter((unit) => !unit.stale);
      const { patrols, events } = detector.update(onDuty, now);
      const next = new Map(patrols.map((patrol) => [patrol.id, { ...patrol }]));
      const memberOf = new Map<string, string>();
      for (const patrol of patrols) for (const id of patrol.memberIds) memberOf.set(id, patrol.id);
      for (const unit of live.units()) live.setJointPatrol(unit.id, memberOf.get(unit.id) ?? null);
      for (const id of current.keys()) if (!next.has(id)) removed.add(id);
      for (const id of next.keys()) {
        removed.delete(id);
        dirty.add(id);
      }
      current = next;
      for (const event of events) {
        live.emit({
          id: newId(event.t),
          type: event.type,
          t: event.t,
          unitId: null,
          message: describe(event),
          data: { patrol: event.patrol, ...(event.mergedInto ? { mergedInto: event.mergedInto } : {}) },
        });
      }
    },
    patrols: () => [...current.values()],
    drain() {
      const out = {
        upsert: [...dirty].flatMap((id) => current.get(id) ?? []),
        remove: [...removed],
      };
      dirty = new Set();
      removed = new Set();
      return out;
    },
  };
}
