// Builds one region's grid hierarchy bottom-up: Voronoi grids tiling the outline, grids clustered into
// contiguous communities, communities into contiguous subdistricts grown from named seed locations.
// Community and subdistrict geometry is the union of their grids; the district is the real outline.
import * as turf from '@turf/turf';
import type { Feature, Position } from 'geojson';
import { balanceClusters, growClusters, kmeansSeeds, nearestDistinct, type Node } from './cluster';
import { feature, pad, type Area } from './geometry';
import type { Name } from './names';
import { createRng, type Rng } from './prng';
import { staffRoster, type StaffMember } from './staff';
import { adjacency, mergeStrayPieces, tessellate } from './tessellate';

export type Region = 'dongcheng' | 'pingxiang';
export type Level = 'district' | 'subdistrict' | 'community' | 'grid';

export interface AreaProps {
  id: string;
  name: string;
  nameEn: string;
  level: Level;
  parentId: string | null;
  region: Region;
  households: number;
  residents: number;
  [key: string]: unknown;
}

export interface GridProps extends AreaProps {
  level: 'grid';
  parentId: string;
  staff: StaffMember[];
}

export interface SubdistrictSpec extends Name {
  /** Approximate location the subdistrict grows from (WGS-84). */
  center: Position;
}

export interface RegionSpec {
  region: Region;
  prefix: string;
  outline: Area;
  district: Name;
  subdistricts: SubdistrictSpec[];
  communityCount: number;
  gridCount: number;
  lloydIterations: number;
  /** Names the n-th (1-based) community of a subdistrict. Called in id order. */
  communityName(sub: SubdistrictSpec, n: number): Name;
  gridName(community: Name, n: number): Name;
  households(rng: Rng, at: Position): number;
  residentsPerHousehold: readonly [number, number];
}

export interface RegionLayers {
  areas: Feature<Area, AreaProps>[];
  grids: Feature<Area, GridProps>[];
}

function unionOf(geoms: Area[]): Area {
  if (geoms.length === 1) return geoms[0] as Area;
  const u = turf.union(turf.featureCollection(geoms.map((g) => turf.feature(g))));
  if (!u) throw new Error('union of cells is empty');
  return u.geometry;
}

/** Groups member indices by cluster, each list in reading order (north to south, then west to east). */
function membersByCluster(clusterOf: readonly number[], k: number, at: (i: number) => Position): number[][] {
  const lists: number[][] = Array.from({ length: k }, () => []);
  clusterOf.forEach((c, i) => lists[c]?.push(i));
  const key = (i: number): Position => at(i);
  for (const l of lists)
    l.sort((a, b) => {
      const pa = key(a);
      const pb = key(b);
      return (pb[1] as number) - (pa[1] as number) || (pa[0] as number) - (pb[0] as number);
    });
  return lists;
}

function meanOf(points: readonly Position[]): Position {
  const sx = points.reduce((s, p) => s + (p[0] as number), 0);
  const sy = points.reduce((s, p) => s + (p[1] as number), 0);
  return [sx / points.length, sy / points.length];
}

/** Union-find over "the centroid of grid a lies in grid b". */
function glueGroups(geoms: readonly Area[]): { groupOf: number[]; groups: number[][] } {
  const parent = geoms.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] as number;
    return i;
  };
  geoms.forEach((g, i) => {
    const c = turf.centroid(g);
    if (turf.booleanPointInPolygon(c, g)) return;
    const j = geoms.findIndex((h, k) => k !== i && turf.booleanPointInPolygon(c, h));
    if (j >= 0) parent[find(i)] = find(j);
  });
  const index = new Map<number, number>();
  const groups: number[][] = [];
  const groupOf = geoms.map((_, i) => {
    const root = find(i);
    let k = index.get(root);
    if (k === undefined) {
      k = groups.length;
      index.set(root, k);
      groups.push([]);
    }
    groups[k]?.push(i);
    return k;
  });
  return { groupOf, groups };
}

export function buildRegion(spec: RegionSpec): RegionLayers {
  if (spec.outline.type !== 'Polygon') throw new Error('outline must be a single polygon');
  const { region, prefix } = spec;
  const cells = mergeStrayPieces(
    tessellate(spec.outline, spec.gridCount, createRng(`${region}:tessellate`), spec.lloydIterations),
  );
  const cosLat = Math.cos(((cells[0]?.center[1] ?? 0) * Math.PI) / 180);
  const planar = (p: Position): Position => [(p[0] as number) * cosLat, p[1] as number];

  // grids → communities. A grid whose centroid falls in a neighbour (an L-shaped cell at the outline) is
  // glued to that neighbour so both land in the same community.
  const gridAdj = adjacency(cells.map((c) => c.geometry));
  const glue = glueGroups(cells.map((c) => c.geometry));
  const groupAdj = glue.groups.map((members) => {
    const s = new Set<number>();
    for (const g of members) for (const h of gridAdj[g] ?? []) s.add(glue.groupOf[h] as number);
    return [...s].filter((x) => x !== glue.groupOf[members[0] as number]).sort((a, b) => a - b);
  });
  const groupNodes: Node[] = glue.groups.map((members) => {
    const pts = members.map((g) => planar((cells[g] as { center: Position }).center));
    return { at: meanOf(pts), weight: members.length };
  });
  const commSeeds = kmeansSeeds(groupNodes, spec.communityCount, createRng(`${region}:community-seeds`));
  const commOfGroup = balanceClusters(groupNodes, groupAdj, growClusters(groupNodes, groupAdj, commSeeds, 2));
  const commOfGrid = cells.map((_, g) => commOfGroup[glue.groupOf[g] as number] as number);
  const gridNodes: Node[] = cells.map((c) => ({ at: planar(c.center), weight: 1 }));
  const gridsOfComm = membersByCluster(commOfGrid, spec.communityCount, (i) => cells[i]?.center ?? [0, 0]);

  // communities → subdistricts (seeded at the named subdistricts' approximate locations)
  const commNodes: Node[] = gridsOfComm.map((members) => ({
    at: meanOf(members.map((i) => (gridNodes[i] as Node).at)),
    weight: 1,
  }));
  const commAdjSets = commNodes.map(() => new Set<number>());
  gridAdj.forEach((nbs, g) =>
    nbs.forEach((h) => {
      const a = commOfGrid[g] as number;
      const b = commOfGrid[h] as number;
      if (a !== b) commAdjSets[a]?.add(b);
    }),
  );
  const commAdj = commAdjSets.map((s) => [...s].sort((x, y) => x - y));
  const subSeeds = nearestDistinct(
    commNodes,
    spec.subdistricts.map((s) => planar(s.center)),
  );
  const subOfComm = growClusters(commNodes, commAdj, subSeeds, 1);
  const commsOfSub = membersByCluster(subOfComm, spec.subdistricts.length, (i) => {
    const p = commNodes[i]?.at ?? [0, 0];
    return [(p[0] as number) / cosLat, p[1] as number];
  });

  const areas: Feature<Area, AreaProps>[] = [];
  const grids: Feature<Area, GridProps>[] = [];
  const districtId = `${prefix}-district`;
  const district = feature<Area, AreaProps>(spec.outline, {
    id: districtId,
    name: spec.district.zh,
    nameEn: spec.district.en,
    level: 'district',
    parentId: null,
    region,
    households: 0,
    residents: 0,
  });
  areas.push(district);
  const hhRng = createRng(`${region}:households`);
  let commNo = 0;
  let gridNo = 0;
  spec.subdistricts.forEach((sub, s) => {
    const subId = `${prefix}-subdistrict-${pad(s + 1, 2)}`;
    const subFeature = feature<Area, AreaProps>(spec.outline, {
      id: subId,
      name: sub.zh,
      nameEn: sub.en,
      level: 'subdistrict',
      parentId: districtId,
      region,
      households: 0,
      residents: 0,
    });
    areas.push(subFeature);
    const commGeoms: Area[] = [];
    (commsOfSub[s] ?? []).forEach((c, n) => {
      commNo++;
      const commId = `${prefix}-community-${pad(commNo, 3)}`;
      const commName = spec.communityName(sub, n + 1);
      const members = gridsOfComm[c] ?? [];
      const geoms = members.map((g) => (cells[g] as { geometry: Area }).geometry);
      const commGeom = unionOf(geoms);
      commGeoms.push(commGeom);
      const commFeature = feature<Area, AreaProps>(commGeom, {
        id: commId,
        name: commName.zh,
        nameEn: commName.en,
        level: 'community',
        parentId: subId,
        region,
        households: 0,
        residents: 0,
      });
      areas.push(commFeature);
      members.forEach((g, k) => {
        gridNo++;
        const cell = cells[g] as { geometry: Area; center: Position };
        const gridId = `${prefix}-grid-${pad(gridNo, 3)}`;
        const gname = spec.gridName(commName, k + 1);
        const households = spec.households(hhRng, cell.center);
        const residents = Math.round(households * hhRng.range(...spec.residentsPerHousehold));
        grids.push(
          feature<Area, GridProps>(cell.geometry, {
            id: gridId,
            name: gname.zh,
            nameEn: gname.en,
            level: 'grid',
            parentId: commId,
            region,
            households,
            residents,
            staff: staffRoster(gridId, createRng(`${gridId}:staff`), region),
          }),
        );
        for (const f of [commFeature, subFeature, district]) {
          f.properties.households += households;
          f.properties.residents += residents;
        }
      });
    });
    subFeature.geometry = unionOf(commGeoms);
  });
  return { areas, grids };
}
