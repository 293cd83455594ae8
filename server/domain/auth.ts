// Who is calling: password login, token refresh, and the User behind an access token.
import type { LoginResponse, User } from '../contract';
import type { UserRecord, UserStore } from '../store/store';
import { verifyPassword } from './passwords';
import type { Tokens } from './tokens';

export interface Auth {
  login(username: string, password: string): Promise<LoginResponse | null>;
  refresh(refreshToken: string): Promise<LoginResponse | null>;
  userFromToken(token: string): Promise<User | null>;
}

export function toUser(record: UserRecord): User {
  return {
    id: record.id,
    username: record.username,
    role: record.role,
    unitId: record.unitId,
    segmentIds: record.segmentIds,
    areaId: record.areaId,
    staffId: record.staffId,
  };
}

// A fixed hash to verify against when the user does not exist, so timing does not reveal usernames.
const ABSENT_USER_HASH =
  'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

export function createAuth(users: UserStore, tokens: Tokens): Auth {
  const session = async (record: UserRecord): Promise<LoginResponse> => ({
    token: await tokens.issue(record.id, 'access'),
    refreshToken: await tokens.issue(record.id, 'refresh'),
    user: toUser(record),
  });
  return {
    login: async (username, password) => {
      const record = await users.byUsername(username);
      const ok = await verifyPassword(password, record?.passwordHash ?? ABSENT_USER_HASH);
      return record && ok ? session(record) : null;
    },
    refresh: async (refreshToken) => {
      const userId = await tokens.verify(refreshToken, 'refresh');
      const record = userId ? await users.byId(userId) : null;
      return record ? session(record) : null;
    },
    userFromToken: async (token) => {
      const userId = await tokens.verify(token, 'access');
      const record = userId ? await users.byId(userId) : null;
      return record ? toUser(record) : null;
    },
  };
}
