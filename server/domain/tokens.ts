// Access and refresh tokens: JWT, HS256 only, signed with JWT_SECRET; the type claim keeps the two apart.
import { SignJWT, jwtVerify } from 'jose';

const ALGORITHM = 'HS256';
const ISSUER = 'lianfang';
export const ACCESS_TOKEN_TTL_S = 15 * 60;
export const REFRESH_TOKEN_TTL_S = 30 * 24 * 3600;

export type TokenType = 'access' | 'refresh';

export interface Tokens {
  issue(userId: string, type: TokenType): Promise<string>;
  /** The user id, or null when the token is invalid, expired or of the other type. */
  verify(token: string, type: TokenType): Promise<string | null>;
}

export function createTokens(secret: string, now: () => number = Date.now): Tokens {
  const key = new TextEncoder().encode(secret);
  return {
    issue: async (userId, type) => {
      const iat = Math.floor(now() / 1000);
      return new SignJWT({ typ: type })
        .setProtectedHeader({ alg: ALGORITHM })
        .setIssuer(ISSUER)
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
          currentDate: new Date(now()),
        });
        return payload.typ === type && typeof payload.sub === 'string' ? payload.sub : null;
      } catch {
        return null;
      }
    },
  };
}
