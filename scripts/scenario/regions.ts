// The two demo regions: Beijing Dongcheng (grid management) and Pingxiang, Guangxi (border defense).
// Subdistrict/town names are real; the locations they grow from are rough (±0.5 km) and their boundaries
// are generated, not the official ones.
import * as turf from '@turf/turf';
import type { Position } from 'geojson';
import type { Area } from './geometry';
import type { RegionSpec, SubdistrictSpec } from './hierarchy';
import { villageNames } from './names';
import { createRng, type Rng } from './prng';

const sub = (zh: string, en: string, lon: number, lat: number): SubdistrictSpec => ({
  zh,
  en,
  center: [lon, lat],
});

export const DONGCHENG_SUBDISTRICTS: SubdistrictSpec[] = [
  sub('东华门街道', 'Donghuamen Subdistrict', 116.4, 39.915),
  sub('景山街道', 'Jingshan Subdistrict', 116.398, 39.93),
  sub('交道口街道', 'Jiaodaokou Subdistrict', 116.403, 39.94),
  sub('安定门街道', 'Andingmen Subdistrict', 116.405, 39.949),
  sub('北新桥街道', 'Beixinqiao Subdistrict', 116.418, 39.943),
  sub('东四街道', 'Dongsi Subdistrict', 116.418, 39.93),
  sub('朝阳门街道', 'Chaoyangmen Subdistrict', 116.428, 39.923),
  sub('建国门街道', 'Jianguomen Subdistrict', 116.425, 39.907),
  sub('东直门街道', 'Dongzhimen Subdistrict', 116.433, 39.94),
  sub('和平里街道', 'Hepingli Subdistrict', 116.418, 39.962),
  sub('前门街道', 'Qianmen Subdistrict', 116.398, 39.895),
  sub('崇文门外街道', 'Chongwenmenwai Subdistrict', 116.418, 39.895),
  sub('东花市街道', 'Donghuashi Subdistrict', 116.433, 39.893),
  sub('龙潭街道', 'Longtan Subdistrict', 116.44, 39.878),
  sub('体育馆路街道', 'Tiyuguanlu Subdistrict', 116.422, 39.882),
  sub('天坛街道', 'Tiantan Subdistrict', 116.405, 39.88),
  sub('永定门外街道', 'Yongdingmenwai Subdistrict', 116.4, 39.864),
];

export const PINGXIANG_TOWNS: SubdistrictSpec[] = [
  sub('凭祥镇', 'Pingxiang Town', 106.76, 22.11),
  sub('友谊镇', 'Youyi Town', 106.76, 22.01),
  sub('上石镇', 'Shangshi Town', 106.87, 22.17),
  sub('夏石镇', 'Xiashi Town', 106.91, 22.06),
];

/** 凭祥市 city centre (approximate), where grids hold more households. */
export const PINGXIANG_CENTRE: Position = [106.755, 22.105];

const short = (zh: string): string => zh.replace(/(街道|镇)$/, '');
const shortEn = (en: string): string => en.replace(/ (Subdistrict|Town)$/, '');

export function dongchengSpec(outline: Area): RegionSpec {
  return {
    region: 'dongcheng',
    prefix: 'dc',
    outline,
    district: { zh: '东城区', en: 'Dongcheng District' },
    subdistricts: DONGCHENG_SUBDISTRICTS,
    communityCount: 187,
    gridCount: 589,
    lloydIterations: 6,
    communityName: (s, n) => ({ zh: `${s.zh}第${n}社区`, en: `${shortEn(s.en)} Community ${n}` }),
    gridName: (c, n) => ({ zh: `${c.zh}第${n}网格`, en: `${c.en}, Grid ${n}` }),
    // Zhucheng scale: 200–600 households a grid, peaked in the middle
    households: (rng: Rng) => Math.round(200 + ((rng.next() + rng.next()) / 2) * 400),
    residentsPerHousehold: [2.3, 2.8],
  };
}

export function pingxiangSpec(outline: Area): RegionSpec {
  const villages = villageNames(createRng('pingxiang:village-names'), 40);
  let next = 0;
  return {
    region: 'pingxiang',
    prefix: 'px',
    outline,
    district: { zh: '凭祥市', en: 'Pingxiang City' },
    subdistricts: PINGXIANG_TOWNS,
    communityCount: villages.length,
    gridCount: 120,
    lloydIterations: 6,
    communityName: (s) => {
      const v = villages[next++ % villages.length] ?? { zh: short(s.zh), en: shortEn(s.en) };
      return { zh: `${v.zh}村`, en: `${v.en} Village` };
    },
    gridName: (c, n) => ({ zh: `${c.zh}第${n}网格`, en: `${c.en}, Grid ${n}` }),
    // rural grids of 120–320 households; up to about twice that near the city centre
    households: (rng: Rng, at: Position) => {
      const km = turf.distance(at, PINGXIANG_CENTRE);
      return Math.round(rng.range(120, 320) * (1 + 1.2 * Math.exp(-km / 4)));
    },
    residentsPerHousehold: [2.7, 3.4],
  };
}
