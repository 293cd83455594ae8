// The unit roster (军警民): border-company patrols, border police and checkpoint teams, militia, villager
// patrol teams and one unit per road chief in Pingxiang; community police and volunteer patrols in Dongcheng.
import type { Feature, LineString, Point } from 'geojson';
import * as turf from '@turf/turf';
import { pad, type Area } from './geometry';
import type { GridProps } from './hierarchy';
import { personName } from './names';
import type { Locators, PostProps } from './posts';
import { createRng } from './prng';
import type { SegmentProps } from './segments';

export type UnitKind = 'military' | 'police' | 'civilian';

export interface Unit {
  id: string;
  kind: UnitKind;
  callsign: string;
  callsignEn: string;
  name: string;
  nameEn: string;
  deviceId: string;
  region: 'dongcheng' | 'pingxiang';
  segmentId: string | null;
  gridId: string | null;
  role: string;
}

export const UNIT_ID_PATTERN = /^[A-Za-z0-9._:-]{1,64}$/;

interface UnitInput {
  segments: readonly Feature<LineString, SegmentProps>[];
  stations: readonly Feature<Point, PostProps>[];
  checkpoints: readonly Feature<Point, PostProps>[];
  householdPosts: readonly Feature<Point, PostProps>[];
  dongchengGrids: readonly Feature<Area, GridProps>[];
  pingxiangLoc: Locators;
}

function unit(u: Omit<Unit, 'deviceId'>): Unit {
  const out: Unit = { ...u, deviceId: `dev-${u.id}` };
  if (!UNIT_ID_PATTERN.test(out.id) || !UNIT_ID_PATTERN.test(out.deviceId))
    throw new Error(`bad unit id ${out.id}`);
  return out;
}

function midpoint(s: Feature<LineString>): [number, number] {
  const c = turf.along(s, turf.length(s) / 2).geometry.coordinates;
  return [c[0] as number, c[1] as number];
}

export function buildUnits(input: UnitInput): Unit[] {
  const { segments, stations, checkpoints, householdPosts, dongchengGrids, pingxiangLoc: loc } = input;
  const rng = createRng('units');
  const units: Unit[] = [];
  const segAt = (k: number, n: number): Feature<LineString, SegmentProps> =>
    segments[Math.floor(((k + 0.5) * segments.length) / n)] as Feature<LineString, SegmentProps>;

  for (let k = 0; k < 12; k++) {
    const seg = segAt(k, 12);
    units.push(
      unit({
        id: `px-mil-${pad(k + 1, 2)}`,
        kind: 'military',
        callsign: `边防-${pad(k + 1, 2)}`,
        callsignEn: `Border-${pad(k + 1, 2)}`,
        name: `边防连第${k + 1}巡逻组`,
        nameEn: `Border company patrol ${k + 1}`,
        region: 'pingxiang',
        segmentId: seg.properties.id,
        gridId: null,
        role: 'border_patrol',
      }),
    );
  }
  [...stations, ...checkpoints].forEach((s, k) => {
    const isCheckpoint = s.properties.type === 'checkpoint';
    units.push(
      unit({
        id: `px-pol-${pad(k + 1, 2)}`,
        kind: 'police',
        callsign: `警-${pad(k + 1, 2)}`,
        callsignEn: `Police-${pad(k + 1, 2)}`,
        name: `${s.properties.name}${isCheckpoint ? '查验组' : '巡逻组'}`,
        nameEn: `${s.properties.nameEn} ${isCheckpoint ? 'inspection team' : 'patrol'}`,
        region: 'pingxiang',
        segmentId: s.properties.segmentId,
        gridId: s.properties.gridId,
        role: isCheckpoint ? 'checkpoint' : 'border_police',
      }),
    );
  });
  segments.forEach((s) => {
    const i = s.properties.index;
    units.push(
      unit({
        id: s.properties.roadChief.unitId,
        kind: 'civilian',
        callsign: `路长-${pad(i, 2)}`,
        callsignEn: `RoadChief-${pad(i, 2)}`,
        name: `第${i}段路长 ${s.properties.roadChief.name}`,
        nameEn: `Segment ${i} road chief ${s.properties.roadChief.nameEn}`,
        region: 'pingxiang',
        segmentId: s.properties.id,
        gridId: loc.gridNear(midpoint(s)),
        role: 'road_chief',
      }),
    );
  });
  const civilian = (
    k: number,
    n: number,
    role: string,
    zh: string,
    en: string,
    cs: string,
    csEn: string,
  ): void => {
    const post = householdPosts[Math.floor(((k + 0.5) * householdPosts.length) / n)] as Feature<
      Point,
      PostProps
    >;
    const no = units.filter((u) => u.role === role).length + 1;
    units.push(
      unit({
        id: `px-civ-${pad(units.filter((u) => u.id.startsWith('px-civ-')).length + 1, 2)}`,
        kind: 'civilian',
        callsign: `${cs}-${pad(no, 2)}`,
        callsignEn: `${csEn}-${pad(no, 2)}`,
        name: `${zh}${no}`,
        nameEn: `${en} ${no}`,
        region: 'pingxiang',
        segmentId: post.properties.segmentId,
        gridId: post.properties.gridId,
        role,
      }),
    );
  };
  for (let k = 0; k < 6; k++) civilian(k, 6, 'militia', '民兵应急分队', 'Militia squad', '民兵', 'Militia');
  for (let k = 0; k < 8; k++)
    civilian(k, 8, 'village_patrol', '村民巡护队', 'Villager patrol team', '巡护', 'VillagePatrol');

  const dcGrid = (k: number, n: number, phase: number): string =>
    (dongchengGrids[Math.floor(((k + phase) * dongchengGrids.length) / n)] as Feature<Area, GridProps>)
      .properties.id;
  for (let k = 0; k < 5; k++) {
    const officer = personName(rng, 'dongcheng');
    units.push(
      unit({
        id: `dc-pol-${pad(k + 1, 2)}`,
        kind: 'police',
        callsign: `东城警-${pad(k + 1, 2)}`,
        callsignEn: `Dongcheng-Police-${pad(k + 1, 2)}`,
        name: `社区民警巡逻组（${officer.zh}）`,
        nameEn: `Community police patrol (${officer.en})`,
        region: 'dongcheng',
        segmentId: null,
        gridId: dcGrid(k, 5, 0.5),
        role: 'community_police',
      }),
    );
  }
  for (let k = 0; k < 5; k++)
    units.push(
      unit({
        id: `dc-civ-${pad(k + 1, 2)}`,
        kind: 'civilian',
        callsign: `平安-${pad(k + 1, 2)}`,
        callsignEn: `Safety-${pad(k + 1, 2)}`,
        name: `平安志愿者巡逻队${k + 1}`,
        nameEn: `Safety volunteer patrol ${k + 1}`,
        region: 'dongcheng',
        segmentId: null,
        gridId: dcGrid(k, 5, 0.25),
        role: 'volunteer_patrol',
      }),
    );
  return units;
}
