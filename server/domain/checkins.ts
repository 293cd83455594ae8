// Household posts' check-ins (户哨签到): stored once per idempotency key, listed per post, and a warning
// alert for each post that let a check-in period of its schedule pass without checking in (once a period).
import type { Checkin, CheckinAck, CheckinInput, User } from '../contract';
import { ApiError } from '../http/errors';
import { ConflictError, type CheckinRecord, type Store } from '../store/store';
import type { AlertService } from './alerts';
import { describePeriod, lastEndedPeriod, type CheckinPeriod } from './checkin-periods';
import { mayActForPost } from './incident-access';
import { requestHash } from './incident-audit';
import { nextId } from './incident-ids';
import type { PostDirectory, PostInfo } from './posts';
import { idempotencyKey } from './reports';
import type { Router } from './routing';

export interface CheckinDeps {
  store: Store;
  posts: () => PostDirectory;
  router: () => Router;
  alerts: AlertService;
  now: () => number;
  /** Schedules are in this zone's wall time (TZ, e.g. Asia/Shanghai). */
  timeZone: string;
}

export interface CheckinService {
  /** 201 {id, postId, t}; the same answer for a retried idempotency key, stored once. */
  submit(user: User, postId: string, input: CheckinInput, headerKey?: string | null): Promise<CheckinAck>;
  list(
    user: User,
    postId: string,
    filter: { since?: number; cursor?: string; limit: number },
  ): Promise<{ items: Checkin[]; nextCursor: string | null }>;
  /** A `checkin.missed` alert per post whose last ended period had no check-in; returns how many. */
  checkMissed(now: number, startedAt: number): Promise<number>;
}

/** The post, if it exists (404) and the user may act for it (403). */
export function postFor(deps: Pick<CheckinDeps, 'posts' | 'router'>, user: User, postId: string): PostInfo {
  const post = deps.posts().post(postId);
  if (!post) throw new ApiError('not_found', `no post ${postId}`);
  if (!mayActForPost(user, post, deps.router()))
    throw new ApiError('forbidden', `post ${postId} is not on your segment or in your grid`);
  return post;
}

const toAck = (record: CheckinRecord): CheckinAck => ({ id: record.id, postId: record.postId, t: record.t });

function toCheckin({ idempotencyKey: _key, requestHash: _hash, ...checkin }: CheckinRecord): Checkin {
  return checkin;
}

async function replay(store: Store, user: User, key: string, hash: string): Promise<CheckinAck | null> {
  const prior = await store.checkins.byIdempotencyKey(user.id, key);
  if (!prior) return null;
  if (prior.requestHash !== hash)
    throw new ApiError('conflict', `idempotency key ${key} was already used for another check-in`);
  return toAck(prior);
}

async function submit(
  deps: CheckinDeps,
  user: User,
  postId: string,
  input: CheckinInput,
  headerKey?: string | null,
): Promise<CheckinAck> {
  const key = idempotencyKey(input, headerKey);
  const hash = requestHash({ ...input, postId });
  const earlier = key ? await replay(deps.store, user, key, hash) : null;
  if (earlier) return earlier;
  postFor(deps, user, postId);
  const t = deps.now();
  const record: CheckinRecord = {
    ...{ id: nextId(t), postId, t, userId: user.id, userName: user.username },
    ...{ lon: input.lon ?? null, lat: input.lat ?? null, note: input.note ?? '' },
    ...{ idempotencyKey: key, requestHash: key ? hash : null },
  };
  try {
    await deps.store.checkins.create(record);
  } catch (error) {
    // A concurrent retry stored first: its answer is the answer.
    const raced = key && error instanceof ConflictError ? await replay(deps.store, user, key, hash) : null;
    if (raced) return raced;
    throw error;
  }
  return toAck(record);
}

/** Posts judged for a period are not looked at again until their next period ends. */
type Judged = Map<string, number>;

async function checkMissed(deps: CheckinDeps, judged: Judged, now: number, startedAt: number) {
  // Posts grouped by their last ended period: one query per distinct period.
  const due = new Map<string, { period: CheckinPeriod; posts: PostInfo[] }>();
  for (const post of deps.posts().posts()) {
    if (!post.schedule) continue;
    const period = lastEndedPeriod(post.schedule, now, deps.timeZone);
    // A period the server did not watch from its start is not judged: nobody could check in while it was down.
    if (!period || period.start < startedAt || judged.get(post.id) === period.start) continue;
    const key = `${period.start}/${period.end}`;
    const group = due.get(key) ?? { period, posts: [] };
    group.posts.push(post);
    due.set(key, group);
  }
  if (due.size === 0) return 0;
  const last = await deps.store.checkins.lastByPost();
  let raised = 0;
  for (const { period, posts } of due.values()) {
    const present = await deps.store.checkins.checkedIn(
      posts.map((p) => p.id),
      period.start,
      period.end,
    );
    for (const post of posts) {
      judged.set(post.id, period.start);
      if (present.has(post.id)) continue;
      const segment = post.segmentId ? deps.router().segment(post.segmentId) : null;
      const alert = await deps.alerts.create({
        type: 'checkin.missed',
        severity: 'warning',
        message: `${post.name} ${describePeriod(period, deps.timeZone)} 未签到`,
        lon: post.lon,
        lat: post.lat,
        unitId: segment?.roadChief?.unitId ?? null,
        gridId: post.gridId,
        data: {
          postId: post.id,
          postName: post.name,
          groupId: post.groupId,
          segmentId: post.segmentId,
          periodStart: period.start,
          periodEnd: period.end,
          lastCheckinAt: last.get(post.id) ?? null,
        },
        t: now,
        // Once per post and period, across restarts too.
        sourceKey: `checkin.missed:${post.id}:${period.start}`,
      });
      if (alert) raised++;
    }
  }
  return raised;
}

export function createCheckinService(deps: CheckinDeps): CheckinService {
  const judged: Judged = new Map();
  return {
    submit: (user, postId, input, headerKey) => submit(deps, user, postId, input, headerKey),
    async list(user, postId, { since, cursor, limit }) {
      postFor(deps, user, postId);
      const rows = await deps.store.checkins.list({ postId, since, cursor, limit: limit + 1 });
      const items = rows.slice(0, limit).map(toCheckin);
      return { items, nextCursor: rows.length > limit ? (items.at(-1)?.id ?? null) : null };
    },
    checkMissed: (now, startedAt) => checkMissed(deps, judged, now, startedAt),
  };
}
