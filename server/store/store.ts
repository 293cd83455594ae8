// The one async store interface. SQLite implements it today; PostgreSQL implements the same for scale-out.
import type { FeatureCollection } from 'geojson';
import type { DomainEvent, Fence, LayerKind, Role, UnitKind } from '../contract';
import type {
  AlertDetail,
  AlertLogEntry,
  AlertRecipient,
  AlertRecipientType,
  AlertRecord,
  AlertSeverity,
  Assignee,
  Checkin,
  Incident,
  IncidentAuditEntry,
  IncidentCategory,
  IncidentStatus,
  Report,
} from '../contract';

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
  /** Bumped by a password change or sign-out: tokens issued under an older version stop working. */
  tokenVersion?: number;
}

export interface UnitRecord {
  id: string;
  kind: UnitKind;
  callsign: string;
  deviceId: string;
  createdAt: number;
  /** SHA-256 of the device secret (server/security/device-auth.ts); null or absent: the id alone is trusted. */
  secretHash?: string | null;
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
  list(): Promise<UserRecord[]>;
  /** The updated user, or null when there is none; throws ConflictError when a new username is taken. */
  update(id: string, patch: Partial<Omit<UserRecord, 'id' | 'createdAt'>>): Promise<UserRecord | null>;
  remove(id: string): Promise<boolean>;
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
  incidents: IncidentStore;
  reports: ReportStore;
  alerts: AlertStore;
  photos: PhotoStore;
  checkins: CheckinStore;
  close(): Promise<void>;
}

// ── The closed loop (issue 6): incidents with their audit log, road-chief reports, alerts, photos ──

/** Who may see which incidents in a list; the conditions are OR'd. null = everything. */
export interface IncidentScope {
  gridIds: string[];
  assignees: { type: Assignee['type']; id: string }[];
  createdBy: string | null;
  segmentIds: string[];
}

export interface IncidentFilter {
  statuses?: IncidentStatus[];
  categories?: IncidentCategory[];
  gridId?: string;
  /** updatedAt at or after. */
  since?: number;
  bbox?: [number, number, number, number];
  scope: IncidentScope | null;
  /** ULID: only incidents with a smaller id (the list is newest first). */
  cursor?: string;
  limit: number;
}

export interface IdempotencyRef {
  userId: string;
  key: string;
  /** A hash of the request body: the same key with another body is a conflict. */
  requestHash: string;
}

export interface IncidentStore {
  /** Stores the incident and its first audit entry in one transaction; ConflictError on a reused key. */
  create(incident: Incident, audit: IncidentAuditEntry, idempotency: IdempotencyRef | null): Promise<void>;
  byId(id: string): Promise<Incident | null>;
  byIdempotencyKey(userId: string, key: string): Promise<{ incident: Incident; requestHash: string } | null>;
  list(filter: IncidentFilter): Promise<Incident[]>;
  /** Every incident not closed or rejected. */
  open(): Promise<Incident[]>;
  /** Open incidents whose deadline is at or before `now`, oldest deadline first. */
  overdue(now: number, limit: number): Promise<Incident[]>;
  /**
   * Replaces the incident when its stored updatedAt is still `expectedUpdatedAt` (compare-and-set), appends
   * the audit entries and inserts the alerts, all in one transaction; false when another writer was first.
   */
  update(
    next: Incident,
    expectedUpdatedAt: number,
    audit: IncidentAuditEntry[],
    alerts?: AlertDetail[],
  ): Promise<boolean>;
  /** The append-only audit log of one incident, oldest first. There is no way to change or delete it. */
  timeline(incidentId: string): Promise<IncidentAuditEntry[]>;
  /** Incidents carry personal data: every read of a full record is recorded. */
  recordRead(incidentId: string, userId: string, t: number): Promise<void>;
  /** For KPIs: incidents created in [from, to) in the grids / segments (null = all), with closure facts. */
  facts(filter: IncidentFactsFilter): Promise<IncidentFacts[]>;
}

export interface IncidentFactsFilter {
  from: number;
  to: number;
  gridIds: string[] | null;
  segmentIds: string[] | null;
}

export interface IncidentFacts {
  incident: Incident;
  /** When it was closed (its first move to closed), null while open. */
  closedAt: number | null;
  /** Whether it ever missed a deadline (the system escalated it or flagged it overdue). */
  overdue: boolean;
}

export interface ReportRecord extends Report {
  idempotencyKey: string | null;
  requestHash: string | null;
}

export interface ReportStore {
  /**
   * Stores the report, and the incident it raised with that incident's first audit entry, in one
   * transaction; ConflictError when the user already used the idempotency key.
   */
  create(
    report: ReportRecord,
    raised: { incident: Incident; audit: IncidentAuditEntry } | null,
  ): Promise<void>;
  byId(id: string): Promise<ReportRecord | null>;
  byIdempotencyKey(userId: string, key: string): Promise<ReportRecord | null>;
  /** The latest report time per segment id. */
  lastBySegment(): Promise<Map<string, number>>;
  /** Newest first; `scope` (OR'd: reports on these segments, or filed by this user) limits what is seen. */
  list(filter: {
    segmentId?: string;
    since?: number;
    limit: number;
    scope?: { segmentIds: string[]; userId: string | null } | null;
  }): Promise<ReportRecord[]>;
}

export interface AlertFilter {
  acknowledged?: boolean;
  severities?: AlertSeverity[];
  /** Who may see which alerts; absent or null = everything. */
  scope?: AlertScope | null;
  /** Opaque, from a previous page. */
  cursor?: string;
  limit: number;
}

export interface AlertStore {
  /**
   * Inserts the alert (and its recipients) in one transaction; false (and nothing stored) when an alert with
   * the same source key exists. gridId, level and escalatedAt default to null, 0, null.
   */
  create(alert: NewAlert, sourceKey: string | null, recipients?: AlertRecipient[]): Promise<boolean>;
  byId(id: string): Promise<AlertRecord | null>;
  bySourceKey(sourceKey: string): Promise<AlertRecord | null>;
  /**
   * Acknowledges an alert nobody has acknowledged yet, appending to its log (action `acknowledged`, or
   * `cancelled` when the sender withdrew it); false when it was already acknowledged.
   */
  ack(
    id: string,
    by: { id: string; name: string },
    at: number,
    note: string | null,
    action?: 'acknowledged' | 'cancelled',
  ): Promise<boolean>;
  /** Critical first, then warning, then info; newest first within a severity. */
  list(filter: AlertFilter): Promise<{ items: AlertRecord[]; nextCursor: string | null }>;
  /** Acknowledges one recipient that has not acknowledged yet, with a log entry; false otherwise. */
  ackRecipient(
    alertId: string,
    recipient: { type: AlertRecipientType; id: string },
    by: { id: string; name: string; onBehalf: boolean },
    at: number,
    note: string | null,
  ): Promise<boolean>;
  /**
   * Raises an unacknowledged alert still at `expectedLevel` to the entry's level and severity, with the
   * entry in its log, in one transaction; false when it was acknowledged or escalated meanwhile.
   */
  escalate(id: string, expectedLevel: number, entry: AlertLogEntry): Promise<boolean>;
  /** Unacknowledged alerts below maxLevel whose time at their severity ran out, oldest first. */
  dueForEscalation(
    now: number,
    afterMs: Record<AlertSeverity, number | null>,
    maxLevel: number,
    limit: number,
  ): Promise<AlertRecord[]>;
  /** Unacknowledged alerts of a type raised for a unit, or (unit unknown) for a device id. */
  openOfType(type: string, match: { unitId: string | null; deviceId: string | null }): Promise<AlertRecord[]>;
  /** The alert's append-only log, oldest first. */
  log(alertId: string): Promise<AlertLogEntry[]>;
}

/** An alert to store: the wire AlertDetail, plus what the closed loop knows about it. */
export type NewAlert = AlertDetail & Partial<Pick<AlertRecord, 'gridId' | 'level' | 'escalatedAt'>>;

/** Which alerts a list shows a user; the conditions are OR'd. */
export interface AlertScope {
  gridIds: string[];
  segmentIds: string[];
  unitIds: string[];
  recipients: { type: AlertRecipientType; id: string }[];
  /** Alerts about incidents the user sees. */
  incidents: IncidentScope;
}

export interface PhotoRecord {
  id: string;
  contentType: string;
  bytes: number;
  uploadedBy: string;
  createdAt: number;
}

export interface PhotoStore {
  /** Records a stored file; a photo with the same id (same bytes) is kept as it is. */
  put(photo: PhotoRecord): Promise<void>;
  byId(id: string): Promise<PhotoRecord | null>;
}

export interface ClosedLoopStores {
  incidents: IncidentStore;
  reports: ReportStore;
  alerts: AlertStore;
  photos: PhotoStore;
  checkins: CheckinStore;
}

// ── The closed loop, part 2: household posts' check-ins ──

export interface CheckinRecord extends Checkin {
  idempotencyKey: string | null;
  requestHash: string | null;
}

export interface CheckinStore {
  /** Stores a check-in; ConflictError when the user already used its idempotency key. */
  create(checkin: CheckinRecord): Promise<void>;
  byIdempotencyKey(userId: string, key: string): Promise<CheckinRecord | null>;
  /** A post's check-ins, newest first; `cursor` is an id: only older ones. */
  list(filter: { postId: string; since?: number; cursor?: string; limit: number }): Promise<CheckinRecord[]>;
  /** Which of these posts checked in at least once in [from, to). */
  checkedIn(postIds: readonly string[], from: number, to: number): Promise<Set<string>>;
  /** The latest check-in time of each post that ever checked in. */
  lastByPost(): Promise<Map<string, number>>;
}
