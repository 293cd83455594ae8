// Configuration from the environment: defaults, and one-line errors naming the variable.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config';

describe('loadConfig', () => {
  it('has the documented defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 8080,
      scenario: true,
      demo: true,
      demoPassword: 'lianfang-demo',
      osmandPort: 5055,
      cotPort: 8087,
      flushMs: 100,
      unitStaleMs: 120_000,
      historyDays: 7,
      borderZoneMeters: 500,
      timeZone: 'Asia/Shanghai',
    });
    expect(config.dataDir).toMatch(/var$/);
  });

  it.each([
    [{ PORT: 'abc' }, /^PORT must be an integer/],
    [{ PORT: '70000' }, /^PORT must be between/],
    [{ DEMO: 'maybe' }, /^DEMO must be 1 or 0/],
    [{ FLUSH_MS: '1.5' }, /^FLUSH_MS must be an integer/],
    [{ TZ: 'Mars/Olympus' }, /^TZ must be an IANA time zone/],
    [{ TLS_CERT: '/tmp/cert.pem' }, /TLS_CERT and TLS_KEY must be set together/],
    [{ JWT_SECRET: 'short' }, /JWT_SECRET must be at least 32/],
    [{ NODE_ENV: 'production' }, /JWT_SECRET is required/],
    [
      { NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) },
      /NODE_ENV=production with DEMO=1 and the default/,
    ],
  ])('rejects %o', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('refuses demo mode on a non-loopback host with the default demo password, and says why', () => {
    expect(() => loadConfig({ HOST: '0.0.0.0' })).toThrow(/DEMO_PASSWORD/);
    expect(loadConfig({ HOST: '0.0.0.0', DEMO_PASSWORD: 'a-secret-of-our-own' }).host).toBe('0.0.0.0');
    expect(loadConfig({ HOST: '0.0.0.0', DEMO: '0' }).demo).toBe(false);
    expect(loadConfig({ HOST: '::1' }).host).toBe('::1');
  });

  it('starts in production with its own secrets: a JWT_SECRET, and DEMO=0 or a DEMO_PASSWORD of its own', () => {
    const secret = 'x'.repeat(32);
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: secret, DEMO: '0' }).demo).toBe(false);
    expect(
      loadConfig({ NODE_ENV: 'production', JWT_SECRET: secret, DEMO_PASSWORD: 'a-secret-of-our-own' }).demo,
    ).toBe(true);
  });
});
