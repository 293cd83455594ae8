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
export const Incident = z.object({ id: z.string(), status: z.string() }).passthrough();
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
