// The wire contract: zod schemas for REST bodies and Socket.io events, their types and the typed event maps.
// Imports nothing but zod, so the client imports it too. One source of truth, validated at every edge.
import { z } from 'zod';

export const ID_PATTERN = /^[A-Za-z0-9._:-]{1,64}$/;
export const EntityId = z.string().regex(ID_PATTERN, 'ids match ^[A-Za-z0-9._:-]{1,64}$');

export const UNIT_KINDS = ['military', 'police', 'civilian'] as const;
export const UnitKind = z.enum(UNIT_KINDS);
export type UnitKind = z.infer<typeof UnitKind>;

export const ROLES = ['admin', 'operator', 'leader', 'staff'] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

export const LAYER_KINDS = ['grids', 'areas', 'sectors', 'segments', 'posts', 'border'] as const;
export const LayerKind = z.enum(LAYER_KINDS);
export type LayerKind = z.infer<typeof LayerKind>;

export const ALERT_SEVERITIES = ['info', 'warning', 'critical'] as const;
export const AlertSeverity = z.enum(ALERT_SEVERITIES);
export type AlertSeverity = z.infer<typeof AlertSeverity>;

const Lon = z.number().finite().min(-180).max(180);
const Lat = z.number().finite().min(-90).max(90);
/** Epoch milliseconds. */
const EpochMs = z.number().int().nonnegative();

export const User = z.object({
  id: z.string(),
  username: z.string(),
  role: Role,
  unitId: z.string().nullable(),
  segmentIds: z.array(z.string()),
  areaId: z.string().nullable(),
  staffId: z.string().nullable(),
});
export type User = z.infer<typeof User>;

export const LoginRequest = z.object({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(256),
});
export type LoginRequest = z.infer<typeof LoginRequest>;

export const RefreshRequest = z.object({ refreshToken: z.string().min(1).max(4096) });

export const LoginResponse = z.object({ token: z.string(), refreshToken: z.string(), user: User });
export type LoginResponse = z.infer<typeof LoginResponse>;

export const ErrorBody = z.object({ error: z.object({ code: z.string(), message: z.string() }) });
export type ErrorBody = z.infer<typeof ErrorBody>;

/** A unit in the registry: who may report, and with which device. */
export const UnitRegistration = z.object({
  id: EntityId,
  kind: UnitKind,
  callsign: z.string().min(1).max(64),
  deviceId: EntityId,
});
export type UnitRegistration = z.infer<typeof UnitRegistration>;
export const UnitPatch = UnitRegistration.omit({ id: true }).partial();

/** One fix from any source, normalised at the ingest edge. */
export const PositionReport = z.object({
  unitId: EntityId,
  source: z.enum(['tablet', 'osmand', 'owntracks', 'cot', 'simulator']),
  lon: Lon,
  lat: Lat,
  t: EpochMs,
  accuracyMeters: z.number().finite().nonnegative().nullable(),
  headingDeg: z.number().finite().min(0).max(360).nullable(),
  speedMps: z.number().finite().nonnegative().nullable(),
});
export type PositionReport = z.infer<typeof PositionReport>;

/** The live state of one unit as clients see it. */
export const UnitState = z.object({
  id: z.string(),
  kind: UnitKind,
  callsign: z.string(),
  lon: z.number(),
  lat: z.number(),
  headingDeg: z.number().nullable(),
  speedMps: z.number().nullable(),
  accuracyMeters: z.number().nullable(),
  /** fix time */
  t: z.number(),
  /** receive time */
  rx: z.number(),
  gridId: z.string().nullable(),
  sectorId: z.string().nullable(),
  segmentId: z.string().nullable(),
  jointPatrolId: z.string().nullable(),
  stale: z.boolean(),
});
export type UnitState = z.infer<typeof UnitState>;

export const JointPatrol = z.object({
  id: z.string(),
  memberIds: z.array(z.string()),
  kinds: z.array(UnitKind),
  lon: z.number(),
  lat: z.number(),
  formedAt: z.number(),
});
export type JointPatrol = z.infer<typeof JointPatrol>;

export const Alert = z.object({
  id: z.string(),
  type: z.string(),
  severity: AlertSeverity,
  message: z.string(),
  lon: z.number().nullable(),
  lat: z.number().nullable(),
  unitId: z.string().nullable(),
  t: z.number(),
  acknowledgedBy: z.string().nullable(),
  acknowledgedAt: z.number().nullable(),
});
export type Alert = z.infer<typeof Alert>;

/** Incidents are specified by the closed-loop issue; the live stream carries them as open records. */
export const INCIDENT_CATEGORIES = [
  'dispute',
  'public_order',
  'fire',
  'safety',
  'environment',
  'food_drug',
  'smuggling',
  'illegal_crossing',
  'petition',
  'other',
] as const;
export const IncidentCategory = z.enum(INCIDENT_CATEGORIES);
export type IncidentCategory = z.infer<typeof IncidentCategory>;

export const INCIDENT_SOURCES = ['hotline', 'staff', 'report', 'sensor', 'walk_in', 'device'] as const;
export const IncidentSource = z.enum(INCIDENT_SOURCES);
export type IncidentSource = z.infer<typeof IncidentSource>;

export const INCIDENT_STATUSES = [
  'reported',
  'accepted',
  'dispatched',
  'in_progress',
  'resolved',
  'verified',
  'closed',
  'rejected',
] as const;
export const IncidentStatus = z.enum(INCIDENT_STATUSES);
export type IncidentStatus = z.infer<typeof IncidentStatus>;

/** The four-level platform above the grid, in escalation order. */
export const INCIDENT_LEVELS = ['grid', 'community', 'subdistrict', 'district', 'city'] as const;
export const IncidentLevel = z.enum(INCIDENT_LEVELS);
export type IncidentLevel = z.infer<typeof IncidentLevel>;

export const ASSIGNEE_TYPES = ['staff', 'unit', 'user'] as const;
export const Assignee = z.object({ type: z.enum(ASSIGNEE_TYPES), id: z.string(), name: z.string() });
export type Assignee = z.infer<typeof Assignee>;

/** 大调解: people's, administrative or judicial mediation. */
export const MEDIATION_KINDS = ['people', 'administrative', 'judicial'] as const;
export const Mediation = z.object({
  kind: z.enum(MEDIATION_KINDS),
  settled: z.boolean(),
  note: z.string(),
  by: z.string(),
  at: EpochMs,
});
export type Mediation = z.infer<typeof Mediation>;

/** The reporter's feedback at close: satisfaction 1 (very unsatisfied) to 5 (very satisfied). */
export const Feedback = z.object({
  satisfaction: z.number().int().min(1).max(5),
  note: z.string(),
  by: z.string(),
  at: EpochMs,
});
export type Feedback = z.infer<typeof Feedback>;

/** Only what is needed to call the reporter back; lists and the live stream carry null here. */
export const Reporter = z.object({ name: z.string().nullable(), phone: z.string().nullable() });
export type Reporter = z.infer<typeof Reporter>;

export const Incident = z.object({
  id: z.string(),
  category: IncidentCategory,
  summary: z.string(),
  description: z.string(),
  source: IncidentSource,
  reporter: Reporter.nullable(),
  lon: z.number(),
  lat: z.number(),
  gridId: z.string().nullable(),
  sectorId: z.string().nullable(),
  postId: z.string().nullable(),
  segmentId: z.string().nullable(),
  level: IncidentLevel,
  status: IncidentStatus,
  assignee: Assignee.nullable(),
  deadlineAt: z.number().nullable(),
  createdAt: z.number(),
  updatedAt: z.number(),
  createdBy: z.string(),
  mediation: Mediation.nullable(),
  feedback: Feedback.nullable(),
  reportId: z.string().nullable(),
});
export type Incident = z.infer<typeof Incident>;

export const DomainEvent = z.object({
  id: z.string(),
  type: z.string(),
  t: z.number(),
  unitId: z.string().nullable(),
  message: z.string(),
  data: z.record(z.string(), z.unknown()),
});
export type DomainEvent = z.infer<typeof DomainEvent>;

export const Snapshot = z.object({
  epoch: z.string(),
  seq: z.number().int(),
  units: z.array(UnitState),
  incidents: z.array(Incident),
  alerts: z.array(Alert),
  jointPatrols: z.array(JointPatrol),
  layersVersion: z.number().int(),
});
export type Snapshot = z.infer<typeof Snapshot>;

export const Delta = z.object({
  epoch: z.string(),
  seq: z.number().int(),
  units: z.object({ upsert: z.array(UnitState), remove: z.array(z.string()) }),
  incidents: z.array(Incident),
  alerts: z.array(Alert),
  events: z.array(DomainEvent),
  jointPatrols: z.object({ upsert: z.array(JointPatrol), remove: z.array(z.string()) }).optional(),
});
export type Delta = z.infer<typeof Delta>;

/** Client → server: a fix for the caller's own unit (tablet). */
export const PositionMessage = z.object({
  lon: Lon,
  lat: Lat,
  accuracyMeters: z.number().finite().nonnegative().nullable().optional(),
  headingDeg: z.number().finite().min(0).max(360).nullable().optional(),
  speedMps: z.number().finite().nonnegative().nullable().optional(),
  t: EpochMs,
});
export type PositionMessage = z.infer<typeof PositionMessage>;

export const ResyncRequest = z.object({ epoch: z.string(), sinceSeq: z.number().int().nonnegative() });
export type ResyncRequest = z.infer<typeof ResyncRequest>;

export type AckError = { ok: false; error: { code: string; message: string } };
export type Ack<T extends object = object> = ({ ok: true } & T) | AckError;

export type ResyncResult = { ok: true; deltas: Delta[] } | { ok: true; snapshot: Snapshot } | AckError;

export interface ServerToClientEvents {
  snapshot: (snapshot: Snapshot) => void;
  delta: (delta: Delta) => void;
  /** The same delta, packed: only to clients that connect with `auth: {token, packed: true}`. */
  'delta:packed': (delta: PackedDelta) => void;
  /** The rest of a packed snapshot's units, one part per message, sent right after it (packed clients only). */
  'snapshot:continued': (part: SnapshotContinued) => void;
}

export interface ClientToServerEvents {
  position: (message: PositionMessage, ack: (result: Ack<{ t: number }>) => void) => void;
  resync: (request: ResyncRequest, ack: (result: ResyncResult) => void) => void;
}

/** Formats the first zod issue as "path: message", for error bodies and acknowledgements. */
export function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid input';
  const where = issue.path.length > 0 ? issue.path.join('.') : 'body';
  return `${where}: ${issue.message}`;
}

export const Health = z.object({ status: z.literal('ok') });

// ── Fences ──────────────────────────────────────────────────────────────────────────────────────────
const LonLat = z.tuple([Lon, Lat]);
const Ring = z.array(LonLat).min(4);
export const FenceShape = z.discriminatedUnion('type', [
  z.object({ type: z.literal('circle'), center: LonLat, radiusMeters: z.number().positive().max(100_000) }),
  z.object({
    type: z.literal('polygon'),
    geometry: z.union([
      z.object({ type: z.literal('Polygon'), coordinates: z.array(Ring).min(1) }),
      z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(Ring).min(1)).min(1) }),
    ]),
  }),
  z.object({
    type: z.literal('corridor'),
    line: z.object({ type: z.literal('LineString'), coordinates: z.array(LonLat).min(2) }),
    widthMeters: z.number().positive().max(10_000),
  }),
]);
export type FenceShape = z.infer<typeof FenceShape>;

/** A geofence as the API takes it; buffers, dwell and accuracy follow PROTOCOLS.md's semantics. */
export const FenceInput = z.object({
  name: z.string().min(1).max(100),
  shape: FenceShape,
  /** Kinds of unit it watches; empty = all. */
  kinds: z.array(UnitKind).default([]),
  severity: AlertSeverity.default('warning'),
  enterBufferMeters: z.number().finite().min(-10_000).max(10_000).default(0),
  exitBufferMeters: z.number().finite().min(0).max(10_000).default(0),
  dwellEnterMs: z.number().int().min(0).max(86_400_000).default(0),
  dwellExitMs: z.number().int().min(0).max(86_400_000).default(0),
  maxAccuracyMeters: z.number().positive().max(10_000).default(100),
  detect: z
    .array(z.enum(['enter', 'exit', 'inside', 'outside']))
    .min(1)
    .default(['enter', 'exit']),
});
export type FenceInput = z.infer<typeof FenceInput>;
export const FencePatch = FenceInput.partial();

export const Fence = FenceInput.extend({
  id: z.string(),
  createdBy: z.string().nullable(),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type Fence = z.infer<typeof Fence>;

// ── Packed deltas: our own client opts in with `auth: {token, packed: true}`; everyone else gets `delta`. ──
// Each moved unit is one 16-byte little-endian record (layout in docs/api.md, "Packed deltas"; written and
// read by packed-codec.ts) merged onto the client's current state of that unit; a unit whose other fields
// changed travels in `meta` in full.

export type UnitIndexEntry = [index: number, id: string];
/** The fields a packed record carries; everything else of the unit is unchanged since the client got it. */
export type PackedPosition = Pick<
  UnitState,
  'lon' | 'lat' | 'headingDeg' | 'speedMps' | 'accuracyMeters' | 't' | 'rx'
>;

export interface PackedDelta {
  epoch: string;
  /** Shared with the JSON `delta`: a packed client resyncs exactly like a JSON one. */
  seq: number;
  /** Epoch ms: a record's t = baseT + tOffset, rx = baseT − rxAge × rxStepMs. */
  baseT: number;
  rxStepMs: number;
  positions: ArrayBuffer | Uint8Array;
  /** Full states: units new to the stream, whose other fields changed, or whose values do not fit a record. */
  meta: UnitState[];
  /** Indexes assigned in this delta. */
  ids: UnitIndexEntry[];
  remove: string[];
  incidents: Incident[];
  alerts: Alert[];
  events: DomainEvent[];
  jointPatrols?: { upsert: JointPatrol[]; remove: string[] };
}

/**
 * The snapshot a packed client gets: the units its records apply to, and the epoch's index table. A large one
 * comes in parts so that no part takes the client long to parse and apply: this message carries the first,
 * and `parts` (absent: none) `snapshot:continued` messages follow at once, before any delta.
 */
export type PackedSnapshot = Snapshot & { unitIndex: UnitIndexEntry[]; parts?: number };

/** One further part of a packed snapshot: more of its units and of its index table (part 1, 2, … parts). */
export interface SnapshotContinued {
  epoch: string;
  /** The snapshot's seq: a part belongs to the snapshot with the same epoch and seq. */
  seq: number;
  part: number;
  parts: number;
  units: UnitState[];
  unitIndex: UnitIndexEntry[];
}

// ── The closed loop (issue 6): incidents, road-chief reports, photos, alerts ─────────────────────────
/** Idempotency keys: printable ASCII, the same key from the same user means the same request. */
export const IdempotencyKey = z.string().regex(/^[\x21-\x7e]{1,128}$/, 'printable ASCII, 1–128 characters');
/** A photo id is the SHA-256 of its bytes, in lowercase hex. */
export const PhotoId = z.string().regex(/^[0-9a-f]{64}$/, 'a photo id is 64 lowercase hex digits');

/** A new incident: a place as lon + lat, or a grid id, or a post id (hotline callers name a place). */
export const IncidentCreate = z
  .object({
    category: IncidentCategory,
    summary: z.string().trim().min(1).max(200),
    description: z.string().max(4000).nullish(),
    source: IncidentSource,
    reporter: z.object({ name: z.string().max(64).nullish(), phone: z.string().max(32).nullish() }).nullish(),
    lon: Lon.nullish(),
    lat: Lat.nullish(),
    gridId: EntityId.nullish(),
    postId: EntityId.nullish(),
    idempotencyKey: IdempotencyKey.nullish(),
  })
  .refine((b) => (b.lon == null) === (b.lat == null), {
    message: 'lon and lat go together',
    path: ['lon'],
  })
  .refine((b) => b.lon != null || b.gridId != null || b.postId != null, {
    message: 'give either lon and lat, or gridId, or postId',
    path: ['lon'],
  });
export type IncidentCreate = z.infer<typeof IncidentCreate>;

export const AssigneeRef = z.object({ type: z.enum(ASSIGNEE_TYPES), id: EntityId });
export type AssigneeRef = z.infer<typeof AssigneeRef>;

export const IncidentTransition = z.object({
  to: IncidentStatus,
  note: z.string().max(2000).default(''),
  assignee: AssigneeRef.nullish(),
});
export type IncidentTransition = z.infer<typeof IncidentTransition>;

export const IncidentEscalate = z.object({ note: z.string().max(2000).default('') });

export const MediationInput = z.object({
  kind: z.enum(MEDIATION_KINDS),
  settled: z.boolean(),
  note: z.string().max(2000).default(''),
});
export type MediationInput = z.infer<typeof MediationInput>;

export const FeedbackInput = z.object({
  satisfaction: z.number().int().min(1).max(5),
  note: z.string().max(2000).default(''),
});
export type FeedbackInput = z.infer<typeof FeedbackInput>;

export const AUDIT_ACTIONS = [
  'created',
  'transition',
  'escalated',
  'overdue',
  'mediation',
  'feedback',
] as const;
/** One line of an incident's append-only audit log: who, when, from, to, note. */
export const IncidentAuditEntry = z.object({
  id: z.string(),
  incidentId: z.string(),
  t: z.number(),
  actorId: z.string(),
  actorName: z.string(),
  action: z.enum(AUDIT_ACTIONS),
  from: IncidentStatus.nullable(),
  to: IncidentStatus.nullable(),
  fromLevel: IncidentLevel.nullable(),
  toLevel: IncidentLevel.nullable(),
  note: z.string(),
});
export type IncidentAuditEntry = z.infer<typeof IncidentAuditEntry>;

export const IncidentDetail = Incident.extend({ timeline: z.array(IncidentAuditEntry) });
export type IncidentDetail = z.infer<typeof IncidentDetail>;

export const REPORT_STATUSES = ['normal', 'anomaly'] as const;
export const ANOMALY_TYPES = ['smuggling', 'illegal_crossing', 'suspicious', 'damage', 'other'] as const;
export const AnomalyType = z.enum(ANOMALY_TYPES);
export type AnomalyType = z.infer<typeof AnomalyType>;

/** A road-chief report, over REST or the socket `report` command. */
export const ReportInput = z
  .object({
    segmentId: EntityId,
    status: z.enum(REPORT_STATUSES),
    anomalyType: AnomalyType.nullish(),
    lon: Lon,
    lat: Lat,
    note: z.string().max(2000).nullish(),
    photoId: PhotoId.nullish(),
    idempotencyKey: IdempotencyKey.nullish(),
  })
  .refine((r) => (r.status === 'anomaly') === (r.anomalyType != null), {
    message: 'an anomaly report needs an anomalyType, a normal one has none',
    path: ['anomalyType'],
  });
export type ReportInput = z.infer<typeof ReportInput>;

export const Report = z.object({
  id: z.string(),
  segmentId: z.string(),
  status: z.enum(REPORT_STATUSES),
  anomalyType: AnomalyType.nullable(),
  lon: z.number(),
  lat: z.number(),
  note: z.string(),
  photoId: z.string().nullable(),
  userId: z.string(),
  unitId: z.string().nullable(),
  t: z.number(),
  incidentId: z.string().nullable(),
});
export type Report = z.infer<typeof Report>;

export type ReportAck = Ack<{ id: string; incidentId: string | null }>;

/** An alert as the closed loop stores and streams it: the wire Alert plus what raised it. */
export const AlertDetail = Alert.extend({
  incidentId: z.string().nullable(),
  data: z.record(z.string(), z.unknown()),
  acknowledgedByName: z.string().nullable(),
  ackNote: z.string().nullable(),
});
export type AlertDetail = z.infer<typeof AlertDetail>;

export const AlertAckInput = z.object({ note: z.string().max(2000).nullish() });

// Declaration merging adds the closed loop's socket command to the event map above.
export interface ClientToServerEvents {
  report: (message: ReportInput, ack: (result: ReportAck) => void) => void;
}

// ── Users (issue 9): admin-managed accounts, password changes ─────────────────────────────────────────
const Username = z.string().regex(/^[\p{L}\p{N}._-]{2,64}$/u, 'letters, digits, . _ -, 2–64 characters');
export const UserCreate = z.object({
  username: Username,
  password: z.string().min(1).max(256),
  role: Role,
  unitId: EntityId.nullish(),
  segmentIds: z.array(EntityId).max(200).default([]),
  areaId: EntityId.nullish(),
  staffId: EntityId.nullish(),
});
export type UserCreate = z.infer<typeof UserCreate>;
export const UserPatch = UserCreate.omit({ password: true }).partial();
export const PasswordReset = z.object({ password: z.string().min(1).max(256) });
export const PasswordChange = z.object({
  currentPassword: z.string().min(1).max(256),
  newPassword: z.string().min(1).max(256),
});
// ── The closed loop, part 2 (issue 6): post check-ins and alarms, alert recipients and escalation ─────

/** A household post (户哨) checks in, through the road chief's tablet or a staff member; lon+lat optional. */
export const CheckinInput = z
  .object({
    lon: Lon.nullish(),
    lat: Lat.nullish(),
    note: z.string().max(2000).nullish(),
    idempotencyKey: IdempotencyKey.nullish(),
  })
  .refine((b) => (b.lon == null) === (b.lat == null), {
    message: 'lon and lat go together',
    path: ['lon'],
  });
export type CheckinInput = z.infer<typeof CheckinInput>;

/** The answer to a check-in (201): the same for a retried idempotency key. */
export const CheckinAck = z.object({ id: z.string(), postId: z.string(), t: z.number() });
export type CheckinAck = z.infer<typeof CheckinAck>;

export const Checkin = CheckinAck.extend({
  userId: z.string(),
  userName: z.string(),
  lon: z.number().nullable(),
  lat: z.number().nullable(),
  note: z.string(),
});
export type Checkin = z.infer<typeof Checkin>;

/** A post raises its alarm: it fans out to its ten-household group, the nearest unit and the grid staff. */
export const PostAlarmInput = z.object({
  note: z.string().max(2000).nullish(),
  idempotencyKey: IdempotencyKey.nullish(),
});
export type PostAlarmInput = z.infer<typeof PostAlarmInput>;

export const ALERT_RECIPIENT_TYPES = ['post', 'unit', 'staff'] as const;
export const AlertRecipientType = z.enum(ALERT_RECIPIENT_TYPES);
export type AlertRecipientType = z.infer<typeof AlertRecipientType>;

/** One addressee of an alert and whether (and by whom) it has acknowledged. */
export const AlertRecipient = z.object({
  type: AlertRecipientType,
  id: z.string(),
  name: z.string(),
  notifiedAt: z.number(),
  acknowledgedAt: z.number().nullable(),
  /** The user id that acknowledged: the recipient itself, or an operator on its behalf (onBehalf). */
  acknowledgedBy: z.string().nullable(),
  acknowledgedByName: z.string().nullable(),
  onBehalf: z.boolean(),
  note: z.string().nullable(),
});
export type AlertRecipient = z.infer<typeof AlertRecipient>;

/**
 * An alert as the closed loop stores and streams it from now on: AlertDetail plus the grid it lies in, its
 * escalation (level 0 = as raised; each escalation one up, severity one step up) and its recipients, with
 * `awaiting` the recipients that have not acknowledged yet.
 */
export const AlertRecord = AlertDetail.extend({
  gridId: z.string().nullable(),
  level: z.number().int().nonnegative(),
  escalatedAt: z.number().nullable(),
  recipients: z.array(AlertRecipient),
  awaiting: z.array(z.object({ type: AlertRecipientType, id: z.string(), name: z.string() })),
});
export type AlertRecord = z.infer<typeof AlertRecord>;

export const ALERT_LOG_ACTIONS = [
  'acknowledged',
  'cancelled',
  'escalated',
  'recipient_acknowledged',
] as const;
/** One line of an alert's append-only log. */
export const AlertLogEntry = z.object({
  id: z.string(),
  alertId: z.string(),
  t: z.number(),
  actorId: z.string(),
  actorName: z.string(),
  action: z.enum(ALERT_LOG_ACTIONS),
  fromSeverity: AlertSeverity.nullable(),
  toSeverity: AlertSeverity.nullable(),
  level: z.number().int().nullable(),
  recipient: z.object({ type: AlertRecipientType, id: z.string() }).nullable(),
  note: z.string(),
});
export type AlertLogEntry = z.infer<typeof AlertLogEntry>;

/** GET /api/alerts/:id: the alert with its log. */
export const AlertFull = AlertRecord.extend({ log: z.array(AlertLogEntry) });
export type AlertFull = z.infer<typeof AlertFull>;

export const AlertEscalateInput = z.object({ note: z.string().max(2000).nullish() });
export const RecipientAckInput = z.object({ note: z.string().max(2000).nullish() });
// ── The patrol-leader tablet (issue 8): duty and SOS ─────────────────────────────────────────────────
/** Starting or ending a patrol: on duty = the unit shares positions; off duty leaves the live picture now. */
export const DutyInput = z.object({ onDuty: z.boolean() });
export type DutyInput = z.infer<typeof DutyInput>;

/** The caller's unit as the live picture holds it: on duty while it has a fresh (not stale) fix. */
export const DutyState = z.object({
  unitId: z.string().nullable(),
  onDuty: z.boolean(),
  lastFixAt: z.number().nullable(),
});
export type DutyState = z.infer<typeof DutyState>;

/** An SOS from a signed-in user (the tablet's button): a critical `sos` alert at the given or last position. */
export const SosInput = z
  .object({
    lon: Lon.nullish(),
    lat: Lat.nullish(),
    accuracyMeters: z.number().finite().nonnegative().nullish(),
    note: z.string().max(500).nullish(),
    idempotencyKey: IdempotencyKey.nullish(),
  })
  .refine((b) => (b.lon == null) === (b.lat == null), { message: 'lon and lat go together', path: ['lon'] });
export type SosInput = z.infer<typeof SosInput>;

/** 201 with the alert raised; 200 with `duplicate: true` (and no id) for a retried idempotency key. */
export interface SosAck {
  ok: true;
  alertId: string | null;
  duplicate: boolean;
}
