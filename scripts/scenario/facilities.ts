// Border facilities of Pingxiang (checkpoints/ports, border police stations, border trade points) and the
// police stations of Dongcheng. Names are real place names or generated; every position is illustrative
// (`approximate: true`) except 友谊关, which is placed at its approximate real location.
import * as turf from '@turf/turf';
import type { Feature, LineString, Point, Polygon, Position } from 'geojson';
import { feature, pad, roundGeometry, type Area } from './geometry';
import type { AreaProps } from './hierarchy';
import { distanceKm, inland, locateKm } from './linear';
import type { Locators, PostProps, PostType } from './posts';
import { DONGCHENG_SUBDISTRICTS, PINGXIANG_CENTRE, PINGXIANG_TOWNS } from './regions';

/** 友谊关 (Friendship Pass), approximately. */
export const FRIENDSHIP_PASS: Position = [106.7, 21.98];
/** The Pingxiang railway port (at the city's station), roughly. */
const RAILWAY_PORT: Position = [106.762, 22.098];

interface Site {
  type: PostType;
  id: string;
  name: string;
  nameEn: string;
  at: Position;
}

function facility(
  site: Site,
  region: 'dongcheng' | 'pingxiang',
  loc: Locators | null,
  nearKm: number,
  border: Feature<LineString> | null,
): Feature<Point, PostProps> {
  const at = (roundGeometry({ type: 'Point', coordinates: site.at }) as Point).coordinates;
  const nearBorder = border !== null && distanceKm(at, border) <= nearKm;
  return feature<Point, PostProps>(
    { type: 'Point', coordinates: at },
    {
      id: site.id,
      type: site.type,
      name: site.name,
      nameEn: site.nameEn,
      region,
      approximate: true,
      householdHead: null,
      householdHeadEn: null,
      groupId: null,
      groupName: null,
      groupNameEn: null,
      segmentId: nearBorder && loc ? loc.segmentAt(at) : null,
      gridId: loc ? loc.gridAt(at) : null,
    },
  );
}

/** The Friendship Pass position, moved to the Chinese side of the line if the given one is not. */
export function friendshipPass(border: Feature<LineString>, outline: Polygon): Position {
  if (turf.booleanPointInPolygon(FRIENDSHIP_PASS, outline) && distanceKm(FRIENDSHIP_PASS, border) >= 0.05)
    return FRIENDSHIP_PASS;
  return inland(border, locateKm(border, FRIENDSHIP_PASS), 0.2, outline, 0.05);
}

function inside(p: Position, area: Area): Position {
  return turf.booleanPointInPolygon(p, area) ? p : turf.pointOnFeature(area).geometry.coordinates;
}

export interface PingxiangFacilities {
  checkpoints: Feature<Point, PostProps>[];
  stations: Feature<Point, PostProps>[];
  tradePoints: Feature<Point, PostProps>[];
}

export function pingxiangFacilities(
  border: Feature<LineString>,
  outline: Polygon,
  areas: readonly Feature<Area, AreaProps>[],
  loc: Locators,
): PingxiangFacilities {
  const total = turf.length(border);
  const pass = friendshipPass(border, outline);
  const passKm = locateKm(border, pass);
  const onLine = (km: number): Position => inland(border, km, 0.3, outline, 0.1);
  const near = (km: number): Position => inland(border, km, 1.5, outline, 0.8);
  const village = (p: Position): AreaProps => {
    const v = areas.find((a) => a.properties.level === 'community' && turf.booleanPointInPolygon(p, a));
    if (!v) throw new Error(`no village at ${p.join(',')}`);
    return v.properties;
  };
  const town = (zh: string): Feature<Area, AreaProps> => {
    const t = areas.find((a) => a.properties.name === zh);
    if (!t) throw new Error(`no town ${zh}`);
    return t;
  };
  const checkpoints: Site[] = [
    { type: 'checkpoint', id: '', name: '友谊关口岸', nameEn: 'Youyiguan (Friendship Pass) Port', at: pass },
    {
      type: 'checkpoint',
      id: '',
      name: '凭祥铁路口岸',
      nameEn: 'Pingxiang Railway Port',
      at: inside(RAILWAY_PORT, outline),
    },
    { type: 'checkpoint', id: '', name: '平而关口岸', nameEn: "Ping'erguan Port", at: onLine(total * 0.12) },
  ];
  const trade: Site[] = [
    {
      type: 'trade_point',
      id: '',
      name: '浦寨边民互市点',
      nameEn: 'Puzhai Border Trade Point',
      at: onLine(passKm - 3.5),
    },
    {
      type: 'trade_point',
      id: '',
      name: '弄尧边民互市点',
      nameEn: 'Nongyao Border Trade Point',
      at: onLine(passKm - 5.5),
    },
    {
      type: 'trade_point',
      id: '',
      name: '叫隘边民互市点',
      nameEn: "Jiao'ai Border Trade Point",
      at: onLine(passKm + 10),
    },
    {
      type: 'trade_point',
      id: '',
      name: '油隘边民互市点',
      nameEn: "You'ai Border Trade Point",
      at: onLine(total * 0.3),
    },
  ];
  const stations: Site[] = [
    {
      type: 'police_station',
      id: '',
      name: '友谊关边境派出所',
      nameEn: 'Youyiguan Border Police Station',
      at: near(passKm + 1),
    },
  ];
  // border stations spread along the line, each named after its village (moved on along the line until
  // it lands in a village that has no station yet)
  for (const f of [0.06, 0.22, 0.38, 0.5, 0.72, 0.9]) {
    for (let shift = 0; ; shift += 1) {
      if (shift > 10) throw new Error('no free village for a border police station');
      const at = near(total * f + shift);
      const v = village(at);
      const zh = `${v.name.replace(/村$/, '')}边境派出所`;
      if (stations.some((s) => s.name === zh)) continue;
      const en = `${v.nameEn.replace(/ Village$/, '')} Border Police Station`;
      stations.push({ type: 'police_station', id: '', name: zh, nameEn: en, at });
      break;
    }
  }
  for (const t of PINGXIANG_TOWNS.filter((x) => x.zh !== '友谊镇'))
    stations.push({
      type: 'police_station',
      id: '',
      name: `${t.zh}派出所`,
      nameEn: `${t.en} Police Station`,
      at: inside(
        t.zh === '凭祥镇' ? PINGXIANG_CENTRE : turf.centerOfMass(town(t.zh)).geometry.coordinates,
        town(t.zh).geometry,
      ),
    });
  const make = (sites: Site[], prefix: string): Feature<Point, PostProps>[] =>
    sites.map((s, i) => facility({ ...s, id: `${prefix}-${pad(i + 1, 2)}` }, 'pingxiang', loc, 3, border));
  return {
    checkpoints: make(checkpoints, 'px-checkpoint'),
    stations: make(stations, 'px-station'),
    tradePoints: make(trade, 'px-trade'),
  };
}

/** One police station per Dongcheng subdistrict (Beijing's stations are named after their subdistrict). */
export function dongchengStations(
  areas: readonly Feature<Area, AreaProps>[],
  loc: Locators,
): Feature<Point, PostProps>[] {
  return DONGCHENG_SUBDISTRICTS.map((s, i) => {
    const sub = areas.find((a) => a.properties.name === s.zh);
    if (!sub) throw new Error(`no subdistrict ${s.zh}`);
    const short = s.zh.replace(/街道$/, '');
    const shortEn = s.en.replace(/ Subdistrict$/, '');
    return facility(
      {
        type: 'police_station',
        id: `dc-station-${pad(i + 1, 2)}`,
        name: `${short}派出所`,
        nameEn: `${shortEn} Police Station`,
        at: inside(s.center, sub.geometry),
      },
      'dongcheng',
      loc,
      0,
      null,
    );
  });
}
