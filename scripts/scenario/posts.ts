// Household posts (户哨): 265 households on the Chinese side within 0.25–3 km of the border line, in hamlets
// strung along it, grouped into ten-household joint-defense groups (十户联防) of consecutive posts.
import * as turf from '@turf/turf';
import type { Feature, LineString, Point, Polygon, Position } from 'geojson';
import { feature, pad, polygonsOf, roundGeometry, type Area } from './geometry';
import { distanceKm, inland, locateKm } from './linear';
import { personName } from './names';
import { createRng } from './prng';

export type PostType = 'household' | 'checkpoint' | 'police_station' | 'trade_point';

export interface PostProps {
  id: string;
  type: PostType;
  name: string;
  nameEn: string;
  region: 'dongcheng' | 'pingxiang';
  /** True where the position is illustrative (every facility; households are generated anyway). */
  approximate: boolean;
  householdHead: string | null;
  householdHeadEn: string | null;
  groupId: string | null;
  groupName: string | null;
  groupNameEn: string | null;
  segmentId: string | null;
  gridId: string | null;
  [key: string]: unknown;
}

export interface Locators {
  segmentAt(p: Position): string | null; // nearest segment
  gridAt(p: Position): string | null; // containing grid
  gridNear(p: Position): string | null; // containing grid, else the grid whose boundary is nearest (points on the outline)
}

export function makeLocators(
  segments: readonly Feature<LineString, { id: string }>[],
  grids: readonly Feature<Area, { id: string }>[],
): Locators {
  const gridAt = (p: Position): string | null =>
    grids.find((g) => turf.booleanPointInPolygon(p, g))?.properties.id ?? null;
  return {
    segmentAt: (p) => {
      let best: string | null = null;
      let bestKm = Infinity;
      for (const s of segments) {
        const d = distanceKm(p, s);
        if (d < bestKm) [best, bestKm] = [s.properties.id, d];
      }
      return best;
    },
    gridAt,
    gridNear: (p) => {
      const inside = gridAt(p);
      if (inside !== null || grids.length === 0) return inside;
      const ringKm = (g: Feature<Area, { id: string }>): number =>
        Math.min(...polygonsOf(g.geometry).map((rings) => distanceKm(p, rings[0] ?? [])));
      return [...grids].sort((a, b) => ringKm(a) - ringKm(b))[0]?.properties.id ?? null;
    },
  };
}

export const HOUSEHOLD_POSTS = 265;
export const JOINT_DEFENSE_GROUPS = 27;
export const POST_MIN_KM = 0.25;
export const POST_MAX_KM = 2.8;

export function buildHouseholdPosts(
  border: Feature<LineString>,
  outline: Polygon,
  loc: Locators,
): Feature<Point, PostProps>[] {
  const rng = createRng('pingxiang:household-posts');
  const total = turf.length(border);
  const spacing = total / JOINT_DEFENSE_GROUPS;
  const posts: Feature<Point, PostProps>[] = [];
  for (let g = 0; g < JOINT_DEFENSE_GROUPS; g++) {
    const size =
      Math.floor(((g + 1) * HOUSEHOLD_POSTS) / JOINT_DEFENSE_GROUPS) -
      Math.floor((g * HOUSEHOLD_POSTS) / JOINT_DEFENSE_GROUPS);
    const km = (g + 0.5) * spacing + rng.range(-0.25, 0.25) * spacing;
    const hamlet = inland(border, km, rng.range(0.8, 1.6), outline, 0.6);
    const members: Position[] = [];
    for (let tries = 0; members.length < size; tries++) {
      if (tries > 5000) throw new Error(`hamlet ${g + 1}: no room for its households`);
      const p = turf.destination(hamlet, 0.6 * Math.sqrt(rng.next()), rng.range(-180, 180)).geometry
        .coordinates;
      const rounded = (roundGeometry({ type: 'Point', coordinates: p }) as Point).coordinates;
      const d = distanceKm(rounded, border);
      if (d >= POST_MIN_KM && d <= POST_MAX_KM && turf.booleanPointInPolygon(rounded, outline))
        members.push(rounded);
    }
    members.sort((a, b) => locateKm(border, a) - locateKm(border, b));
    const groupId = `px-jdg-${pad(g + 1, 2)}`;
    for (const p of members) {
      const n = posts.length + 1;
      const head = personName(rng, 'pingxiang');
      posts.push(
        feature<Point, PostProps>(
          { type: 'Point', coordinates: p },
          {
            id: `px-post-${pad(n, 3)}`,
            type: 'household',
            name: `${head.zh}户哨`,
            nameEn: `${head.en} household post`,
            region: 'pingxiang',
            approximate: true,
            householdHead: head.zh,
            householdHeadEn: head.en,
            groupId,
            groupName: `十户联防第${g + 1}组`,
            groupNameEn: `Ten-household joint defense group ${g + 1}`,
            segmentId: loc.segmentAt(p),
            gridId: loc.gridAt(p),
          },
        ),
      );
    }
  }
  return posts;
}
