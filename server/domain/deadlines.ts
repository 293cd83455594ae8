// Deadlines per incident status and category, the road-chief report interval, the posts' check-in schedule and
// the alerts' escalation times; defaults + DEADLINES_JSON.
import { z } from 'zod';
import {
  INCIDENT_CATEGORIES,
  type AlertSeverity,
  type IncidentCategory,
  type IncidentStatus,
} from '../contract';

/** The statuses that run a clock (closed and rejected do not). */
export const TIMED_STATUSES = [
  'reported',
  'accepted',
  'dispatched',
  'in_progress',
  'resolved',
  'verified',
] as const;
export type TimedStatus = (typeof TIMED_STATUSES)[number];
type StageTimes = Partial<Record<TimedStatus, number>>;

export interface Deadlines {
  default: Record<TimedStatus, number>;
  categories: Partial<Record<IncidentCategory, StageTimes>>;
  /** How often a road chief is expected to report on a segment (a segment's reportIntervalMs wins). */
  reportIntervalMs: number;
  /** When household posts check in (a post's `checkinSchedule` property wins); absent = the default. */
  checkins?: CheckinSchedule;
  /** When unacknowledged alerts escalate by themselves; absent = the default. */
  alertEscalation?: AlertEscalation;
}

/** A post is expected to check in once in every slot of `everyMs` from `fromMinute` to `toMinute`, local time. */
export interface CheckinSchedule {
  everyMs: number;
  /** Minutes after local midnight; the last slot of the day ends at `toMinute` (1440 = midnight). */
  fromMinute: number;
  toMinute: number;
}

/** An unacknowledged alert goes one level up (and one severity step) after afterMs[its severity]. */
export interface AlertEscalation {
  /** null: alerts of this severity do not escalate by themselves. */
  afterMs: Record<AlertSeverity, number | null>;
  /** No escalation beyond this level, by hand or by itself. */
  maxLevel: number;
}

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/** Household posts check in twice by day: once between 08:00 and 14:00, once between 14:00 and 20:00. */
export const DEFAULT_CHECKINS: CheckinSchedule = { everyMs: 6 * HOUR, fromMinute: 8 * 60, toMinute: 20 * 60 };

/** Critical alerts go up after 10 min unacknowledged, warnings after 1 h (becoming critical); info never. */
export const DEFAULT_ALERT_ESCALATION: AlertEscalation = {
  afterMs: { critical: 10 * MIN, warning: HOUR, info: null },
  maxLevel: 3,
};

/** Defaults: 受理 within 30 min, 派遣 within 1 h, 签收 within 2 h, 处置 within a day, 核查 and 结案 a day each. */
export const DEFAULT_DEADLINES: Deadlines = {
  default: {
    reported: 30 * MIN,
    accepted: HOUR,
    dispatched: 2 * HOUR,
    in_progress: DAY,
    resolved: DAY,
    verified: DAY,
  },
  categories: {
    fire: { reported: 5 * MIN, accepted: 5 * MIN, dispatched: 15 * MIN, in_progress: 4 * HOUR },
    safety: { reported: 15 * MIN, accepted: 15 * MIN, dispatched: HOUR, in_progress: 12 * HOUR },
    public_order: { reported: 15 * MIN, accepted: 15 * MIN, dispatched: HOUR, in_progress: 12 * HOUR },
    smuggling: { reported: 10 * MIN, accepted: 10 * MIN, dispatched: 30 * MIN, in_progress: 8 * HOUR },
    illegal_crossing: { reported: 10 * MIN, accepted: 10 * MIN, dispatched: 30 * MIN, in_progress: 8 * HOUR },
    dispute: { in_progress: 3 * DAY },
    environment: { in_progress: 2 * DAY },
    food_drug: { in_progress: 2 * DAY },
    petition: { reported: HOUR, in_progress: 7 * DAY },
  },
  reportIntervalMs: DAY,
  checkins: DEFAULT_CHECKINS,
  alertEscalation: DEFAULT_ALERT_ESCALATION,
};

const UNIT_MS = { s: 1000, m: MIN, h: HOUR, d: DAY } as const;

/** A duration as milliseconds (number) or "90s", "30m", "2h", "3d". */
const Duration = z.union([
  z.number().int().positive(),
  z
    .string()
    .regex(/^\d+(\.\d+)?[smhd]$/, 'a duration is milliseconds or like "30m", "2h", "3d"')
    .transform((text) => Math.round(parseFloat(text) * UNIT_MS[text.slice(-1) as keyof typeof UNIT_MS])),
]);
const TimeOfDay = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'a time of day is "HH:MM", 00:00 to 24:00')
  .transform((text) => Number(text.slice(0, 2)) * 60 + Number(text.slice(3)));

/** A check-in schedule as DEADLINES_JSON and a post's `checkinSchedule` property give it. */
export const CheckinScheduleJson = z
  .strictObject({
    every: Duration,
    from: TimeOfDay.default(DEFAULT_CHECKINS.fromMinute),
    to: TimeOfDay.default(DEFAULT_CHECKINS.toMinute),
  })
  .refine((s) => s.from < s.to, { message: 'from must be before to', path: ['to'] })
  .transform((s): CheckinSchedule => ({ everyMs: s.every, fromMinute: s.from, toMinute: s.to }));

const AlertEscalationJson = z.strictObject({
  critical: Duration.nullable().optional(),
  warning: Duration.nullable().optional(),
  info: Duration.nullable().optional(),
  maxLevel: z.number().int().min(0).max(10).optional(),
});

const Stages = z.strictObject(Object.fromEntries(TIMED_STATUSES.map((s) => [s, Duration.optional()])));

const DeadlinesJson = z.strictObject({
  default: Stages.optional(),
  categories: z.partialRecord(z.enum(INCIDENT_CATEGORIES), Stages).optional(),
  reportInterval: Duration.optional(),
  checkins: CheckinScheduleJson.optional(),
  alertEscalation: AlertEscalationJson.optional(),
});

export class DeadlinesError extends Error {}

/**
 * Parses DEADLINES_JSON over the defaults; a bad value is one error naming the path.
 * @example parseDeadlines('{"default":{"reported":"15m"},"categories":{"fire":{"dispatched":"5m"}}}')
 */
export function parseDeadlines(raw: string | null | undefined): Deadlines {
  if (raw === undefined || raw === null || raw.trim() === '') return DEFAULT_DEADLINES;
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new DeadlinesError('DEADLINES_JSON is not valid JSON');
  }
  const parsed = DeadlinesJson.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new DeadlinesError(`DEADLINES_JSON ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
  }
  const categories: Deadlines['categories'] = { ...DEFAULT_DEADLINES.categories };
  for (const [category, stages] of Object.entries(parsed.data.categories ?? {})) {
    const key = category as IncidentCategory;
    categories[key] = { ...categories[key], ...(stages as StageTimes) };
  }
  const escalation = parsed.data.alertEscalation ?? {};
  const after = DEFAULT_ALERT_ESCALATION.afterMs;
  return {
    default: { ...DEFAULT_DEADLINES.default, ...(parsed.data.default as StageTimes) },
    categories,
    reportIntervalMs: parsed.data.reportInterval ?? DEFAULT_DEADLINES.reportIntervalMs,
    checkins: parsed.data.checkins ?? DEFAULT_CHECKINS,
    alertEscalation: {
      afterMs: {
        critical: escalation.critical === undefined ? after.critical : escalation.critical,
        warning: escalation.warning === undefined ? after.warning : escalation.warning,
        info: escalation.info === undefined ? after.info : escalation.info,
      },
      maxLevel: escalation.maxLevel ?? DEFAULT_ALERT_ESCALATION.maxLevel,
    },
  };
}

/** How long an incident of this category may stay in this status; null for closed and rejected. */
export function stageDurationMs(
  deadlines: Deadlines,
  category: IncidentCategory,
  status: IncidentStatus,
): number | null {
  if (status === 'closed' || status === 'rejected') return null;
  return deadlines.categories[category]?.[status] ?? deadlines.default[status];
}

/** The deadline of a stage entered at `from`. */
export function deadlineFor(
  deadlines: Deadlines,
  category: IncidentCategory,
  status: IncidentStatus,
  from: number,
): number | null {
  const duration = stageDurationMs(deadlines, category, status);
  return duration === null ? null : from + duration;
}
