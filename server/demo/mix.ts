// The demo's figures: how many incidents of which kind, from where, how fast each stage is handled, how
// often mediation settles (DOMAIN.md: Chuxiong 7,479 of 7,860, 95.2 %), what road chiefs report. Plausible
// against the seed's figures; tune here, nowhere else.
import type {
  AnomalyType,
  IncidentCategory,
  IncidentSource,
  IncidentStatus,
  MediationInput,
} from '../contract';

type Weights<K extends string> = Readonly<Partial<Record<K, number>>>;

/** Hotline and grid-staff intake per day over the whole scenario, before the hour-of-day rhythm. */
export const INCIDENTS_PER_DAY = 40;

/** Relative intake by local hour 0–23: quiet at night, busiest in the morning and early evening. */
export const HOURLY_RHYTHM: readonly number[] = [
  0.3, 0.2, 0.2, 0.2, 0.2, 0.3, 0.6, 1.0, 1.4, 1.6, 1.6, 1.4, 1.1, 1.2, 1.4, 1.5, 1.5, 1.5, 1.4, 1.3, 1.1,
  0.9, 0.6, 0.4,
];

/**
 * Grids are drawn by residents; a border grid (Pingxiang) weighs this much more per resident, so the border
 * the demo is about is not drowned out by 589 city grids.
 */
export const BORDER_GRID_WEIGHT = 3;

export const INTAKE_SOURCES: Weights<Extract<IncidentSource, 'hotline' | 'staff'>> = {
  hotline: 65,
  staff: 35,
};

/** Urban grids: disputes lead (大调解 is the bulk of grass-roots work), then order, environment, safety. */
export const URBAN_CATEGORIES: Weights<IncidentCategory> = {
  dispute: 28,
  public_order: 14,
  environment: 12,
  other: 12,
  safety: 10,
  petition: 7,
  food_drug: 6,
  fire: 4,
};

/** Border grids: the same, plus smuggling and illegal crossing reported by residents. */
export const BORDER_CATEGORIES: Weights<IncidentCategory> = {
  ...URBAN_CATEGORIES,
  smuggling: 5,
  illegal_crossing: 4,
};

export const SUMMARIES: Readonly<Record<IncidentCategory, readonly string[]>> = {
  dispute: [
    '邻里噪音纠纷',
    '物业费纠纷',
    '停车位纠纷',
    '宅基地界址纠纷',
    '家庭赡养纠纷',
    '劳资欠薪纠纷',
    '房屋租赁纠纷',
  ],
  public_order: ['深夜聚众喧哗', '可疑人员徘徊', '电动车被盗', '醉酒滋事', '商铺门前斗殴'],
  fire: ['楼道堆放杂物占用消防通道', '电动车楼道充电', '厨房油烟起火', '杂草焚烧'],
  safety: ['工地脚手架松动', '燃气管道异味', '井盖缺失', '广告牌松动', '危房墙体开裂'],
  environment: ['垃圾清运不及时', '餐馆油烟扰民', '夜间施工噪音', '污水外溢', '私搭乱建'],
  food_drug: ['无证流动摊贩', '过期食品销售', '小作坊卫生问题', '药店违规售药'],
  smuggling: ['疑似走私冻品转运', '边民互市点异常货物', '夜间摩托车队运货'],
  illegal_crossing: ['疑似非法入境人员', '便道发现越境痕迹', '陌生人员打听过境路线'],
  petition: ['拆迁补偿诉求', '养老金待遇咨询', '小区配套设施诉求', '集体土地收益分配诉求'],
  other: ['路灯损坏', '流浪犬伤人隐患', '公共设施损坏', '树木倒伏'],
};

export const CALLER_SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '周', '吴', '农', '黎'];

/** Share of intake the command center turns down (duplicates, outside its remit), by source. */
export const REJECT_RATE: Readonly<Record<'hotline' | 'staff' | 'report', number>> = {
  hotline: 0.06,
  staff: 0.02,
  report: 0.03,
};

/**
 * How long a stage takes, as a fraction of its deadline: on time mostly, late now and then (the engine then
 * escalates it and raises a 督办 alert). About 3 % late per stage gives ~85 % of incidents on time overall.
 */
export const STAGE_PACE: Readonly<Record<Exclude<IncidentStatus, 'closed' | 'rejected'>, [number, number]>> =
  {
    reported: [0.1, 0.7],
    accepted: [0.1, 0.6],
    dispatched: [0.1, 0.6],
    in_progress: [0.1, 0.5],
    resolved: [0.05, 0.5],
    verified: [0.02, 0.3],
  };
export const LATE_RATE = 0.03;
export const LATE_PACE: [number, number] = [1.1, 2.0];

/** The command center escalates by hand now and then (multi-department cases). */
export const MANUAL_ESCALATION_RATE = 0.04;
/** Verification finds the work unfinished and reopens it. */
export const REOPEN_RATE = 0.06;

/** Mediation: 95.2 % settled (Chuxiong); most by people's mediation committees. */
export const MEDIATION_SETTLED = 0.952;
export const MEDIATION_KINDS: Weights<MediationInput['kind']> = {
  people: 70,
  administrative: 20,
  judicial: 10,
};

/** Callers are called back at close (回访); satisfaction 1–5. */
export const FEEDBACK_RATE = 0.9;
export const SATISFACTION: Weights<'1' | '2' | '3' | '4' | '5'> = {
  '5': 55,
  '4': 30,
  '3': 10,
  '2': 4,
  '1': 1,
};

/** Road chiefs report after the morning and the evening patrol; most are diligent, some are not. */
export const REPORT_HOURS: readonly [number, number][] = [
  [8, 10],
  [17, 20],
];
export const DILIGENT_CHIEF: [number, number] = [0.85, 0.97];
export const SLOPPY_CHIEF_RATE = 0.1;
export const SLOPPY_CHIEF: [number, number] = [0.4, 0.6];
export const ANOMALY_RATE = 0.08;
export const ANOMALIES: Weights<AnomalyType> = {
  suspicious: 35,
  damage: 25,
  smuggling: 20,
  illegal_crossing: 10,
  other: 10,
};
export const NORMAL_NOTES = [
  '巡查完毕，未见异常',
  '便道通行正常',
  '界碑、围栏完好',
  '与民兵联合巡查，情况正常',
];
export const ANOMALY_NOTES: Readonly<Record<AnomalyType, readonly string[]>> = {
  suspicious: ['发现陌生车辆停靠便道旁', '两名可疑人员在界碑附近徘徊'],
  damage: ['铁丝网被剪开约两米', '便道塌方，车辆无法通行', '界桩附近围栏倾倒'],
  smuggling: ['发现有人背运货物沿小路前行', '草丛中发现成捆未报关货物'],
  illegal_crossing: ['发现新鲜越境脚印', '有人从对侧涉水过来'],
  other: ['监控杆被雷击损坏', '山火烟雾，需核实'],
};

/** Operators acknowledge most alerts within minutes; the rest wait in the queue. */
export const ALERT_ACK_RATE = 0.9;
export const ALERT_ACK_DELAY_MS: [number, number] = [2 * 60_000, 40 * 60_000];

/** Live demo life: what each tick raises. */
export const LIFE_HAPPENINGS: Weights<'incident' | 'report' | 'sos'> = { incident: 50, report: 45, sos: 5 };
/** Live demo life: a demo of a few minutes should see an anomaly report. */
export const LIVE_ANOMALY_RATE = 0.2;
/** Live demo life: incidents the demo leaves to the humans at the wall for this long before working them. */
export const HUMAN_SHARE = 0.3;
export const HUMAN_GRACE_MS = 30 * 60_000;
/** Live demo life: unacknowledged alerts older than this are acknowledged by the duty officer. */
export const STALE_ALERT_MS = 60 * 60_000;

/** Household posts (户哨): the share of periods a post lets pass without checking in (an honest checkin.missed). */
export const MISSED_CHECKIN_RATE = 0.02;
/**
 * When in its period a post checks in, as a fraction of the period: two uniform draws averaged over this range,
 * so most check in in the middle hours (08–14: mostly 09:30–12:00) and none in the last hour, spread, not at once.
 */
export const CHECKIN_SPREAD: [number, number] = [0.03, 0.85];
/** Through whom a household checks in: the road chief's tablet, a grid staff member, a call to the duty officer. */
export const CHECKIN_CHANNELS: Weights<'road_chief' | 'staff' | 'call'> = {
  road_chief: 60,
  staff: 25,
  call: 15,
};
export const CHECKIN_NOTES = ['平安', '一切正常', '户内平安，周边无异常', '房前屋后已巡看，无异常'];
export const CALL_CHECKIN_NOTE = '户主来电签到：平安';
/** Live: the duty officer phones a household that missed its check-in, then acknowledges the alert. */
export const MISSED_FOLLOW_UP_MS: [number, number] = [5 * 60_000, 45 * 60_000];
export const MISSED_FOLLOW_UP_NOTE = '已电话联系户主，确认平安';
