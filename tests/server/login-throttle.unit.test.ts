// The login throttle on its own clock: per-account and per-address limits, the Retry-After it names, and
// the window sliding so that old failures stop counting.
import { describe, expect, it } from 'vitest';
import { createLoginThrottle } from '../../server/security/login-throttle';

const limits = { windowMs: 60_000, perAccount: 3, perAddress: 5 };

describe('login throttle', () => {
  it('locks an account after its limit, for as long as the oldest failure stays in the window', () => {
    let t = 1_000_000;
    const throttle = createLoginThrottle(limits, () => t);
    for (let i = 0; i < 3; i++) {
      expect(throttle.retryAfterS('Operator', `10.0.0.${i}`)).toBe(0);
      throttle.failed('Operator', `10.0.0.${i}`);
      t += 10_000;
    }
    // first failure at 1,000,000 leaves the window at 1,060,000; now is 1,030,000
    expect(throttle.retryAfterS('operator', '10.9.9.9')).toBe(30);
    expect(throttle.retryAfterS('admin', '10.9.9.9')).toBe(0);
    t += 30_000;
    expect(throttle.retryAfterS('operator', '10.9.9.9')).toBe(0);
  });

  it('locks an address spraying many accounts, not the accounts elsewhere', () => {
    let t = 0;
    const throttle = createLoginThrottle(limits, () => t);
    for (let i = 0; i < 5; i++) throttle.failed(`user${i}`, '192.0.2.1');
    t += 1;
    expect(throttle.retryAfterS('someone', '192.0.2.1')).toBe(60);
    expect(throttle.retryAfterS('someone', '192.0.2.2')).toBe(0);
  });

  it('clears an account on success', () => {
    const throttle = createLoginThrottle(limits, () => 0);
    for (let i = 0; i < 3; i++) throttle.failed('leader', '192.0.2.1');
    throttle.succeeded('leader');
    expect(throttle.retryAfterS('leader', '192.0.2.3')).toBe(0);
  });
});
