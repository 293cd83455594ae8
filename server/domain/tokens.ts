// Access and refresh tokens: JWT, HS256 only, signed with JWT_SECRET, issuer and audience checked; the type
// claim keeps the two apart.
import { SignJWT, jwtVerify } from 'jose';

const ALGORITHM = 'HS256';
const ISSUER = 'lianfang';
/** Whom the tokens are for: this API (a token minted for another service with the same secret is refused). */
const AUDIENCE = 'lianfang-api';
export const ACCESS_TOKEN_TTL_S = 15 * 60;
export const REFRESH_TOKEN_TTL_S = 30 * 24 * 3600;

export type TokenType = 'access' | 'refresh';

export interface Tokens {
  /** `version` is the user's token version: bumping it (password change, sign-out) revokes older tokens. */
  issue(userId: string, type: TokenType, version?: number): Promise<string>;
  /** The user id and token version, or null when the token is invalid, expired or of the other type. */
  verify(token: string, type: TokenType): Promise<{ userId: string; version: number } | null>;
}

export function createTokens(secret: string, now: () => number = Date.now): Tokens {
  const key = new TextEncoder().encode(secret);
  return {
    issue: async (userId, type, version = 0) => {
      const iat = Math.floor(now() / 1000);
      return new SignJWT({ typ: type, ver: version })
        .setProtectedHeader({ alg: ALGORITHM })
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setSubject(userId)
        .setIssuedAt(iat)
        .setExpirationTime(iat + (type === 'access' ? ACCESS_TOKEN_TTL_S : REFRESH_TOKEN_TTL_S))
        .sign(key);
    },
    verify: async (token, type) => {
      try {
        const { payload } = await jwtVerify(token, key, {
          algorithms: [ALGORITHM],
          issuer: ISSUER,
          audience: AUDIENCE,
          currentDate: new Date(now()),
        });
        if (payload.typ !== type || typeof payload.sub !== 'string') return null;
        // tokens from before versions existed carry none: version 0
        const version = payload.ver === undefined ? 0 : payload.ver;
        return typeof version === 'number' ? { userId: payload.sub, version } : null;
      } catch {
        return null;
      }
    },
  };
}
