// Deadlines per incident status and category, and the road-chief report interval; defaults + DEADLINES_JSON.
import { z } from 'zod';
import { INCIDENT_CATEGORIES, type IncidentCategory, type IncidentStatus } from '../contract';

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
}

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

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
const Stages = z.strictObject(Object.fromEntries(TIMED_STATUSES.map((s) => [s, Duration.optional()])));

const DeadlinesJson = z.strictObject({
  default: Stages.optional(),
  categories: z.partialRecord(z.enum(INCIDENT_CATEGORIES), Stages).optional(),
  reportInterval: Duration.optional(),
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
  return {
    default: { ...DEFAULT_DEADLINES.default, ...(parsed.data.default as StageTimes) },
    categories,
    reportIntervalMs: parsed.data.reportInterval ?? DEFAULT_DEADLINES.reportIntervalMs,
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
