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
  /** The same delta, packed: only to clients that connect with `auth: {token, packed: true}`. */
  'delta:packed': (delta: PackedDelta) => void;
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
// Each moved unit is one 16-byte little-endian record (layout in docs/api.md, "Packed deltas") merged onto
// the client's current state of that unit; a unit whose other fields changed travels in `meta` in full.

/** Bytes per unit in `PackedDelta.positions`. */
export const PACKED_RECORD_BYTES = 16;
/** Unit indexes are u16 and never reused within an epoch; past this, units travel in `meta` only. */
export const PACKED_MAX_INDEX = 0xfffe;
/** lon/lat as i32 fixed point: 1e-7° (about 1 cm), exact to the wire only. */
const COORD_SCALE = 1e7;
const HEADING_STEP_DEG = 1.5;
const SPEED_STEP_MPS = 0.25;
/** u8 code for null. */
const NONE = 0xff;

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

/** The snapshot a packed client gets: the units its records apply to, and the epoch's whole index table. */
export type PackedSnapshot = Snapshot & { unitIndex: UnitIndexEntry[] };

/** The record frame of a batch: baseT is the latest rx; rx ages step so that a late flush still fits a u8. */
export function packedFrame(positions: readonly PackedPosition[]): { baseT: number; rxStepMs: number } {
  if (positions.length === 0) return { baseT: 0, rxStepMs: 1 };
  let baseT = -Infinity;
  let oldest = Infinity;
  for (const { rx } of positions) {
    baseT = Math.max(baseT, rx);
    oldest = Math.min(oldest, rx);
  }
  return { baseT, rxStepMs: Math.max(1, Math.ceil((baseT - oldest) / (NONE - 1))) };
}

/** A u8 code on a grid of `step`: NONE for null, −1 when the value does not fit. */
function toCode(value: number | null, step: number): number {
  if (value === null) return NONE;
  const code = Math.round(value / step);
  return code >= 0 && code < NONE ? code : -1;
}

/** Writes one record at `offset`; false, writing nothing, when a value does not fit (the unit goes in meta). */
export function writePackedPosition(
  view: DataView,
  offset: number,
  index: number,
  position: PackedPosition,
  frame: { baseT: number; rxStepMs: number },
): boolean {
  const tOffset = position.t - frame.baseT;
  const rxAge = Math.round((frame.baseT - position.rx) / frame.rxStepMs);
  const speed = toCode(position.speedMps, SPEED_STEP_MPS);
  const accuracy = toCode(position.accuracyMeters, 1);
  if (!Number.isInteger(tOffset) || tOffset < -0x8000 || tOffset > 0x7fff) return false;
  if (speed < 0 || accuracy < 0 || rxAge < 0 || rxAge >= NONE || index > PACKED_MAX_INDEX) return false;
  const heading = position.headingDeg === null ? NONE : Math.round(position.headingDeg / HEADING_STEP_DEG) % 240;
  view.setUint16(offset, index, true);
  view.setInt32(offset + 2, Math.round(position.lon * COORD_SCALE), true);
  view.setInt32(offset + 6, Math.round(position.lat * COORD_SCALE), true);
  view.setInt16(offset + 10, tOffset, true);
  view.setUint8(offset + 12, rxAge);
  view.setUint8(offset + 13, heading);
  view.setUint8(offset + 14, speed);
  view.setUint8(offset + 15, accuracy);
  return true;
}

/** Calls `visit` with the index and position of every record, in order. */
export function readPackedPositions(
  delta: Pick<PackedDelta, 'positions' | 'baseT' | 'rxStepMs'>,
  visit: (index: number, position: PackedPosition) => void,
): void {
  const { positions, baseT, rxStepMs } = delta;
  const view = ArrayBuffer.isView(positions)
    ? new DataView(positions.buffer, positions.byteOffset, positions.byteLength)
    : new DataView(positions);
  for (let at = 0; at + PACKED_RECORD_BYTES <= view.byteLength; at += PACKED_RECORD_BYTES) {
    const heading = view.getUint8(at + 13);
    const speed = view.getUint8(at + 14);
    const accuracy = view.getUint8(at + 15);
    visit(view.getUint16(at, true), {
      lon: view.getInt32(at + 2, true) / COORD_SCALE,
      lat: view.getInt32(at + 6, true) / COORD_SCALE,
      t: baseT + view.getInt16(at + 10, true),
      rx: baseT - view.getUint8(at + 12) * rxStepMs,
      headingDeg: heading === NONE ? null : heading * HEADING_STEP_DEG,
      speedMps: speed === NONE ? null : speed * SPEED_STEP_MPS,
      accuracyMeters: accuracy === NONE ? null : accuracy,
    });
  }
}
