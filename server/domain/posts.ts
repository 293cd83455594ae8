// The posts layer as the closed loop reads it: household posts (户哨), their ten-household groups (十户联防),
// the grid and segment each belongs to, and when each is expected to check in.
import type { Feature, FeatureCollection } from 'geojson';
import type { Store } from '../store/store';
import { CheckinScheduleJson, DEFAULT_CHECKINS, type CheckinSchedule } from './deadlines';

export interface PostInfo {
  id: string;
  type: string;
  name: string;
  lon: number;
  lat: number;
  groupId: string | null;
  groupName: string | null;
  gridId: string | null;
  segmentId: string | null;
  /** null: this post is not expected to check in. */
  schedule: CheckinSchedule | null;
}

export interface PostDirectory {
  post(id: string): PostInfo | null;
  posts(): PostInfo[];
  /** The other posts of the post's ten-household group (none when it has no group). */
  groupMates(post: PostInfo): PostInfo[];
}

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

/**
 * Households check in on the default schedule unless their `checkinSchedule` property says otherwise;
 * facilities (checkpoints, stations, trade points) only when they have one. `false` or null: never. A
 * property that does not parse falls back to the default rather than silencing the post.
 */
function scheduleOf(feature: Feature, fallback: CheckinSchedule): CheckinSchedule | null {
  const props = feature.properties ?? {};
  if (!('checkinSchedule' in props)) return props.type === 'household' ? fallback : null;
  const raw: unknown = props.checkinSchedule;
  if (raw === false || raw === null) return null;
  const parsed = CheckinScheduleJson.safeParse(raw);
  return parsed.success ? parsed.data : fallback;
}

/** Where a post lies when its properties name no grid. */
export type LocateGrid = (lon: number, lat: number) => string | null;

function toPost(feature: Feature, fallback: CheckinSchedule, locate?: LocateGrid): PostInfo | null {
  if (feature.geometry?.type !== 'Point') return null;
  const props = feature.properties ?? {};
  const id = String(feature.id ?? props.id);
  const [lon, lat] = feature.geometry.coordinates as [number, number];
  return {
    id,
    type: text(props.type) ?? 'household',
    name: text(props.name) ?? id,
    lon,
    lat,
    groupId: text(props.groupId),
    groupName: text(props.groupName),
    gridId: text(props.gridId) ?? locate?.(lon, lat) ?? null,
    segmentId: text(props.segmentId),
    schedule: scheduleOf(feature, fallback),
  };
}

export function createPostDirectory(
  layer: FeatureCollection,
  fallback: CheckinSchedule = DEFAULT_CHECKINS,
  locate?: LocateGrid,
): PostDirectory {
  const byId = new Map<string, PostInfo>();
  const groups = new Map<string, PostInfo[]>();
  for (const feature of layer.features) {
    const post = toPost(feature, fallback, locate);
    if (!post) continue;
    byId.set(post.id, post);
    if (post.groupId) groups.set(post.groupId, [...(groups.get(post.groupId) ?? []), post]);
  }
  return {
    post: (id) => byId.get(id) ?? null,
    posts: () => [...byId.values()],
    groupMates: (post) => (post.groupId ? (groups.get(post.groupId) ?? []) : []).filter((p) => p !== post),
  };
}

export async function loadPostDirectory(
  store: Store,
  fallback?: CheckinSchedule,
  locate?: LocateGrid,
): Promise<PostDirectory> {
  const layer = (await store.layers.get('posts'))?.collection;
  return createPostDirectory(layer ?? { type: 'FeatureCollection', features: [] }, fallback, locate);
}
