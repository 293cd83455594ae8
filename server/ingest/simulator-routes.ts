// Builds the demo simulator's patrol routes from the scenario: border teams walk their segments back and
// forth, grid patrols loop through neighbouring grids. Deterministic for a given scenario.
import type {
  Feature,
  FeatureCollection,
  LineString,
  MultiLineString,
  MultiPolygon,
  Polygon,
  Position,
} from 'geojson';
import { labelPoint } from '../../geo';
import type { ScenarioUnit } from '../domain/scenario';

export interface Team {
  id: string;
  route: Position[];
  speedMps: number;
  memberIds: string[];
}

function featureId(feature: Feature): string {
  return String(feature.id ?? feature.properties?.id);
}

function lineCoordinates(feature: Feature | undefined): Position[] {
  if (!feature) return [];
  const geometry = feature.geometry as LineString | MultiLineString;
  return geometry.type === 'LineString' ? geometry.coordinates : geometry.coordinates.flat();
}

/** Joins segments i−1, i, i+1 into one path, so a team's patrol overlaps its neighbours'. */
function borderRoute(segments: Feature[], index: number): Position[] {
  const out: Position[] = [];
  for (const feature of segments.slice(Math.max(0, index - 1), index + 2)) {
    const coordinates = lineCoordinates(feature);
    out.push(...(out.length > 0 ? coordinates.slice(1) : coordinates));
  }
  return out;
}

function gridRoute(grids: Feature[], index: number): Position[] {
  const ring = [0, 1, 2, 3, 0].map((k) => grids[(index + k) % grids.length]).filter((g) => g !== undefined);
  return ring.map((grid) => labelPoint(grid as Feature<Polygon | MultiPolygon>));
}

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** Groups units by segment (border teams) or grid (grid patrols) and gives each group a route. */
export function planTeams(
  units: ScenarioUnit[],
  layers: { segments?: FeatureCollection; grids?: FeatureCollection },
): Team[] {
  const segments = [...(layers.segments?.features ?? [])].sort((a, b) =>
    featureId(a).localeCompare(featureId(b)),
  );
  const grids = [...(layers.grids?.features ?? [])].sort((a, b) => featureId(a).localeCompare(featureId(b)));
  const segmentIndex = new Map(segments.map((feature, i) => [featureId(feature), i]));
  const gridIndex = new Map(grids.map((feature, i) => [featureId(feature), i]));
  const teams = new Map<string, Team>();
  for (const unit of units) {
    const s = unit.segmentId ? segmentIndex.get(unit.segmentId) : undefined;
    const g = unit.gridId ? gridIndex.get(unit.gridId) : undefined;
    const key = s !== undefined ? `seg:${s}` : g !== undefined ? `grid:${g}` : null;
    if (key === null) continue;
    let team = teams.get(key);
    if (!team) {
      const route = s !== undefined ? borderRoute(segments, s) : gridRoute(grids, g ?? 0);
      if (route.length < 2) continue;
      team = { id: key, route, speedMps: 1.2 + (hash(key) % 100) / 50, memberIds: [] };
      teams.set(key, team);
    }
    team.memberIds.push(unit.id);
  }
  return [...teams.values()];
}

export { hash as hashText };
