// Incident routing: where an incident is (grid, sector, post) and who gets it (a role in the grid's 7+X roster).
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { createLocator, labelPoint, type Locator } from '../../geo';
import type { Assignee, IncidentCategory, IncidentLevel } from '../contract';
import type { Store } from '../store/store';

/** Category → roles of the grid's 7+X roster, in order of preference. */
export const CATEGORY_ROLES: Readonly<Record<IncidentCategory, readonly string[]>> = {
  dispute: ['judicial_officer', 'grid_manager'],
  public_order: ['police_officer'],
  fire: ['firefighter'],
  safety: ['firefighter', 'supervisor'],
  environment: ['supervisor'],
  food_drug: ['supervisor'],
  smuggling: ['police_officer'],
  illegal_crossing: ['police_officer'],
  petition: ['party_secretary'],
  other: ['grid_manager'],
};
/** When the grid has nobody in the preferred roles: its manager, then its secretary, then anyone on it. */
const FALLBACK_ROLES = ['grid_manager', 'party_secretary', 'assistant'];
/** Road-chief reports go to the police first: "police manage the sector". */
export const REPORT_ROLES = ['police_officer'];

export interface RoutingLayers {
  grids: FeatureCollection;
  areas: FeatureCollection;
  sectors: FeatureCollection;
  posts: FeatureCollection;
  segments: FeatureCollection;
}

export interface StaffMember {
  id: string;
  name: string;
  role: string;
  gridId: string;
}

export interface Place {
  lon: number;
  lat: number;
  gridId: string | null;
  sectorId: string | null;
  postId: string | null;
  segmentId: string | null;
}

export interface Routed extends Place {
  level: IncidentLevel;
  assignee: Assignee | null;
}

export interface SegmentInfo {
  id: string;
  name: string;
  roadChief: { id: string; name: string; unitId: string | null } | null;
  /** A vertex near the middle of the line: where a segment's alerts are drawn. */
  midpoint: [number, number];
  reportIntervalMs: number | null;
}

export class RoutingError extends Error {}

export interface Router {
  /** The place named by coordinates, a grid id or a post id; RoutingError for an unknown grid or post. */
  place(input: {
    lon?: number | null;
    lat?: number | null;
    gridId?: string | null;
    postId?: string | null;
  }): Place;
  /** Level and assignee for an incident of this category at this place. */
  route(category: IncidentCategory, place: Place, preferRoles?: readonly string[]): Routed;
  /** The place of a road-chief report: its point, falling back to the segment's middle when outside grids. */
  placeReport(segment: SegmentInfo, lon: number, lat: number): Place;
  segment(id: string): SegmentInfo | null;
  segments(): SegmentInfo[];
  staff(id: string): StaffMember | null;
  /** A grid's 7+X roster, in layer order (empty for an unknown grid). */
  roster(gridId: string): StaffMember[];
  /** The area a grid belongs to at a level (its community, subdistrict, district), or null. */
  areaAt(gridId: string | null, level: IncidentLevel): { id: string; name: string } | null;
  /** Every grid inside an area (or the grid itself, when given a grid id). */
  gridsUnder(areaId: string): string[];
  /** Residents and households of a grid or area, as its layer properties give them (null when absent). */
  population(id: string): { residents: number | null; households: number | null } | null;
  /** The segments whose middle lies in one of these grids. */
  segmentsIn(gridIds: readonly string[]): SegmentInfo[];
}

const idOf = (f: Feature): string => String(f.id ?? f.properties?.id);
const polygons = (fc: FeatureCollection) => fc as FeatureCollection<Polygon | MultiPolygon>;

function indexStaff(grids: FeatureCollection): Map<string, StaffMember[]> {
  const byGrid = new Map<string, StaffMember[]>();
  for (const grid of grids.features) {
    const roster = (grid.properties?.staff ?? []) as { id?: unknown; name?: unknown; role?: unknown }[];
    const gridId = idOf(grid);
    byGrid.set(
      gridId,
      roster.map((s) => ({ id: String(s.id), name: String(s.name), role: String(s.role), gridId })),
    );
  }
  return byGrid;
}

/** The roster member for the first matching role; anybody on the roster as a last resort. */
export function pickStaff(roster: readonly StaffMember[], roles: readonly string[]): StaffMember | null {
  for (const role of [...roles, ...FALLBACK_ROLES]) {
    const member = roster.find((s) => s.role === role);
    if (member) return member;
  }
  return roster[0] ?? null;
}

function toSegment(f: Feature): SegmentInfo {
  const coords = (f.geometry.type === 'LineString' ? f.geometry.coordinates : []) as number[][];
  const middle = coords[Math.floor(coords.length / 2)] ?? [0, 0];
  const chief = f.properties?.roadChief as { id?: string; name?: string; unitId?: string | null } | undefined;
  const interval = Number(f.properties?.reportIntervalMs);
  return {
    id: idOf(f),
    name: String(f.properties?.name ?? idOf(f)),
    roadChief: chief
      ? { id: String(chief.id), name: String(chief.name), unitId: chief.unitId ?? null }
      : null,
    midpoint: [Number(middle[0]), Number(middle[1])],
    reportIntervalMs: Number.isFinite(interval) && interval > 0 ? interval : null,
  };
}

function representativePoint(feature: Feature): [number, number] {
  const [lon, lat] = labelPoint(feature as Feature<Polygon | MultiPolygon>);
  return [Number(lon), Number(lat)];
}

const count = (value: unknown): number | null =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : null;

function areaIndex(layers: RoutingLayers) {
  type Node = {
    name: string;
    level: string;
    parentId: string | null;
    residents: number | null;
    households: number | null;
  };
  const nodes = new Map<string, Node>();
  for (const f of [...layers.areas.features, ...layers.grids.features]) {
    const parent = f.properties?.parentId as string | null | undefined;
    nodes.set(idOf(f), {
      name: String(f.properties?.name ?? idOf(f)),
      level: String(f.properties?.level ?? 'grid'),
      parentId: parent ?? null,
      residents: count(f.properties?.residents),
      households: count(f.properties?.households),
    });
  }
  const ancestors = (id: string): string[] => {
    const chain: string[] = [];
    for (let at: string | null = id; at && !chain.includes(at); at = nodes.get(at)?.parentId ?? null)
      chain.push(at);
    return chain;
  };
  return { nodes, ancestors };
}

export function createRouter(layers: RoutingLayers): Router {
  const gridLocator: Locator = createLocator(polygons(layers.grids));
  const sectorLocator: Locator = createLocator(polygons(layers.sectors));
  const grids = new Map(layers.grids.features.map((f) => [idOf(f), f]));
  const posts = new Map(layers.posts.features.map((f) => [idOf(f), f]));
  const segments = new Map(layers.segments.features.map((f) => [idOf(f), toSegment(f)]));
  const rosters = indexStaff(layers.grids);
  const staff = new Map([...rosters.values()].flat().map((s) => [s.id, s]));
  const { nodes, ancestors } = areaIndex(layers);

  const at = (lon: number, lat: number, extra: Partial<Place> = {}): Place => ({
    lon,
    lat,
    gridId: gridLocator.locate(lon, lat),
    sectorId: sectorLocator.locate(lon, lat),
    postId: null,
    segmentId: null,
    ...extra,
  });

  const placeAtPost = (postId: string): Place => {
    const post = posts.get(postId);
    if (!post || post.geometry.type !== 'Point') throw new RoutingError(`postId: no post ${postId}`);
    const [lon, lat] = post.geometry.coordinates as [number, number];
    const place = at(lon, lat, { postId });
    const fallbackGrid = post.properties?.gridId as string | null | undefined;
    return place.gridId || !fallbackGrid ? place : { ...place, gridId: fallbackGrid };
  };

  return {
    place(input) {
      if (input.postId) return placeAtPost(input.postId);
      if (input.lon != null && input.lat != null) return at(input.lon, input.lat);
      const grid = input.gridId ? grids.get(input.gridId) : undefined;
      if (!grid) throw new RoutingError(`gridId: no grid ${input.gridId ?? ''}`);
      const [lon, lat] = representativePoint(grid);
      return at(lon, lat, { gridId: idOf(grid) });
    },
    route(category, place, preferRoles = []) {
      if (!place.gridId) return { ...place, level: 'city', assignee: null };
      const member = pickStaff(rosters.get(place.gridId) ?? [], [
        ...preferRoles,
        ...CATEGORY_ROLES[category],
      ]);
      if (!member) return { ...place, level: 'community', assignee: null };
      return { ...place, level: 'grid', assignee: { type: 'staff', id: member.id, name: member.name } };
    },
    placeReport(segment, lon, lat) {
      const place = at(lon, lat, { segmentId: segment.id });
      const [mLon, mLat] = segment.midpoint;
      return {
        ...place,
        gridId: place.gridId ?? gridLocator.locate(mLon, mLat),
        sectorId: place.sectorId ?? sectorLocator.locate(mLon, mLat),
      };
    },
    segment: (id) => segments.get(id) ?? null,
    segments: () => [...segments.values()],
    staff: (id) => staff.get(id) ?? null,
    roster: (gridId) => [...(rosters.get(gridId) ?? [])],
    areaAt(gridId, level) {
      if (!gridId) return null;
      const id = ancestors(gridId).find((a) => nodes.get(a)?.level === level);
      const node = id ? nodes.get(id) : undefined;
      return id && node ? { id, name: node.name } : null;
    },
    gridsUnder: (areaId) => [...grids.keys()].filter((gridId) => ancestors(gridId).includes(areaId)),
    population(id) {
      const node = nodes.get(id);
      return node ? { residents: node.residents, households: node.households } : null;
    },
    segmentsIn(gridIds) {
      const wanted = new Set(gridIds);
      return [...segments.values()].filter((s) => wanted.has(gridLocator.locate(...s.midpoint) ?? ''));
    },
  };
}

const EMPTY: FeatureCollection = { type: 'FeatureCollection', features: [] };

/** Builds the router from the store's current layers (call again when a layer changes). */
export async function loadRouter(store: Store): Promise<Router> {
  const layer = async (kind: keyof RoutingLayers): Promise<FeatureCollection> =>
    (await store.layers.get(kind))?.collection ?? EMPTY;
  return createRouter({
    grids: await layer('grids'),
    areas: await layer('areas'),
    sectors: await layer('sectors'),
    posts: await layer('posts'),
    segments: await layer('segments'),
  });
}
