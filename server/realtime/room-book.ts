// The scoped rooms of this server: opened on a scoped user's first connection, fed each published delta
// once per flush (one share per room, however many sockets), re-scoped after a layer import, and closed
// after standing empty longer than a client may take to come back and resync.
import type { Delta, Incident, Snapshot, UnitState, User } from '../contract';
import type { Router } from '../domain/routing';
import { createScopedRoom, indexMoved, type ScopedRoom } from './scoped-room';
import { createPlaces, scopeFor, type Places, type Scope } from './scopes';

/** Longer than connection-state recovery (2 min): a socket that comes back finds its room and its log. */
export const ROOM_IDLE_MS = 5 * 60_000;

export interface RoomBookDeps {
  epoch: string;
  /** The grid hierarchy now (a new object after each layer import). */
  router(): Router;
  unit(id: string): UnitState | undefined;
  openIncidents(): Incident[];
  /** The whole live picture (what a snapshot is cut from). */
  snapshot(): Snapshot;
  /** Sockets in a room and its packed twin. */
  members(room: string): number;
  now(): number;
}

export interface RoomBook {
  scopeOf(user: User): Scope;
  /** Places as of now, for a batch of snapshots. */
  places(incidents?: readonly Incident[]): Places;
  /** The room for a scoped user, opened and seeded from `base` when absent. */
  open(scope: Scope, base: Snapshot, places: Places): ScopedRoom;
  get(room: string): ScopedRoom | undefined;
  /** Each room's share of a published delta, computed once per room. */
  publish(delta: Delta): { room: ScopedRoom; share: NonNullable<ReturnType<ScopedRoom['publish']>> }[];
  size(): number;
}

export function createRoomBook(deps: RoomBookDeps): RoomBook {
  const rooms = new Map<string, ScopedRoom>();
  /** The last seq each closed room issued: a room reopened under that name starts past it. */
  const closedAt = new Map<string, number>();
  const emptySince = new Map<string, number>();
  let router = deps.router();

  const places = (incidents: readonly Incident[] = []): Places => {
    let byId: Map<string, Incident> | null = null;
    return createPlaces({
      unit: (id) => deps.unit(id),
      gridAt: (lon, lat) => deps.router().place({ lon, lat }).gridId,
      incident(id) {
        // Built on first use: most flushes carry no alert that names an incident.
        byId ??= new Map([...deps.openIncidents(), ...incidents].map((i) => [i.id, i]));
        return byId.get(id);
      },
    });
  };

  /** Closes rooms that stood empty for ROOM_IDLE_MS. */
  const sweep = (): void => {
    const now = deps.now();
    for (const [name, room] of rooms) {
      if (deps.members(name) > 0) {
        emptySince.delete(name);
        continue;
      }
      const since = emptySince.get(name) ?? now;
      emptySince.set(name, since);
      if (now - since < ROOM_IDLE_MS) continue;
      rooms.delete(name);
      emptySince.delete(name);
      closedAt.set(name, room.seq());
    }
  };

  return {
    scopeOf: (user) => scopeFor(user, deps.router()),
    places,
    open(scope, base, at) {
      const found = rooms.get(scope.room);
      if (found) return found;
      const startSeq = (closedAt.get(scope.room) ?? -1) + 1;
      const room = createScopedRoom(scope, deps.epoch, startSeq, base, at);
      rooms.set(scope.room, room);
      return room;
    },
    get: (name) => rooms.get(name),
    publish(delta) {
      const next = deps.router();
      if (next !== router) {
        router = next;
        for (const room of rooms.values()) room.rescope(scopeFor(room.scope().user, router));
      }
      sweep();
      if (rooms.size === 0) return [];
      const at = places(delta.incidents);
      let whole: Snapshot | null = null;
      const current = (): Snapshot => (whole ??= deps.snapshot());
      const moved = indexMoved(delta.units.upsert);
      const out: ReturnType<RoomBook['publish']> = [];
      for (const room of rooms.values()) {
        const share = room.publish(delta, at, current, moved);
        if (share) out.push({ room, share });
      }
      return out;
    },
    size: () => rooms.size,
  };
}
