// The first accounts: the four demo users (DEMO=1), or the first admin from ADMIN_PASSWORD (DEMO=0).
import type { Feature } from 'geojson';
import type { Role } from '../contract';
import type { Store, UserRecord } from '../store/store';
import { newId } from './ids';
import { hashPassword } from './passwords';

export class AccountsError extends Error {}

function byId(a: Feature, b: Feature): number {
  return String(a.id ?? a.properties?.id).localeCompare(String(b.id ?? b.properties?.id));
}

async function createIfAbsent(
  store: Store,
  user: Omit<UserRecord, 'id' | 'createdAt' | 'passwordHash'>,
  password: string,
  now: number,
): Promise<boolean> {
  if (await store.users.byUsername(user.username)) return false;
  await store.users.create({
    ...user,
    id: newId(now),
    passwordHash: await hashPassword(password),
    createdAt: now,
  });
  return true;
}

function plain(username: string, role: Role): Omit<UserRecord, 'id' | 'createdAt' | 'passwordHash'> {
  return { username, role, unitId: null, segmentIds: [], areaId: null, staffId: null };
}

/** admin, operator, leader (road chief of the first segment, bound to a unit) and staff (7+X of the first grid). */
export async function seedDemoAccounts(store: Store, password: string, now: number): Promise<string[]> {
  const segments = [...((await store.layers.get('segments'))?.collection.features ?? [])].sort(byId);
  const grids = [...((await store.layers.get('grids'))?.collection.features ?? [])].sort(byId);
  const firstSegment = segments[0];
  const chief = firstSegment?.properties?.roadChief as { unitId?: string } | undefined;
  const firstGrid = grids[0];
  const staff = (firstGrid?.properties?.staff as { id?: string }[] | undefined)?.[0];
  const candidates = [
    plain('admin', 'admin'),
    plain('operator', 'operator'),
    {
      ...plain('leader', 'leader'),
      unitId: chief?.unitId ?? null,
      segmentIds: firstSegment ? [String(firstSegment.id ?? firstSegment.properties?.id)] : [],
    },
    {
      ...plain('staff', 'staff'),
      areaId: firstGrid ? String(firstGrid.id ?? firstGrid.properties?.id) : null,
      staffId: staff?.id ?? null,
    },
  ];
  const created: string[] = [];
  for (const user of candidates) {
    if (await createIfAbsent(store, user, password, now)) created.push(user.username);
  }
  return created;
}

/** With DEMO=0 and no users yet, the first admin; ADMIN_PASSWORD is required then. */
export async function ensureFirstAdmin(
  store: Store,
  adminPassword: string | null,
  now: number,
): Promise<boolean> {
  if ((await store.users.count()) > 0) return false;
  if (adminPassword === null) {
    throw new AccountsError(
      'ADMIN_PASSWORD is required on first start with DEMO=0 (the store has no users yet)',
    );
  }
  if (adminPassword.length < 8) throw new AccountsError('ADMIN_PASSWORD must be at least 8 characters');
  return createIfAbsent(store, plain('admin', 'admin'), adminPassword, now);
}
