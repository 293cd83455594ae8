// The one validator for imported GeoJSON layers (RFC 7946 plus Lianfang's id rules).
import type { Geometry } from 'geojson';
import { findRingProblem } from './find-ring-problem';
import type { LayerKind, ValidationResult } from './types';

interface Failure {
  path: string;
  message: string;
}

type Check = Failure | null;

const ALLOWED: Record<LayerKind, readonly string[]> = {
  grids: ['Polygon', 'MultiPolygon'],
  areas: ['Polygon', 'MultiPolygon'],
  sectors: ['Polygon', 'MultiPolygon'],
  segments: ['LineString', 'MultiLineString'],
  border: ['LineString', 'MultiLineString'],
  posts: ['Point'],
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'string' ? JSON.stringify(value).slice(0, 40) : typeof value;
}

function checkPosition(value: unknown, path: string): Check {
  if (!Array.isArray(value) || value.length < 2)
    return { path, message: 'a position is [lon, lat] or [lon, lat, altitude]' };
  for (let i = 0; i < value.length; i++) {
    const n: unknown = value[i];
    if (typeof n !== 'number' || !Number.isFinite(n))
      return { path: `${path}[${i}]`, message: `expected a finite number, got ${describe(n)}` };
  }
  const [lon, lat] = value as number[];
  if ((lon as number) < -180 || (lon as number) > 180)
    return { path: `${path}[0]`, message: `longitude ${lon} is outside [-180, 180]` };
  if ((lat as number) < -90 || (lat as number) > 90)
    return { path: `${path}[1]`, message: `latitude ${lat} is outside [-90, 90]` };
  return null;
}

/** An array of at least `min` items, each passing `check`. */
function checkArray(
  value: unknown,
  path: string,
  min: number,
  what: string,
  check: (item: unknown, path: string) => Check,
): Check {
  if (!Array.isArray(value)) return { path, message: `expected an array of ${what}, got ${describe(value)}` };
  if (value.length < min) return { path, message: `expected at least ${min} ${what}, got ${value.length}` };
  for (let i = 0; i < value.length; i++) {
    const failure = check(value[i], `${path}[${i}]`);
    if (failure) return failure;
  }
  return null;
}

function checkLine(value: unknown, path: string): Check {
  return checkArray(value, path, 2, 'positions', checkPosition);
}

function checkRing(value: unknown, path: string): Check {
  const failure = checkArray(value, path, 4, 'positions (a linear ring)', checkPosition);
  if (failure) return failure;
  const ring = value as number[][];
  const first = ring[0] as number[];
  const last = ring[ring.length - 1] as number[];
  if (first.length !== last.length || first.some((n, i) => n !== last[i])) {
    return { path, message: 'a linear ring must end at its first position (closed ring)' };
  }
  return null;
}

function checkPolygon(value: unknown, path: string): Check {
  return checkArray(value, path, 1, 'linear rings', checkRing);
}

function checkCoordinates(type: string, coordinates: unknown, path: string): Check {
  switch (type) {
    case 'Point':
      return checkPosition(coordinates, path);
    case 'LineString':
      return checkLine(coordinates, path);
    case 'MultiLineString':
      return checkArray(coordinates, path, 1, 'line strings', checkLine);
    case 'Polygon':
      return checkPolygon(coordinates, path);
    case 'MultiPolygon':
      return checkArray(coordinates, path, 1, 'polygons', checkPolygon);
    default:
      return { path, message: `unsupported geometry type ${type}` };
  }
}

function checkBbox(value: unknown, path: string): Check {
  if (value === undefined) return null;
  const ok = Array.isArray(value) && (value.length === 4 || value.length === 6);
  if (!ok || !value.every((n) => typeof n === 'number' && Number.isFinite(n))) {
    return { path, message: 'bbox must be an array of 4 (or 6) finite numbers' };
  }
  return null;
}

function checkGeometry(value: unknown, path: string, kind: LayerKind): Check {
  if (!isRecord(value)) return { path, message: `expected a geometry object, got ${describe(value)}` };
  const allowed = ALLOWED[kind];
  if (typeof value['type'] !== 'string' || !allowed.includes(value['type'])) {
    return {
      path: `${path}.type`,
      message: `a ${kind} layer takes ${allowed.join(' or ')}, got ${describe(value['type'])}`,
    };
  }
  return (
    checkBbox(value['bbox'], `${path}.bbox`) ??
    checkCoordinates(value['type'], value['coordinates'], `${path}.coordinates`)
  );
}

/** The feature's id (`feature.id`, else `properties.id`): a non-empty string. */
function checkId(feature: Record<string, unknown>, path: string, seen: Map<string, string>): Check {
  const properties = feature['properties'];
  const own = 'id' in feature && feature['id'] !== undefined;
  const id = own ? feature['id'] : isRecord(properties) ? properties['id'] : undefined;
  const idPath = own ? `${path}.id` : `${path}.properties.id`;
  if (typeof id !== 'string' || id === '') {
    return {
      path: idPath,
      message: `every feature needs a non-empty string id (feature.id or properties.id), got ${describe(id)}`,
    };
  }
  const earlier = seen.get(id);
  if (earlier !== undefined)
    return { path: idPath, message: `duplicate id ${JSON.stringify(id)} (also at ${earlier})` };
  seen.set(id, path);
  return null;
}

function checkFeature(value: unknown, path: string, kind: LayerKind, seen: Map<string, string>): Check {
  if (!isRecord(value)) return { path, message: `expected a Feature object, got ${describe(value)}` };
  if (value['type'] !== 'Feature')
    return { path: `${path}.type`, message: `expected "Feature", got ${describe(value['type'])}` };
  const properties = value['properties'];
  if (properties !== null && !isRecord(properties)) {
    return {
      path: `${path}.properties`,
      message: `properties must be an object or null, got ${describe(properties)}`,
    };
  }
  return (
    checkBbox(value['bbox'], `${path}.bbox`) ??
    checkGeometry(value['geometry'], `${path}.geometry`, kind) ??
    checkId(value, path, seen)
  );
}

function check(value: unknown, kind: LayerKind): Check {
  if (!Object.hasOwn(ALLOWED, kind)) return { path: '', message: `unknown layer kind ${describe(kind)}` };
  if (!isRecord(value))
    return { path: '', message: `expected a FeatureCollection object, got ${describe(value)}` };
  if (value['type'] !== 'FeatureCollection') {
    return { path: 'type', message: `expected "FeatureCollection", got ${describe(value['type'])}` };
  }
  const failure = checkBbox(value['bbox'], 'bbox');
  if (failure) return failure;
  const features = value['features'];
  if (!Array.isArray(features))
    return { path: 'features', message: `expected an array of features, got ${describe(features)}` };
  const seen = new Map<string, string>();
  for (let i = 0; i < features.length; i++) {
    const featureFailure = checkFeature(features[i], `features[${i}]`, kind, seen);
    if (featureFailure) return featureFailure;
  }
  return null;
}

/** Self-intersections and holes outside their shell, once the structure is known to be sound. */
function checkTopology(value: unknown): Failure | null {
  const features = (value as { features: { geometry: Geometry }[] }).features;
  for (let i = 0; i < features.length; i++) {
    const geometry = features[i]?.geometry;
    if (geometry?.type !== 'Polygon' && geometry?.type !== 'MultiPolygon') continue;
    const problem = findRingProblem(geometry);
    if (problem) return { path: `features[${i}].geometry.${problem.path}`, message: problem.message };
  }
  return null;
}

/**
 * Validates an imported layer: a FeatureCollection (RFC 7946) whose geometries suit the layer kind
 * (grids, areas, sectors: Polygon or MultiPolygon; segments, border: LineString or MultiLineString;
 * posts: Point), with finite positions, lon in [-180, 180], lat in [-90, 90], lines of ≥ 2 positions,
 * closed linear rings of ≥ 4, and unique non-empty string ids (`feature.id`, else `properties.id`).
 * Returns the value typed, or the first error with its JSON path. Never throws; never half-loads.
 * Ring orientation is not enforced (RFC 7946 §3.1.6: parsers must not reject it); rings that cross
 * themselves or each other and holes outside their shell are rejected (`findRingProblem`).
 *
 * @example
 * const result = validateLayer(JSON.parse(text), 'grids');
 * if (!result.ok) console.error(`${result.error.path}: ${result.error.message}`);
 * // features[12].geometry.coordinates[0]: a linear ring must end at its first position (closed ring)
 */
export function validateLayer<K extends LayerKind>(value: unknown, kind: K): ValidationResult<K> {
  try {
    const failure = check(value, kind) ?? checkTopology(value);
    if (failure) return { ok: false, error: failure };
    return { ok: true, value: value as Extract<ValidationResult<K>, { ok: true }>['value'] };
  } catch (error) {
    // Only a hostile value (a throwing getter, a revoked proxy) gets here.
    return { ok: false, error: { path: '', message: `unreadable value: ${String(error)}` } };
  }
}
