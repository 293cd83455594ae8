// One scoped room's stream: its share of each published delta, numbered in its own sequence (so that a
// flush with nothing for this scope leaves no gap), its delta log for resync, its packed twin's encoder,
// and what its clients hold, so that a unit, patrol or incident leaving the scope is taken back from them.
import type {
  Delta,
  Incident,
  JointPatrol,
  PackedDelta,
  PackedSnapshot,
  Snapshot,
  UnitIndexEntry,
  UnitState,
} from '../contract';
import { isOpen } from '../domain/incident-machine';
import { LOG_SIZE } from './broadcaster';
import { createDeltaLog } from './delta-log';
import { createPackedEncoder } from './packed-encoder';
import { seesAlert, seesIncident, seesPlace, seesUnit, type Places, type Scope } from './scopes';

export interface ScopedRoom {
  readonly room: string;
  scope(): Scope;
  seq(): number;
  /**
   * The room's share of a published delta, numbered and logged, with its packed form (encoded even with
   * no packed client: the packed twin's snapshot is what the packed stream has described so far); null
   * when none of it is for this scope. `current` (the whole live picture) is read after a re-scope.
   */
  publish(
    delta: Delta,
    places: Places,
    current: () => Snapshot,
    moved?: MovedUnits,
  ): { delta: Delta; packed: PackedDelta } | null;
  /** The live picture cut to the scope, for JSON clients; what it hands out counts as held from then on. */
  snapshot(base: Snapshot, places: Places): Snapshot;
  /** The packed twin's snapshot: the scope's cut, with the units as the packed stream described them. */
  packedSnapshot(base: Snapshot, places: Places): PackedSnapshot;
  since(epoch: string, sinceSeq: number): Delta[] | null;
  assignedSince(sinceSeq: number): UnitIndexEntry[];
  /** A new scope for the same user (the grid hierarchy changed): the next publish reconciles everything. */
  rescope(scope: Scope): void;
}

/** A flush's moved units by id, grid and segment, indexed once for all rooms. */
export interface MovedUnits {
  count: number;
  byId: ReadonlyMap<string, UnitState>;
  byGrid: ReadonlyMap<string, UnitState[]>;
  bySegment: ReadonlyMap<string, UnitState[]>;
}

export function indexMoved(units: readonly UnitState[]): MovedUnits {
  const byId = new Map<string, UnitState>();
  const byGrid = new Map<string, UnitState[]>();
  const bySegment = new Map<string, UnitState[]>();
  const file = (index: Map<string, UnitState[]>, key: string | null, unit: UnitState): void => {
    if (key === null) return;
    const list = index.get(key);
    if (list) list.push(unit);
    else index.set(key, [unit]);
  };
  for (const unit of units) {
    byId.set(unit.id, unit);
    file(byGrid, unit.gridId, unit);
    file(bySegment, unit.segmentId, unit);
  }
  return { count: units.length, byId, byGrid, bySegment };
}

/** Candidates once each, by id, the delta's first (it is the newer state). */
function unique<T extends { id: string }>(first: readonly T[], then: readonly T[]): T[] {
  if (then.length === 0) return [...first];
  const ids = new Set(first.map((item) => item.id));
  return [...first, ...then.filter((item) => !ids.has(item.id))];
}

/**
 * A room opened at `startSeq` (past any seq an earlier room of this name issued in the epoch, so that a
 * client of that room resyncs to a snapshot), seeded with what the scope sees in `base`.
 */
export function createScopedRoom(
  initial: Scope,
  epoch: string,
  startSeq: number,
  base: Snapshot,
  places: Places,
): ScopedRoom {
  let scope = initial;
  let seq = startSeq;
  let reconcile = false;
  const log = createDeltaLog<Delta>(LOG_SIZE);
  const packer = createPackedEncoder();
  /** Supersets of what the room's clients hold: taking back what a client lacks is harmless. */
  const held = { units: new Set<string>(), patrols: new Set<string>(), incidents: new Set<string>() };

  const cut = (from: Snapshot, at: Places): Snapshot => {
    const units = from.units.filter((unit) => seesUnit(scope, unit));
    const incidents = from.incidents.filter((incident) => seesIncident(scope, incident));
    const alerts = from.alerts.filter((alert) => seesAlert(scope, at, alert));
    const jointPatrols = from.jointPatrols.filter((patrol) => seesPlace(scope, at.patrol(patrol)));
    for (const unit of units) held.units.add(unit.id);
    for (const incident of incidents) held.incidents.add(incident.id);
    for (const patrol of jointPatrols) held.patrols.add(patrol.id);
    return { ...from, epoch, seq, units, incidents, alerts, jointPatrols };
  };
  packer.seed(epoch, seq, cut(base, places).units);

  /** In scope: upsert and hold; out of scope but held: take back. */
  const share = <T extends { id: string }>(
    candidates: readonly T[],
    removed: readonly string[],
    holding: Set<string>,
    sees: (item: T) => boolean,
    everything: ReadonlySet<string> | null,
  ): { upsert: T[]; remove: string[] } => {
    const upsert: T[] = [];
    const remove: string[] = [];
    for (const item of candidates) {
      if (sees(item)) {
        upsert.push(item);
        holding.add(item.id);
      } else if (holding.delete(item.id)) remove.push(item.id);
    }
    for (const id of removed) if (holding.delete(id)) remove.push(id);
    // After a re-scope, whatever is held but gone from the live picture goes too.
    if (everything) for (const id of holding) if (!everything.has(id) && holding.delete(id)) remove.push(id);
    return { upsert, remove };
  };

  /**
   * The share of the moved units for a scope with few keys and few held units: its units looked up in the
   * flush's index instead of testing every moved unit (hundreds of leaders' rooms, one unit each).
   */
  const lookUpUnits = (moved: MovedUnits, removed: readonly string[]): Delta['units'] => {
    const upsert: UnitState[] = [];
    const remove: string[] = [];
    const taken = new Set<string>();
    const take = (unit: UnitState | undefined): void => {
      if (!unit || taken.has(unit.id)) return;
      taken.add(unit.id);
      upsert.push(unit);
    };
    for (const id of scope.unitIds) take(moved.byId.get(id));
    for (const id of scope.gridIds) for (const unit of moved.byGrid.get(id) ?? []) take(unit);
    for (const id of scope.segmentIds) for (const unit of moved.bySegment.get(id) ?? []) take(unit);
    for (const id of held.units) {
      const unit = taken.has(id) ? undefined : moved.byId.get(id);
      if (unit && !seesUnit(scope, unit) && held.units.delete(id)) remove.push(id);
    }
    for (const unit of upsert) held.units.add(unit.id);
    for (const id of removed) if (held.units.delete(id)) remove.push(id);
    return { upsert, remove };
  };
  const keys = (): number => scope.unitIds.size + scope.gridIds.size + scope.segmentIds.size;

  /** Visible incidents; one leaving the scope is sent once more, in the state it left in, then let go. */
  const shareIncidents = (incidents: readonly Incident[]): Incident[] =>
    incidents.filter((incident) => {
      const visible = seesIncident(scope, incident);
      if (!visible && !held.incidents.has(incident.id)) return false;
      if (visible && isOpen(incident.status)) held.incidents.add(incident.id);
      else held.incidents.delete(incident.id);
      return true;
    });

  return {
    room: initial.room,
    scope: () => scope,
    seq: () => seq,
    publish(delta, at, current, moved) {
      const whole = reconcile ? current() : null;
      reconcile = false;
      const ids = <T extends { id: string }>(items: readonly T[]) => new Set(items.map((item) => item.id));
      const units =
        !whole && moved && keys() + held.units.size < moved.count
          ? lookUpUnits(moved, delta.units.remove)
          : share<UnitState>(
              unique(delta.units.upsert, whole?.units ?? []),
              delta.units.remove,
              held.units,
              (unit) => seesUnit(scope, unit),
              whole ? ids(whole.units) : null,
            );
      const jointPatrols = share<JointPatrol>(
        unique(delta.jointPatrols?.upsert ?? [], whole?.jointPatrols ?? []),
        delta.jointPatrols?.remove ?? [],
        held.patrols,
        (patrol) => seesPlace(scope, at.patrol(patrol)),
        whole ? ids(whole.jointPatrols) : null,
      );
      const incidents = shareIncidents(unique(delta.incidents, whole?.incidents ?? []));
      const alerts = delta.alerts.filter((alert) => seesAlert(scope, at, alert));
      const events = delta.events.filter((event) => seesPlace(scope, at.event(event)));
      const size =
        units.upsert.length +
        units.remove.length +
        jointPatrols.upsert.length +
        jointPatrols.remove.length +
        incidents.length +
        alerts.length +
        events.length;
      if (size === 0) return null;
      seq++;
      const own: Delta = { epoch, seq, units, incidents, alerts, events, jointPatrols };
      log.push(own);
      return { delta: own, packed: packer.encode(own) };
    },
    snapshot: (base, at) => cut(base, at),
    packedSnapshot: (base, at) => packer.snapshot(cut(base, at)),
    since: (requested, sinceSeq) => (requested === epoch ? log.since(sinceSeq, seq) : null),
    assignedSince: (sinceSeq) => packer.assignedSince(sinceSeq),
    rescope(next) {
      scope = next;
      reconcile = true;
    },
  };
}
