// Who is calling: password login, token refresh, and the User behind an access token.
import type { LoginResponse, User } from '../contract';
import type { UserRecord, UserStore } from '../store/store';
import { verifyPassword } from './passwords';
import type { Tokens } from './tokens';

export interface Auth {
  login(username: string, password: string): Promise<LoginResponse | null>;
  refresh(refreshToken: string): Promise<LoginResponse | null>;
  userFromToken(token: string): Promise<User | null>;
  /** New tokens for a user (after a password change revoked the old ones). */
  session(record: UserRecord): Promise<LoginResponse>;
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
    token: await tokens.issue(record.id, 'access', record.tokenVersion ?? 0),
    refreshToken: await tokens.issue(record.id, 'refresh', record.tokenVersion ?? 0),
    user: toUser(record),
  });
  /** The user a token names, if the token's version is still the user's (not revoked since). */
  const holder = async (token: string, type: 'access' | 'refresh'): Promise<UserRecord | null> => {
    const claims = await tokens.verify(token, type);
    const record = claims ? await users.byId(claims.userId) : null;
    return record && (record.tokenVersion ?? 0) === claims?.version ? record : null;
  };
  return {
    session,
    login: async (username, password) => {
      const record = await users.byUsername(username);
      const ok = await verifyPassword(password, record?.passwordHash ?? ABSENT_USER_HASH);
      return record && ok ? session(record) : null;
    },
    refresh: async (refreshToken) => {
      const record = await holder(refreshToken, 'refresh');
      return record ? session(record) : null;
    },
    userFromToken: async (token) => {
      const record = await holder(token, 'access');
      return record ? toUser(record) : null;
    },
  };
}
