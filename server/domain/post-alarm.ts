// A household post's alarm (户哨报警): one critical `post.alarm` alert addressed to the post's ten-household
// group (十户联防), the nearest patrol unit on the live map and the grid's 7+X staff, each acknowledging on its own.
import { distanceMeters } from '../../geo';
import type { AlertRecord, PostAlarmInput, UnitState, User } from '../contract';
import { ApiError } from '../http/errors';
import type { AlertInput, AlertService } from './alerts';
import type { CheckinDeps } from './checkins';
import { postFor } from './checkins';
import { idempotencyKey } from './reports';
import type { PostInfo } from './posts';
import type { Router } from './routing';

export interface PostAlarmDeps extends Pick<CheckinDeps, 'store' | 'posts' | 'router' | 'now'> {
  alerts: AlertService;
  /** The live units (fresh and stale): the nearest fresh one is told. */
  units?: () => readonly UnitState[];
}

type Recipients = NonNullable<AlertInput['recipients']>;

/** The nearest unit whose position is current; stale units may be anywhere by now. */
export function nearestUnit(
  units: readonly UnitState[],
  lon: number,
  lat: number,
): { unit: UnitState; meters: number } | null {
  let best: { unit: UnitState; meters: number } | null = null;
  for (const unit of units) {
    if (unit.stale) continue;
    const meters = distanceMeters(lon, lat, unit.lon, unit.lat);
    if (!best || meters < best.meters) best = { unit, meters };
  }
  return best;
}

function recipientsOf(deps: PostAlarmDeps, post: PostInfo, router: Router) {
  const recipients: Recipients = deps
    .posts()
    .groupMates(post)
    .map((mate) => ({ type: 'post' as const, id: mate.id, name: mate.name }));
  const nearest = nearestUnit(deps.units?.() ?? [], post.lon, post.lat);
  if (nearest) recipients.push({ type: 'unit', id: nearest.unit.id, name: nearest.unit.callsign });
  for (const member of post.gridId ? router.roster(post.gridId) : [])
    recipients.push({ type: 'staff', id: member.id, name: member.name });
  return { recipients, nearest };
}

async function replay(deps: PostAlarmDeps, sourceKey: string, postId: string, note: string) {
  const prior = await deps.store.alerts.bySourceKey(sourceKey);
  if (!prior) return null;
  if (prior.data.postId !== postId || prior.data.note !== note)
    throw new ApiError('conflict', 'this idempotency key was already used for another alarm');
  return prior;
}

export async function raisePostAlarm(
  deps: PostAlarmDeps,
  user: User,
  postId: string,
  input: PostAlarmInput,
  headerKey?: string | null,
): Promise<AlertRecord> {
  const key = idempotencyKey(input, headerKey);
  const note = input.note ?? '';
  const sourceKey = key ? `post.alarm:${user.id}:${key}` : null;
  const earlier = sourceKey ? await replay(deps, sourceKey, postId, note) : null;
  if (earlier) return earlier;
  const post = postFor(deps, user, postId);
  const { recipients, nearest } = recipientsOf(deps, post, deps.router());
  const alert = await deps.alerts.create({
    type: 'post.alarm',
    severity: 'critical',
    message: `${post.name}报警${note ? `：${note}` : ''}`,
    lon: post.lon,
    lat: post.lat,
    unitId: null,
    gridId: post.gridId,
    data: {
      postId: post.id,
      postName: post.name,
      groupId: post.groupId,
      groupName: post.groupName,
      segmentId: post.segmentId,
      note,
      raisedBy: user.username,
      nearestUnit: nearest ? { id: nearest.unit.id, meters: Math.round(nearest.meters) } : null,
    },
    sourceKey,
    recipients,
  });
  // null: a concurrent retry with the same key stored first.
  const raced = alert ?? (sourceKey ? await replay(deps, sourceKey, postId, note) : null);
  if (!raced) throw new ApiError('conflict', 'the alarm could not be stored: retry');
  return raced;
}
