// The live picture: latest accepted fix per unit, classified; changes recorded by id until drained.
import type { DomainEvent, PositionReport, UnitState } from '../contract';
import type { Registry } from './registry';

export interface Classification {
  gridId: string | null;
  sectorId: string | null;
  segmentId: string | null;
  borderDistanceMeters: number | null;
  inBorderZone: boolean;
}
export type Classify = (lon: number, lat: number) => Classification;

export type AcceptResult = 'applied' | 'out_of_order' | 'unknown_unit';

export interface Changes {
  upsert: UnitState[];
  remove: string[];
  events: DomainEvent[];
}

export interface LiveState {
  /** Applies a fix to its unit; out-of-order fixes are kept for history but do not move the unit. */
  accept(report: PositionReport, rx: number): AcceptResult;
  /** Marks units stale whose last fix is older than staleMs; call on every engine tick. */
  tick(now: number): void;
  units(): UnitState[];
  unit(id: string): UnitState | undefined;
  remove(id: string): void;
  setJointPatrol(unitId: string, jointPatrolId: string | null): void;
  /** Called with each unit state a fix moved (after classification): coverage, fences, … */
  onApplied(listener: (unit: UnitState) => void): void;
  /** Swaps the classifier (layers changed) and reclassifies every unit where it stands. */
  setClassifier(classify: Classify): void;
  emit(event: DomainEvent): void;
  /** The changes since the last drain, each unit once with its latest state. */
  drain(): Changes;
  hasChanges(): boolean;
  /**
   * Takes over units as another node last published them (a new cluster leader starts from its mirror):
   * the newer of each pair kept, not marked changed; joint patrols are formed again by this node's tracker.
   */
  restore(states: readonly UnitState[]): void;
  /** A cluster follower: units exactly as the leader published them (its REST reads see the same picture). */
  mirror(upsert: readonly UnitState[], remove: readonly string[]): void;
}

export function createLiveState(registry: Registry, initialClassify: Classify, staleMs: number): LiveState {
  let classify = initialClassify;
  const units = new Map<string, UnitState>();
  const changed = new Set<string>();
  const removed = new Set<string>();
  let events: DomainEvent[] = [];
  const listeners: ((unit: UnitState) => void)[] = [];

  const touch = (id: string): void => {
    changed.add(id);
    removed.delete(id);
  };

  return {
    accept(report, rx) {
      const unit = registry.byId(report.unitId);
      if (!unit) return 'unknown_unit';
      const previous = units.get(report.unitId);
      if (previous && report.t <= previous.t) return 'out_of_order';
      const where = classify(report.lon, report.lat);
      units.set(unit.id, {
        id: unit.id,
        kind: unit.kind,
        callsign: unit.callsign,
        lon: report.lon,
        lat: report.lat,
        headingDeg: report.headingDeg,
        speedMps: report.speedMps,
        accuracyMeters: report.accuracyMeters,
        t: report.t,
        rx,
        gridId: where.gridId,
        sectorId: where.sectorId,
        segmentId: where.segmentId,
        jointPatrolId: previous?.jointPatrolId ?? null,
        stale: false,
      });
      touch(unit.id);
      const applied = units.get(unit.id);
      if (applied) for (const listener of listeners) listener(applied);
      return 'applied';
    },
    tick(now) {
      for (const unit of units.values()) {
        const stale = now - unit.rx > staleMs;
        if (stale !== unit.stale) {
          unit.stale = stale;
          touch(unit.id);
        }
      }
    },
    units: () => [...units.values()],
    unit: (id) => units.get(id),
    remove(id) {
      if (!units.delete(id)) return;
      changed.delete(id);
      removed.add(id);
    },
    setJointPatrol(unitId, jointPatrolId) {
      const unit = units.get(unitId);
      if (!unit || unit.jointPatrolId === jointPatrolId) return;
      unit.jointPatrolId = jointPatrolId;
      touch(unitId);
    },
    onApplied(listener) {
      listeners.push(listener);
    },
    setClassifier(next) {
      classify = next;
      for (const unit of units.values()) {
        const where = classify(unit.lon, unit.lat);
        if (
          where.gridId === unit.gridId &&
          where.sectorId === unit.sectorId &&
          where.segmentId === unit.segmentId
        )
          continue;
        unit.gridId = where.gridId;
        unit.sectorId = where.sectorId;
        unit.segmentId = where.segmentId;
        touch(unit.id);
      }
    },
    emit(event) {
      events.push(event);
    },
    drain() {
      const out: Changes = {
        upsert: [...changed].flatMap((id) => {
          const unit = units.get(id);
          return unit ? [{ ...unit }] : [];
        }),
        remove: [...removed],
        events,
      };
      changed.clear();
      removed.clear();
      events = [];
      return out;
    },
    hasChanges: () => changed.size > 0 || removed.size > 0 || events.length > 0,
    restore(states) {
      for (const state of states) {
        const current = units.get(state.id);
        const newer = current && current.t > state.t ? current : state;
        units.set(state.id, { ...newer, jointPatrolId: null });
      }
    },
    mirror(upsert, remove) {
      for (const state of upsert) units.set(state.id, { ...state });
      for (const id of remove) units.delete(id);
    },
  };
}
