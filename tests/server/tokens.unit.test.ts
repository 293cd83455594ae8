// Tokens: HS256 only, issuer and audience checked, expiry on the clock, the type claim keeps access and
// refresh apart, and a token signed with the right secret but for another audience or issuer is refused.
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { ACCESS_TOKEN_TTL_S, createTokens } from '../../server/domain/tokens';

const SECRET = 'test-secret-test-secret-test-secret-0123';
const key = new TextEncoder().encode(SECRET);

const forged = (claims: { iss?: string; aud?: string; alg?: string }): Promise<string> => {
  const jwt = new SignJWT({ typ: 'access', ver: 0 })
    .setProtectedHeader({ alg: claims.alg ?? 'HS256' })
    .setSubject('u-1')
    .setIssuedAt()
    .setExpirationTime('10m');
  if (claims.iss) jwt.setIssuer(claims.iss);
  if (claims.aud) jwt.setAudience(claims.aud);
  return jwt.sign(key);
};

describe('tokens', () => {
  it('verifies its own access token until it expires, and never as a refresh token', async () => {
    let now = Date.UTC(2026, 10, 29);
    const tokens = createTokens(SECRET, () => now);
    const access = await tokens.issue('u-1', 'access', 3);
    expect(await tokens.verify(access, 'access')).toEqual({ userId: 'u-1', version: 3 });
    expect(await tokens.verify(access, 'refresh')).toBeNull();
    now += (ACCESS_TOKEN_TTL_S + 1) * 1000;
    expect(await tokens.verify(access, 'access')).toBeNull();
  });

  it('refuses a token with the right secret but another audience, another issuer, or none', async () => {
    const tokens = createTokens(SECRET);
    expect(await tokens.verify(await forged({ iss: 'lianfang', aud: 'lianfang-api' }), 'access')).toEqual({
      userId: 'u-1',
      version: 0,
    });
    expect(await tokens.verify(await forged({ iss: 'lianfang', aud: 'other-service' }), 'access')).toBeNull();
    expect(await tokens.verify(await forged({ iss: 'lianfang' }), 'access')).toBeNull();
    expect(
      await tokens.verify(await forged({ iss: 'someone-else', aud: 'lianfang-api' }), 'access'),
    ).toBeNull();
  });

  it('refuses another algorithm, even signed with the same secret', async () => {
    const tokens = createTokens(SECRET);
    const hs512 = await forged({ iss: 'lianfang', aud: 'lianfang-api', alg: 'HS512' });
    expect(await tokens.verify(hs512, 'access')).toBeNull();
  });
});
