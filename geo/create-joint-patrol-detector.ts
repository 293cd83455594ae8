// Joint patrols: units of two or more kinds moving together form, change and dissolve groups.
import type {
  JointPatrol,
  JointPatrolDetector,
  JointPatrolEvent,
  JointPatrolOptions,
  PatrolUnit,
  UnitKind,
} from './types';
import type { Links } from './find-unit-links';
import { createUnionFind } from './create-union-find';
import { findUnitLinks } from './find-unit-links';

const KIND_ORDER: readonly UnitKind[] = ['military', 'police', 'civilian'];

type Settings = Required<JointPatrolOptions>;

interface Member {
  kind: UnitKind;
  /** Since when the member has been away from the rest of its patrol (or missing); null while with it. */
  detachedSince: number | null;
}

interface Patrol {
  id: string;
  formedAt: number;
  members: Map<string, Member>;
  /** Since when fewer than two kinds have been together; null while two or more are. */
  kindsLostSince: number | null;
  lon: number;
  lat: number;
}

interface State {
  /** Pairs of units within radiusMeters, keyed `${lowerId}\n${higherId}`, with the time they linked. */
  pairs: Map<string, number>;
  patrols: Map<string, Patrol>;
  memberOf: Map<string, string>;
}

/** One update's working data: the units sorted by id and their links within the leave radius. */
interface Tick {
  now: number;
  units: PatrolUnit[];
  index: Map<string, number>;
  links: Links;
  /** Pairs within radiusMeters as unit indices, with the time they linked. */
  pairs: { i: number; j: number; since: number }[];
}

interface Collected {
  dissolved: JointPatrolEvent[];
  formed: Set<string>;
}

function settingsOf(o: JointPatrolOptions): Settings {
  const formMs = o.formMs ?? 60_000;
  return {
    ...{ radiusMeters: o.radiusMeters ?? 50, formMs, joinMs: o.joinMs ?? formMs },
    ...{ leaveRadiusMeters: o.leaveRadiusMeters ?? 100, leaveMs: o.leaveMs ?? 120_000 },
    dissolveMs: o.dissolveMs ?? 120_000,
  };
}

function toPatrol(p: Patrol): JointPatrol {
  const kinds = new Set([...p.members.values()].map((m) => m.kind));
  const memberIds = [...p.members.keys()].sort();
  return {
    id: p.id,
    memberIds,
    kinds: KIND_ORDER.filter((k) => kinds.has(k)),
    lon: p.lon,
    lat: p.lat,
    formedAt: p.formedAt,
  };
}

function prepareTick(s: Settings, state: State, units: readonly PatrolUnit[], now: number): Tick {
  const byId = new Map<string, PatrolUnit>();
  for (const u of units) if (Number.isFinite(u.lon) && Number.isFinite(u.lat)) byId.set(u.id, u);
  const list = [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const links = findUnitLinks(list, Math.max(s.radiusMeters, s.leaveRadiusMeters));
  const tick: Tick = { now, units: list, index: new Map(list.map((u, i) => [u.id, i])), links, pairs: [] };
  const pairs = new Map<string, number>();
  for (let k = 0; k < links.a.length; k++) {
    if ((links.meters[k] as number) > s.radiusMeters) continue;
    const [i, j] = [links.a[k] as number, links.b[k] as number];
    const key = `${(list[i] as PatrolUnit).id}\n${(list[j] as PatrolUnit).id}`;
    const since = state.pairs.get(key) ?? now;
    pairs.set(key, since);
    tick.pairs.push({ i, j, since });
  }
  state.pairs = pairs;
  return tick;
}

/** Present members of a patrol still together: the largest group linked within the leave radius. */
function attachedMembers(patrol: Patrol, tick: Tick, find: (i: number) => number): Set<string> {
  const groups = new Map<number, string[]>();
  for (const id of [...patrol.members.keys()].sort()) {
    const i = tick.index.get(id);
    if (i === undefined) continue;
    const root = find(i);
    const group = groups.get(root) ?? [];
    group.push(id);
    groups.set(root, group);
  }
  let best: string[] = [];
  for (const group of groups.values()) if (group.length > best.length) best = group;
  return new Set(best);
}

function dissolve(
  state: State,
  patrol: Patrol,
  collected: Collected,
  now: number,
  mergedInto?: string,
): void {
  const event: JointPatrolEvent = { type: 'joint.dissolved', patrol: toPatrol(patrol), t: now };
  collected.dissolved.push(mergedInto === undefined ? event : { ...event, mergedInto });
  for (const id of patrol.members.keys()) if (state.memberOf.get(id) === patrol.id) state.memberOf.delete(id);
  state.patrols.delete(patrol.id);
}

/** Detaches members away from their patrol, removes those away too long, dissolves one-kind patrols. */
function refreshMembers(s: Settings, state: State, tick: Tick, collected: Collected): void {
  const sets = createUnionFind(tick.units.length);
  const idOf = (i: number): string => (tick.units[i] as PatrolUnit).id;
  for (let k = 0; k < tick.links.a.length; k++) {
    const [i, j] = [tick.links.a[k] as number, tick.links.b[k] as number];
    const patrolId = state.memberOf.get(idOf(i));
    if (patrolId !== undefined && patrolId === state.memberOf.get(idOf(j))) sets.union(i, j);
  }
  for (const patrol of [...state.patrols.values()].sort((a, b) => (a.id < b.id ? -1 : 1))) {
    const attached = attachedMembers(patrol, tick, (i) => sets.find(i));
    const kinds = new Set<UnitKind>();
    for (const [id, member] of patrol.members) {
      const unit = tick.units[tick.index.get(id) ?? -1];
      if (unit) member.kind = unit.kind;
      if (attached.has(id)) kinds.add(member.kind);
      member.detachedSince = attached.has(id) ? null : (member.detachedSince ?? tick.now);
    }
    patrol.kindsLostSince = kinds.size >= 2 ? null : (patrol.kindsLostSince ?? tick.now);
    if (patrol.kindsLostSince !== null && tick.now - patrol.kindsLostSince >= s.dissolveMs) {
      dissolve(state, patrol, collected, tick.now);
      continue;
    }
    for (const [id, member] of patrol.members) {
      if (member.detachedSince === null || tick.now - member.detachedSince < s.leaveMs) continue;
      patrol.members.delete(id);
      state.memberOf.delete(id);
    }
    if (patrol.members.size === 0) dissolve(state, patrol, collected, tick.now);
  }
}

function memberState(state: State, id: string): Member | undefined {
  const patrolId = state.memberOf.get(id);
  return patrolId === undefined ? undefined : state.patrols.get(patrolId)?.members.get(id);
}

/** Single-link clusters: each patrol's members together, plus pairs linked long enough. */
function cluster(s: Settings, state: State, tick: Tick): ReturnType<typeof createUnionFind> {
  const sets = createUnionFind(tick.units.length);
  for (const patrol of state.patrols.values()) {
    let first = -1;
    for (const [id, member] of patrol.members) {
      const i = tick.index.get(id);
      if (i === undefined || member.detachedSince !== null) continue;
      if (first < 0) first = i;
      else sets.union(first, i);
    }
  }
  for (const { i, j, since } of tick.pairs) {
    const a = memberState(state, (tick.units[i] as PatrolUnit).id);
    const b = memberState(state, (tick.units[j] as PatrolUnit).id);
    if (a?.detachedSince != null || b?.detachedSince != null) continue;
    const needed = a === undefined && b === undefined ? s.formMs : s.joinMs;
    if (tick.now - since >= needed) sets.union(i, j);
  }
  return sets;
}

/** Merges patrols that came together into the oldest, lets free units join, forms new patrols. */
function regroup(s: Settings, state: State, tick: Tick, collected: Collected): void {
  const sets = cluster(s, state, tick);
  const components = new Map<number, { patrols: Set<string>; free: PatrolUnit[] }>();
  tick.units.forEach((unit, i) => {
    const member = memberState(state, unit.id);
    if (member?.detachedSince != null) return;
    const root = sets.find(i);
    const component = components.get(root) ?? { patrols: new Set<string>(), free: [] };
    components.set(root, component);
    if (member === undefined) component.free.push(unit);
    else component.patrols.add(state.memberOf.get(unit.id) as string);
  });
  for (const { patrols, free } of components.values()) {
    const existing = [...patrols].map((id) => state.patrols.get(id) as Patrol);
    existing.sort((a, b) => a.formedAt - b.formedAt || (a.id < b.id ? -1 : 1));
    let target = existing[0];
    if (target === undefined) {
      if (free.length < 2 || new Set(free.map((u) => u.kind)).size < 2) continue;
      target = {
        id: `jp-${(free[0] as PatrolUnit).id}-${tick.now}`,
        formedAt: tick.now,
        members: new Map(),
        kindsLostSince: null,
        lon: NaN,
        lat: NaN,
      };
      state.patrols.set(target.id, target);
      collected.formed.add(target.id);
    }
    for (const other of existing.slice(1)) {
      for (const [id, member] of other.members) target.members.set(id, member);
      dissolve(state, other, collected, tick.now, target.id);
      for (const id of other.members.keys()) state.memberOf.set(id, target.id);
    }
    for (const unit of free) {
      target.members.set(unit.id, { kind: unit.kind, detachedSince: null });
      state.memberOf.set(unit.id, target.id);
    }
  }
}

/** A patrol's position: the mean of the members with it now (kept when none reports). */
function place(patrol: Patrol, tick: Tick): void {
  let [lon, lat, n] = [0, 0, 0];
  for (const [id, member] of patrol.members) {
    const unit = tick.units[tick.index.get(id) ?? -1];
    if (unit === undefined || member.detachedSince !== null) continue;
    [lon, lat, n] = [lon + unit.lon, lat + unit.lat, n + 1];
  }
  if (n > 0) [patrol.lon, patrol.lat] = [lon / n, lat / n];
}

function update(s: Settings, state: State, units: readonly PatrolUnit[], now: number) {
  const tick = prepareTick(s, state, units, now);
  const before = new Map([...state.patrols.values()].map((p) => [p.id, toPatrol(p).memberIds.join('\n')]));
  const collected: Collected = { dissolved: [], formed: new Set() };
  refreshMembers(s, state, tick, collected);
  regroup(s, state, tick, collected);
  const patrols = [...state.patrols.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
  const events: JointPatrolEvent[] = [...collected.dissolved];
  for (const patrol of patrols) {
    place(patrol, tick);
    const snapshot = toPatrol(patrol);
    const key = before.get(patrol.id);
    if (collected.formed.has(patrol.id)) events.push({ type: 'joint.formed', patrol: snapshot, t: now });
    else if (key !== undefined && key !== snapshot.memberIds.join('\n')) {
      events.push({ type: 'joint.changed', patrol: snapshot, t: now });
    }
  }
  return { patrols: patrols.map(toPatrol), events };
}

/**
 * A joint-patrol detector with DOMAIN.md's defaults. Each `update(units, now)` takes the positions of
 * the on-duty units (a unit left out counts as away) and returns all current patrols and the events:
 * - two units within `radiusMeters` (50) are linked; units linked for `formMs` (60 s) form single-link
 *   clusters, and a cluster holding at least two kinds forms a patrol with id `jp-<lowest member
 *   id>-<formation time>`;
 * - a free unit linked to a member for `joinMs` (default formMs) joins; two patrols linked that long
 *   merge into the older one (the younger dissolves with `mergedInto`);
 * - hysteresis: a member stays while within `leaveRadiusMeters` (100) of the main group of its patrol
 *   (single link), and leaves after `leaveMs` (120 s) away or missing;
 * - a patrol whose members still together hold fewer than two kinds for `dissolveMs` (120 s) dissolves.
 * Linking uses a kd-tree (kdbush), not all pairs; 10,000 units per update are routine. The detector
 * holds its own state; time comes only from `now`, so replaying the same updates gives the same ids.
 *
 * @example
 * const detector = createJointPatrolDetector();
 * detector.update([{ id: 'm1', kind: 'military', lon: 106.75, lat: 22.1, t: 0 },
 *                  { id: 'p1', kind: 'police', lon: 106.7502, lat: 22.1, t: 0 }], 0); // no patrol yet
 * detector.update(sameUnitsLater, 60_000).events[0]?.type; // 'joint.formed', patrol id 'jp-m1-60000'
 */
export function createJointPatrolDetector(options: JointPatrolOptions = {}): JointPatrolDetector {
  const settings = settingsOf(options);
  const state: State = { pairs: new Map(), patrols: new Map(), memberOf: new Map() };
  return { update: (units, now) => update(settings, state, units, now) };
}
