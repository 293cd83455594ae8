// A posts layer and extra accounts for the household-post tests: two ten-household groups (十户联防) and a checkpoint, placed in
// the grids of both the closed-loop test layers and the fixture scenario (t-grid-1 is in both).
import type { Feature, FeatureCollection } from 'geojson';
import { hashPassword } from '../../server/domain/passwords';
import type { Store, UserRecord } from '../../server/store/store';
import { DEMO_PASSWORD } from '../support/server';

const post = (id: string, lon: number, lat: number, properties: Record<string, unknown>): Feature => ({
  type: 'Feature',
  id,
  properties: { id, type: 'household', name: `${id}户哨`, ...properties },
  geometry: { type: 'Point', coordinates: [lon, lat] },
});

const group1 = { groupId: 't-jdg-1', groupName: '十户联防第1组', segmentId: 't-seg-01', gridId: 't-grid-1' };
const group2 = { groupId: 't-jdg-2', groupName: '十户联防第2组', segmentId: 't-seg-02', gridId: 't-grid-3' };

/**
 * t-hh-1…3: group 1 in t-grid-1 on t-seg-01, the default schedule (08–14, 14–20 local). t-hh-4: group 2 in
 * t-grid-3 on t-seg-02, its own schedule (every 2 h, 08–12). t-hh-5: group 2, never expected (false).
 * t-cp-1: a checkpoint (facilities are not expected to check in).
 */
export function testPosts(): FeatureCollection {
  return {
    type: 'FeatureCollection',
    features: [
      post('t-hh-1', 106.705, 21.99, group1),
      post('t-hh-2', 106.706, 21.991, group1),
      post('t-hh-3', 106.707, 21.992, group1),
      post('t-hh-4', 106.75, 21.99, {
        ...group2,
        checkinSchedule: { every: '2h', from: '08:00', to: '12:00' },
      }),
      post('t-hh-5', 106.751, 21.99, { ...group2, checkinSchedule: false }),
      post('t-cp-1', 106.715, 21.985, {
        type: 'checkpoint',
        groupId: null,
        segmentId: 't-seg-01',
        gridId: 't-grid-1',
      }),
    ],
  };
}

/** Another account, for "a stranger gets 403": signs in with the demo password. */
export async function addUser(
  store: Store,
  user: Pick<UserRecord, 'username' | 'role'> & Partial<UserRecord>,
  password = DEMO_PASSWORD,
): Promise<void> {
  await store.users.create({
    id: `u-${user.username}`,
    unitId: null,
    segmentIds: [],
    areaId: null,
    staffId: null,
    passwordHash: await hashPassword(password),
    createdAt: 0,
    ...user,
  });
}
