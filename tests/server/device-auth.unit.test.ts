// Device secrets (generated, hashed, checked in constant time) and the per-device token bucket.
import { describe, expect, it } from 'vitest';
import {
  checkDeviceSecret,
  createDeviceRateLimit,
  generateDeviceSecret,
  hashDeviceSecret,
} from '../../server/security/device-auth';

describe('device secrets', () => {
  it('are random 43-character base64url tokens', () => {
    const a = generateDeviceSecret();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(generateDeviceSecret()).not.toBe(a);
  });

  it('open only their unit; a unit without one takes any fix', () => {
    const secret = generateDeviceSecret();
    const hash = hashDeviceSecret(secret);
    expect(checkDeviceSecret(hash, secret)).toBe('ok');
    expect(checkDeviceSecret(hash, `${secret}x`)).toBe('wrong');
    expect(checkDeviceSecret(hash, null)).toBe('missing');
    expect(checkDeviceSecret(hash, '')).toBe('missing');
    expect(checkDeviceSecret(null, null)).toBe('ok');
  });
});

describe('per-device rate limit', () => {
  it('allows the burst, then the sustained rate, per device', () => {
    let t = 0;
    const limit = createDeviceRateLimit({ perSecond: 2, burst: 3 }, () => t);
    expect([1, 2, 3, 4].map(() => limit.take('phone-a'))).toEqual([true, true, true, false]);
    expect(limit.take('phone-b')).toBe(true); // another phone behind the same NAT is not affected
    t += 500; // one token back
    expect(limit.take('phone-a')).toBe(true);
    expect(limit.take('phone-a')).toBe(false);
    t += 10_000; // refills to the burst, not beyond
    expect([1, 2, 3, 4].map(() => limit.take('phone-a'))).toEqual([true, true, true, false]);
  });
});
