// Generated personal and place names with pinyin, for rosters, household heads and villages.
// Surname pools differ by region (Beijing: the national top surnames; Pingxiang: Zhuang and local surnames).
import type { Rng } from './prng';

export interface Name {
  zh: string;
  en: string;
}

type Syllables = readonly (readonly [string, string])[];

const BEIJING_SURNAMES: Syllables = [
  ['王', 'Wang'],
  ['李', 'Li'],
  ['张', 'Zhang'],
  ['刘', 'Liu'],
  ['陈', 'Chen'],
  ['杨', 'Yang'],
  ['赵', 'Zhao'],
  ['黄', 'Huang'],
  ['周', 'Zhou'],
  ['吴', 'Wu'],
  ['徐', 'Xu'],
  ['孙', 'Sun'],
  ['马', 'Ma'],
  ['朱', 'Zhu'],
  ['胡', 'Hu'],
  ['郭', 'Guo'],
  ['何', 'He'],
  ['高', 'Gao'],
  ['林', 'Lin'],
  ['郑', 'Zheng'],
  ['梁', 'Liang'],
  ['谢', 'Xie'],
  ['宋', 'Song'],
  ['唐', 'Tang'],
  ['韩', 'Han'],
  ['冯', 'Feng'],
  ['邓', 'Deng'],
  ['曹', 'Cao'],
  ['彭', 'Peng'],
  ['田', 'Tian'],
  ['董', 'Dong'],
  ['袁', 'Yuan'],
  ['于', 'Yu'],
  ['蒋', 'Jiang'],
  ['杜', 'Du'],
  ['程', 'Cheng'],
  ['魏', 'Wei'],
  ['吕', 'Lyu'],
  ['丁', 'Ding'],
  ['任', 'Ren'],
  ['沈', 'Shen'],
  ['姚', 'Yao'],
  ['崔', 'Cui'],
  ['钟', 'Zhong'],
  ['孟', 'Meng'],
  ['白', 'Bai'],
  ['贾', 'Jia'],
  ['石', 'Shi'],
  ['金', 'Jin'],
  ['常', 'Chang'],
  ['侯', 'Hou'],
  ['郝', 'Hao'],
  ['齐', 'Qi'],
  ['关', 'Guan'],
  ['尹', 'Yin'],
  ['薛', 'Xue'],
];

const PINGXIANG_SURNAMES: Syllables = [
  ['黄', 'Huang'],
  ['农', 'Nong'],
  ['李', 'Li'],
  ['陆', 'Lu'],
  ['韦', 'Wei'],
  ['梁', 'Liang'],
  ['马', 'Ma'],
  ['何', 'He'],
  ['赵', 'Zhao'],
  ['凌', 'Ling'],
  ['罗', 'Luo'],
  ['覃', 'Qin'],
  ['蒙', 'Meng'],
  ['莫', 'Mo'],
  ['卢', 'Lu'],
  ['林', 'Lin'],
  ['陈', 'Chen'],
  ['冯', 'Feng'],
  ['闭', 'Bi'],
  ['言', 'Yan'],
  ['邓', 'Deng'],
  ['周', 'Zhou'],
  ['谭', 'Tan'],
  ['潘', 'Pan'],
  ['苏', 'Su'],
  ['廖', 'Liao'],
  ['刘', 'Liu'],
  ['杨', 'Yang'],
];

const GIVEN: Syllables = [
  ['伟', 'wei'],
  ['芳', 'fang'],
  ['娜', 'na'],
  ['敏', 'min'],
  ['静', 'jing'],
  ['丽', 'li'],
  ['强', 'qiang'],
  ['磊', 'lei'],
  ['军', 'jun'],
  ['洋', 'yang'],
  ['勇', 'yong'],
  ['艳', 'yan'],
  ['杰', 'jie'],
  ['娟', 'juan'],
  ['涛', 'tao'],
  ['明', 'ming'],
  ['超', 'chao'],
  ['秀', 'xiu'],
  ['霞', 'xia'],
  ['平', 'ping'],
  ['刚', 'gang'],
  ['桂', 'gui'],
  ['英', 'ying'],
  ['华', 'hua'],
  ['建', 'jian'],
  ['国', 'guo'],
  ['文', 'wen'],
  ['海', 'hai'],
  ['玉', 'yu'],
  ['兰', 'lan'],
  ['志', 'zhi'],
  ['红', 'hong'],
  ['春', 'chun'],
  ['梅', 'mei'],
  ['东', 'dong'],
  ['晓', 'xiao'],
  ['辉', 'hui'],
  ['鹏', 'peng'],
  ['宇', 'yu'],
  ['佳', 'jia'],
  ['欣', 'xin'],
  ['雪', 'xue'],
  ['斌', 'bin'],
  ['峰', 'feng'],
  ['婷', 'ting'],
  ['云', 'yun'],
  ['新', 'xin'],
  ['成', 'cheng'],
  ['德', 'de'],
  ['荣', 'rong'],
  ['庆', 'qing'],
  ['光', 'guang'],
  ['立', 'li'],
  ['福', 'fu'],
  ['凤', 'feng'],
  ['秋', 'qiu'],
  ['健', 'jian'],
  ['亮', 'liang'],
  ['宁', 'ning'],
  ['琳', 'lin'],
  ['浩', 'hao'],
  ['思', 'si'],
  ['雨', 'yu'],
  ['晨', 'chen'],
  ['博', 'bo'],
  ['睿', 'rui'],
  ['航', 'hang'],
  ['怡', 'yi'],
  ['振', 'zhen'],
  ['安', 'an'],
  ['永', 'yong'],
  ['才', 'cai'],
  ['恩', 'en'],
  ['爱', 'ai'],
  ['鸥', 'ou'],
];

/** Joins pinyin syllables, with the apostrophe that marks a syllable starting with a, e or o (Xi'an). */
export function joinPinyin(syllables: readonly string[]): string {
  const text = syllables
    .map((s, i) => (i > 0 && /^[aeo]/.test(s) ? `'${s}` : s))
    .join('')
    .toLowerCase();
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export type NameRegion = 'dongcheng' | 'pingxiang';

export function personName(rng: Rng, region: NameRegion): Name {
  const [sz, se] = rng.pick(region === 'pingxiang' ? PINGXIANG_SURNAMES : BEIJING_SURNAMES);
  const given = rng.next() < 0.3 ? [rng.pick(GIVEN)] : [rng.pick(GIVEN), rng.pick(GIVEN)];
  return {
    zh: sz + given.map(([z]) => z).join(''),
    en: `${se} ${joinPinyin(given.map(([, e]) => e))}`,
  };
}

// Zhuang-style village names of the Sino–Vietnamese border (那 "paddy field", 板 "village", 弄 "valley", …).
const VILLAGE_HEADS: Syllables = [
  ['那', 'na'],
  ['板', 'ban'],
  ['弄', 'nong'],
  ['叫', 'jiao'],
  ['布', 'bu'],
  ['岜', 'ba'],
  ['渠', 'qu'],
  ['平', 'ping'],
  ['念', 'nian'],
  ['孟', 'meng'],
  ['卡', 'ka'],
  ['隘', 'ai'],
];
const VILLAGE_TAILS: Syllables = [
  ['怀', 'huai'],
  ['坡', 'po'],
  ['岭', 'ling'],
  ['江', 'jiang'],
  ['良', 'liang'],
  ['新', 'xin'],
  ['旺', 'wang'],
  ['堪', 'kan'],
  ['达', 'da'],
  ['禄', 'lu'],
  ['朋', 'peng'],
  ['丰', 'feng'],
  ['岗', 'gang'],
  ['美', 'mei'],
  ['化', 'hua'],
  ['团', 'tuan'],
  ['吉', 'ji'],
  ['荣', 'rong'],
  ['芽', 'ya'],
  ['洞', 'dong'],
];

/** Distinct generated village names (e.g. 那岭 / Naling), `count` of them. */
export function villageNames(rng: Rng, count: number, avoid: ReadonlySet<string> = new Set()): Name[] {
  const all: Name[] = [];
  for (const [hz, he] of VILLAGE_HEADS)
    for (const [tz, te] of VILLAGE_TAILS)
      if (!avoid.has(hz + tz)) all.push({ zh: hz + tz, en: joinPinyin([he, te]) });
  if (all.length < count) throw new Error('not enough village names');
  return rng.sample(all, count);
}
