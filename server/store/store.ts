// The one async store interface. SQLite implements it today; PostgreSQL implements the same for scale-out.
import type { FeatureCollection } from 'geojson';
import type { DomainEvent, Fence, LayerKind, Role, UnitKind } from '../contract';

export interface UserRecord {
  id: string;
  username: string;
  role: Role;
  unitId: string | null;
  segmentIds: string[];
  areaId: string | null;
  staffId: string | null;
  passwordHash: string;
  createdAt: number;
}

export interface UnitRecord {
  id: string;
  kind: UnitKind;
  callsign: string;
  deviceId: string;
  createdAt: number;
}

/** One stored fix of a unit's history. */
export interface FixRecord {
  unitId: string;
  t: number;
  rx: number;
  lon: number;
  lat: number;
  accuracyMeters: number | null;
  headingDeg: number | null;
  speedMps: number | null;
  source: string;
}

export interface HistoryFilter {
  unitId?: string;
  from?: number;
  to?: number;
  bbox?: [number, number, number, number];
  limit: number;
}

export interface LayerRecord {
  kind: LayerKind;
  version: number;
  collection: FeatureCollection;
}

export class ConflictError extends Error {}

export interface UserStore {
  count(): Promise<number>;
  byUsername(username: string): Promise<UserRecord | null>;
  byId(id: string): Promise<UserRecord | null>;
  /** Throws ConflictError when the username is taken. */
  create(user: UserRecord): Promise<void>;
}

export interface UnitStore {
  list(): Promise<UnitRecord[]>;
  byId(id: string): Promise<UnitRecord | null>;
  byDeviceId(deviceId: string): Promise<UnitRecord | null>;
  /** Throws ConflictError when the id or the device id is taken. */
  create(unit: UnitRecord): Promise<void>;
  /** Many at once in one transaction, skipping ids that exist; returns how many were added. */
  createMany(units: UnitRecord[]): Promise<number>;
  update(id: string, patch: Partial<Omit<UnitRecord, 'id' | 'createdAt'>>): Promise<UnitRecord | null>;
  remove(id: string): Promise<boolean>;
}

export interface LayerStore {
  get(kind: LayerKind): Promise<LayerRecord | null>;
  /** Replaces a layer whole, in one transaction; bumps its version. */
  put(kind: LayerKind, collection: FeatureCollection): Promise<LayerRecord>;
  /** The highest layer version: clients compare it to know when to reload layers. */
  version(): Promise<number>;
}

export interface HistoryStore {
  /** Appends fixes in one transaction; resolves once they are durable. */
  append(fixes: FixRecord[]): Promise<void>;
  /** Fixes in time order; bbox is [west, south, east, north]. */
  query(filter: HistoryFilter): Promise<FixRecord[]>;
  /** Drops fixes older than the given time; returns how many. */
  prune(before: number): Promise<number>;
}

export interface EventStore {
  append(events: DomainEvent[]): Promise<void>;
  /** Events after `since` (exclusive), oldest first. */
  query(filter: { since?: number; types?: string[]; unitId?: string; limit: number }): Promise<DomainEvent[]>;
  prune(before: number): Promise<number>;
}

export interface FenceStore {
  list(): Promise<Fence[]>;
  put(fence: Fence): Promise<void>;
  remove(id: string): Promise<boolean>;
}

export interface Store {
  readonly kind: 'sqlite' | 'postgres';
  users: UserStore;
  units: UnitStore;
  layers: LayerStore;
  history: HistoryStore;
  events: EventStore;
  fences: FenceStore;
  close(): Promise<void>;
}
