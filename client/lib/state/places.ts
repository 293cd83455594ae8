// Named places from the scenario layers (grids with their 7+X roster, posts, border segments) as a flat list
// with one point each, and the text matching that hotline intake's type-ahead and the search box share.
import type { Feature, FeatureCollection, Geometry, MultiPolygon, Polygon, Position } from 'geojson';
import { labelPoint } from '../../../geo';

export type PlaceKind = 'grid' | 'post' | 'segment';

export interface StaffMember {
  id: string;
  name: string;
  nameEn: string;
  role: string;
}

export interface Place {
  kind: PlaceKind;
  id: string;
  name: string;
  nameEn: string;
  lon: number;
  lat: number;
  /** Grids: the 7+X roster; others: empty. */
  staff: StaffMember[];
  /** The demo region it belongs to ('dongcheng', 'pingxiang'), or '' when the layer does not say. */
  region: string;
  /** Segments: the road chief's name, when it has one. */
  roadChief: { name: string; nameEn: string } | null;
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

function toStaff(value: unknown): StaffMember[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((raw: Record<string, unknown>) =>
    typeof raw?.id === 'string'
      ? [{ id: raw.id, name: text(raw.name), nameEn: text(raw.nameEn), role: text(raw.role) }]
      : [],
  );
}

/** The vertex halfway along a line by length (a flat approximation is fine for picking a point to fly to). */
export function lineMiddle(line: readonly Position[]): Position | null {
  if (line.length === 0) return null;
  const steps = line.slice(1).map((p, i) => Math.hypot(p[0]! - line[i]![0]!, p[1]! - line[i]![1]!));
  const half = steps.reduce((a, b) => a + b, 0) / 2;
  let walked = 0;
  for (let i = 0; i < steps.length; i++) {
    walked += steps[i]!;
    if (walked >= half) return line[i + 1]!;
  }
  return line[0]!;
}

function pointOf(geometry: Geometry | null, feature: Feature): Position | null {
  if (!geometry) return null;
  switch (geometry.type) {
    case 'Point':
      return geometry.coordinates;
    case 'Polygon':
    case 'MultiPolygon':
      return labelPoint(feature as Feature<Polygon | MultiPolygon>);
    case 'LineString':
      return lineMiddle(geometry.coordinates);
    case 'MultiLineString':
      return lineMiddle(geometry.coordinates.flat());
    case 'MultiPoint':
    case 'GeometryCollection':
      return null;
  }
}

/** One place per feature with an id and a usable geometry. */
export function toPlaces(kind: PlaceKind, collection: FeatureCollection): Place[] {
  return collection.features.flatMap((feature) => {
    const props = (feature.properties ?? {}) as Record<string, unknown>;
    const id = text(props.id) || (typeof feature.id === 'string' ? feature.id : '');
    const point = pointOf(feature.geometry, feature);
    if (!id || !point) return [];
    const chief = props.roadChief as Record<string, unknown> | null | undefined;
    return [
      {
        kind,
        id,
        name: text(props.name) || id,
        nameEn: text(props.nameEn) || text(props.name) || id,
        lon: point[0]!,
        lat: point[1]!,
        region: text(props.region),
        staff: toStaff(props.staff),
        roadChief: chief ? { name: text(chief.name), nameEn: text(chief.nameEn) } : null,
      },
    ];
  });
}

/** Lower-case, no spaces: "Grid 1" matches "grid1", 第１ matches 第1 only as typed. */
export function normalize(value: string): string {
  return value.toLowerCase().replace(/\s+/g, '');
}

/** 0 exact, 1 prefix, 2 substring, null no match; the best over the given texts. */
export function matchScore(query: string, ...texts: string[]): number | null {
  const q = normalize(query);
  if (!q) return null;
  let best: number | null = null;
  for (const candidate of texts) {
    const n = normalize(candidate);
    if (!n) continue;
    const score = n === q ? 0 : n.startsWith(q) ? 1 : n.includes(q) ? 2 : null;
    if (score !== null && (best === null || score < best)) best = score;
  }
  return best;
}

/** Places matching the query, best first (exact, prefix, substring; then shorter names). */
export function matchPlaces(query: string, places: readonly Place[], limit = 8): Place[] {
  const scored: { place: Place; score: number }[] = [];
  for (const place of places) {
    const score = matchScore(query, place.name, place.nameEn, place.id);
    if (score !== null) scored.push({ place, score });
  }
  return scored
    .sort((a, b) => a.score - b.score || a.place.name.length - b.place.name.length)
    .slice(0, limit)
    .map((s) => s.place);
}
