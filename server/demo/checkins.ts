// Household posts' check-ins in the demo (户哨签到): each post checks in once in every period of its schedule,
// at a time drawn for that post and period, and a small share of periods pass without one; through the road
// chief's tablet, a grid staff member or a call to the duty officer, via the real check-in service. The draw
// depends on the seed, the post and the period alone, so the backfill, demo life and a restart agree on it.
import type { CheckinInput, User } from '../contract';
import { lastEndedPeriod, type CheckinPeriod } from '../domain/checkin-periods';
import { DEFAULT_CHECKINS, type CheckinSchedule, type Deadlines } from '../domain/deadlines';
import { loadPostDirectory, type PostInfo } from '../domain/posts';
import { ApiError } from '../http/errors';
import { DUTY_OFFICER, roadChief, staffMember } from './cast';
import type { GridEntry } from './happenings';
import {
  CALL_CHECKIN_NOTE,
  CHECKIN_CHANNELS,
  CHECKIN_NOTES,
  CHECKIN_SPREAD,
  MISSED_CHECKIN_RATE,
} from './mix';
import { createRandom, type Random } from './prng';
import { count, type DemoWorld } from './world';

const DAY = 86_400_000;

/** The posts expected to check in, grouped by schedule (most share the default), and who may check them in. */
export interface CheckinRoster {
  groups: { schedule: CheckinSchedule; posts: PostInfo[] }[];
  staffByGrid: Map<string, GridEntry['staff']>;
  timeZone: string;
  /** The `checkins` stream of the seed: forked per post and period. */
  random: Random;
  missedRate: number;
}

export interface RosterOptions {
  deadlines: Deadlines;
  timeZone: string;
  seed: number;
  missedRate?: number;
}

/** The posts layer read as the closed loop reads it (same default schedule, same grid lookup). */
export async function loadCheckinRoster(
  world: DemoWorld,
  grids: readonly GridEntry[],
  options: RosterOptions,
): Promise<CheckinRoster> {
  const directory = await loadPostDirectory(
    world.store,
    options.deadlines.checkins ?? DEFAULT_CHECKINS,
    (lon, lat) => world.router.place({ lon, lat }).gridId,
  );
  const groups = new Map<string, { schedule: CheckinSchedule; posts: PostInfo[] }>();
  for (const post of directory.posts()) {
    if (!post.schedule) continue;
    const key = `${post.schedule.everyMs}/${post.schedule.fromMinute}/${post.schedule.toMinute}`;
    const group = groups.get(key) ?? { schedule: post.schedule, posts: [] };
    group.posts.push(post);
    groups.set(key, group);
  }
  return {
    groups: [...groups.values()],
    staffByGrid: new Map(grids.map((g) => [g.id, g.staff])),
    timeZone: options.timeZone,
    random: createRandom(options.seed).fork('checkins'),
    missedRate: options.missedRate ?? MISSED_CHECKIN_RATE,
  };
}

/** The schedule's periods that overlap [from, to), oldest first: walked back from the last one to start. */
export function periodsOverlapping(
  schedule: CheckinSchedule,
  from: number,
  to: number,
  timeZone: string,
): CheckinPeriod[] {
  const periods: CheckinPeriod[] = [];
  // A period is at most `every` (and a day) long: every one that starts before `to` has ended by then.
  let period = lastEndedPeriod(schedule, to + Math.min(schedule.everyMs, DAY), timeZone);
  while (period && period.end > from) {
    if (period.start < to) periods.push(period);
    const previous = lastEndedPeriod(schedule, period.start, timeZone);
    if (!previous || previous.start >= period.start) break;
    period = previous;
  }
  return periods.reverse();
}

/** When a check-in period of some post ends in [from, to), in time order (the times to look for missed ones). */
export function checkinPeriodEnds(roster: CheckinRoster, from: number, to: number): number[] {
  const ends = new Set<number>();
  for (const { schedule } of roster.groups)
    for (const { end } of periodsOverlapping(schedule, from, to, roster.timeZone))
      if (end >= from && end < to) ends.add(end);
  return [...ends].sort((a, b) => a - b);
}

/** The road chief's tablet, a grid staff member on their rounds, or a call: each only where there is one. */
function channel(world: DemoWorld, roster: CheckinRoster, post: PostInfo, random: Random) {
  const segment = post.segmentId ? world.router.segment(post.segmentId) : null;
  const chief = segment ? roadChief(segment) : null;
  const staff = (post.gridId ? roster.staffByGrid.get(post.gridId) : undefined) ?? [];
  const how = random.weighted({
    road_chief: chief ? (CHECKIN_CHANNELS.road_chief ?? 0) : 0,
    staff: staff.length > 0 ? (CHECKIN_CHANNELS.staff ?? 0) : 0,
    call: CHECKIN_CHANNELS.call ?? 1,
  });
  const atThePost = { lon: post.lon, lat: post.lat, note: random.pick(CHECKIN_NOTES) };
  if (how === 'road_chief' && chief) return { user: chief, input: atThePost };
  if (how === 'staff' && staff.length > 0)
    return { user: staffMember(random.pick(staff), post.gridId), input: atThePost };
  return { user: DUTY_OFFICER, input: { note: CALL_CHECKIN_NOTE } };
}

async function checkIn(world: DemoWorld, user: User, postId: string, input: CheckinInput): Promise<void> {
  try {
    await world.services.checkins.submit(user, postId, input);
    count(world, 'post.checkin');
  } catch (error) {
    // The post left the layer, or its segment or grid changed hands since this was planned.
    if (!(error instanceof ApiError)) throw error;
    count(world, 'post.checkin.refused');
  }
}

/**
 * Puts on the agenda every check-in whose drawn time falls in [from, to); a period that overlaps two windows
 * draws the same time in both, so windows can be planned one after the other. Returns how many were planned.
 */
export function planCheckins(world: DemoWorld, roster: CheckinRoster, from: number, to: number): number {
  let planned = 0;
  const [low, high] = CHECKIN_SPREAD;
  for (const { schedule, posts } of roster.groups) {
    for (const period of periodsOverlapping(schedule, from, to, roster.timeZone)) {
      const span = period.end - period.start;
      for (const post of posts) {
        const random = roster.random.fork(`${post.id}@${period.start}`);
        const t =
          period.start + Math.floor(span * (low + ((high - low) * (random.next() + random.next())) / 2));
        if (t < from || t >= to) continue;
        if (random.chance(roster.missedRate)) {
          count(world, 'post.checkin.skipped');
          continue;
        }
        const { user, input } = channel(world, roster, post, random);
        world.agenda.at(t, 'post.checkin', () => checkIn(world, user, post.id, input));
        planned++;
      }
    }
  }
  return planned;
}
