// Shared types of the geo engine: layers, classification, fences, joint patrols, coverage, validation.
import type {
  Feature,
  FeatureCollection,
  LineString,
  MultiLineString,
  MultiPolygon,
  Point,
  Polygon,
  Position,
} from 'geojson';

/** A polygon layer (grids, areas, sectors): every feature has a string id (`feature.id` or `properties.id`). */
export type PolygonLayer = FeatureCollection<Polygon | MultiPolygon>;

/** A line layer (border segments, the border line). */
export type LineLayer = FeatureCollection<LineString | MultiLineString>;

/** Anything that describes lines: a layer, one feature, or a bare geometry. */
export type LineInput = LineLayer | Feature<LineString | MultiLineString> | LineString | MultiLineString;

/** The kinds of layer the importer knows; each allows certain geometry types. */
export type LayerKind = 'grids' | 'areas' | 'sectors' | 'segments' | 'border' | 'posts';

/** Geometry allowed for each layer kind. */
export interface LayerGeometry {
  grids: Polygon | MultiPolygon;
  areas: Polygon | MultiPolygon;
  sectors: Polygon | MultiPolygon;
  segments: LineString | MultiLineString;
  border: LineString | MultiLineString;
  posts: Point;
}

/** Result of `validateLayer`: the validated collection, or the first error with its JSON path. */
export type ValidationResult<K extends LayerKind> =
  | { ok: true; value: FeatureCollection<LayerGeometry[K]> }
  | { ok: false; error: { path: string; message: string } };

/** Polygons packed into flat typed arrays (coordinates stay float64, unrounded). */
export interface FlatPolygons {
  /** x0, y0, x1, y1, … for every ring vertex, rings closed as in the input. */
  coords: Float64Array;
  /** Vertex index where ring r starts; length = rings + 1. */
  ringStarts: Uint32Array;
  /** Ring index where polygon p starts; length = polygons + 1. */
  polygonRings: Uint32Array;
  /** minX, minY, maxX, maxY per polygon. */
  polygonBoxes: Float64Array;
  /** Polygon index where feature f starts; length = features + 1. */
  featurePolygons: Uint32Array;
  /** minX, minY, maxX, maxY per feature (empty features get an inverted box). */
  featureBoxes: Float64Array;
  /** Feature ids in input order. */
  ids: string[];
}

/** Point location: which polygon of a layer holds a point. */
export interface Locator {
  /** Id of the lowest-index feature whose closed polygon holds the point, or null. */
  locate(lon: number, lat: number): string | null;
}

/** Nearest line found by a line index. */
export interface NearestLine {
  featureIndex: number;
  /** Its id (feature.id, else properties.id, else the index as a string). */
  id: string;
  distanceMeters: number;
  /** Metres along the feature (parts of a MultiLineString follow one another) of the closest point. */
  alongMeters: number;
  /** Index of the part (0 for a LineString). */
  partIndex: number;
}

export interface LineIndex {
  /** The nearest line within `maxMeters` (default unlimited), ties to the lowest feature index. */
  nearest(lon: number, lat: number, maxMeters?: number): NearestLine | null;
  /** Every feature part within `maxMeters`, each with its own closest point, in feature/part order. */
  within(lon: number, lat: number, maxMeters: number): NearestLine[];
  /** Id of each feature, in input order. */
  readonly ids: readonly string[];
  /** Length in metres of each feature (all parts). */
  readonly lengthsMeters: Float64Array;
}

/** Options of `createClassifier`. */
export interface ClassifierOptions {
  grids: PolygonLayer;
  sectors: PolygonLayer;
  segments: LineLayer;
  borderLine: LineInput | null;
  /** Width of the border zone; default 500 (DOMAIN.md, BORDER_ZONE_M). */
  borderZoneMeters?: number;
  /** Border distance is reported only up to this; farther fixes get null. Default: unlimited. */
  maxBorderDistanceMeters?: number;
}

/** Where a fix lies: grid, police sector, border segment and border distance. */
export interface Classification {
  gridId: string | null;
  sectorId: string | null;
  /** The nearest border segment while within the border zone, else null. */
  segmentId: string | null;
  /** Distance to the border line; null without a border line or beyond `maxBorderDistanceMeters`. */
  borderDistanceMeters: number | null;
  inBorderZone: boolean;
}

export interface Classifier {
  classify(lon: number, lat: number): Classification;
}

export type UnitKind = 'military' | 'police' | 'civilian';

/** Fence geometry: a circle, a polygon, or a corridor of `widthMeters` total width around a line. */
export type FenceShape =
  | { type: 'circle'; center: Position; radiusMeters: number }
  | { type: 'polygon'; geometry: Polygon | MultiPolygon }
  | { type: 'corridor'; line: LineString | MultiLineString; widthMeters: number };

/** Tile38 detect names. */
export type FenceDetect = 'enter' | 'exit' | 'inside' | 'outside';

/** A geofence with the parameters of PROTOCOLS.md (names carry their units). */
export interface Fence {
  id: string;
  shape: FenceShape;
  /** PROTOCOLS `enterBuffer`: negative shrinks the fence for entering. Default 0. */
  enterBufferMeters?: number;
  /** PROTOCOLS `exitBuffer`: positive grows the fence for exiting. Default 0. */
  exitBufferMeters?: number;
  /** Time a subject must stay in before `enter` commits. Default 0. */
  dwellEnterMs?: number;
  /** Time a subject must stay out before `exit` commits. Default 0. */
  dwellExitMs?: number;
  /** PROTOCOLS `maxAccuracy`: fixes worse than this cannot enter. Default 100. */
  maxAccuracyMeters?: number;
  /** No fix for this long makes the state UNKNOWN. Default 120000 (UNIT_STALE_MS). */
  staleMs?: number;
  /** Which detections produce events. Default ['enter', 'exit']. */
  detect?: readonly FenceDetect[];
}

/** Fence states of PROTOCOLS.md. */
export type FenceStatus = 'OUTSIDE' | 'ENTERING' | 'INSIDE' | 'EXITING' | 'UNKNOWN';

/** A fix as the fence reducer sees it; `accuracyMeters` null or absent counts as 0. */
export interface FenceFix {
  lon: number;
  lat: number;
  accuracyMeters?: number | null;
  t: number;
}

/** A clock tick: lets a dwell commit, or the state go stale, while the device is silent. */
export interface FenceTick {
  now: number;
}

/** State of one (subject, fence) pair. Plain data: store it, compare it, replay it. */
export interface FenceState {
  subjectId: string;
  status: FenceStatus;
  /** Last committed side; UNKNOWN keeps it so that resuming never invents an enter or an exit. */
  committed: 'inside' | 'outside' | null;
  /** Time of the first fix on the new side while ENTERING or EXITING. */
  pendingSince: number | null;
  /** Current visit id while inside, `${fenceId}:${subjectId}:${enteredAt}`. */
  visitId: string | null;
  lastFix: { lon: number; lat: number; accuracyMeters: number; t: number } | null;
}

/** A fence event; `type` is the Lianfang event type, `detect` the Tile38 name. */
export interface FenceEvent {
  type: 'fence.entered' | 'fence.exited' | 'fence.inside' | 'fence.outside';
  detect: FenceDetect;
  fenceId: string;
  subjectId: string;
  visitId: string | null;
  /** When the detection happened: the fix time, or the end of the dwell. */
  t: number;
  lon: number;
  lat: number;
}

export interface FenceStep {
  state: FenceState;
  events: FenceEvent[];
}

/** A unit position as the joint-patrol detector sees it. */
export interface PatrolUnit {
  id: string;
  kind: UnitKind;
  lon: number;
  lat: number;
  t: number;
}

/** A joint patrol: units of two or more kinds moving together. */
export interface JointPatrol {
  id: string;
  /** Sorted member ids. */
  memberIds: string[];
  /** Kinds of the members, in the order military, police, civilian. */
  kinds: UnitKind[];
  /** Mean position of the members currently with the group. */
  lon: number;
  lat: number;
  formedAt: number;
}

/** A joint-patrol event; `mergedInto` is set when a patrol dissolved into an older one. */
export interface JointPatrolEvent {
  type: 'joint.formed' | 'joint.changed' | 'joint.dissolved';
  patrol: JointPatrol;
  t: number;
  mergedInto?: string;
}

/** Options of the joint-patrol detector (DOMAIN.md "Detection defaults"). */
export interface JointPatrolOptions {
  /** Link distance for forming and joining. Default 50. */
  radiusMeters?: number;
  /** Time two units must stay linked before they form a patrol. Default 60000. */
  formMs?: number;
  /** Time a unit must stay linked to a patrol before it joins. Default: formMs. */
  joinMs?: number;
  /** A member farther than this from the rest of its patrol is detached. Default 100. */
  leaveRadiusMeters?: number;
  /** A detached member leaves after this long. Default 120000. */
  leaveMs?: number;
  /** A patrol with fewer than two kinds still together dissolves after this long. Default 120000. */
  dissolveMs?: number;
}

/** The stateful joint-patrol detector; time comes only from the arguments. */
export interface JointPatrolDetector {
  update(units: readonly PatrolUnit[], now: number): { patrols: JointPatrol[]; events: JointPatrolEvent[] };
}

/** Options of the coverage tracker (DOMAIN.md "Detection defaults"). */
export interface CoverageOptions {
  /** Half-width of a segment's corridor. Default 50. */
  corridorMeters?: number;
  /** Coverage counts fix pairs in this window. Default 24 h. */
  windowMs?: number;
  /** A segment is overdue when last patrolled longer ago than this. Default 12 h. */
  overdueMs?: number;
  /** Consecutive fixes further apart in time do not cover anything. Default 10 min. */
  maxGapMs?: number;
  /** Adjacent covered stretches whose times differ less than this are merged. Default windowMs / 288. */
  resolutionMs?: number;
}

/** Coverage of one segment. */
export interface SegmentCoverage {
  segmentId: string;
  coveredFraction: number;
  coveredMeters: number;
  lengthMeters: number;
  lastPatrolledAt: number | null;
  overdue: boolean;
}

/** Tracks which segments were patrolled, and when. */
export interface CoverageTracker {
  /** Feeds one fix; returns the ids of the segments this fix pair covered (empty if none). */
  addFix(unitId: string, lon: number, lat: number, t: number, kind?: UnitKind): string[];
  report(now: number): SegmentCoverage[];
}

/** A place that must be watched: a grid or a segment, with the kinds required there. */
export interface WatchedArea {
  id: string;
  /** Kinds of which at least one unit each must be present; empty or absent = any unit. */
  requiredKinds?: readonly UnitKind[];
}

/** A coverage void: a watched area with no unit of a required kind for too long. */
export interface CoverageVoid {
  areaId: string;
  /** The missing kind, or 'any' when the area requires no particular kind. */
  kind: UnitKind | 'any';
  /** Last time such a unit was seen there, null if never. */
  lastSeenAt: number | null;
}

/** Tracks presence per watched area and kind. */
export interface VoidTracker {
  /** Records that a unit of `kind` was in `areaId` at time t. */
  observe(areaId: string, kind: UnitKind, t: number): void;
  /** Areas and kinds not seen for longer than `voidMs` before `now`. */
  report(now: number): CoverageVoid[];
}
