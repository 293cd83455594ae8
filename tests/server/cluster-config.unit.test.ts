// REDIS_URL in the configuration: several nodes need one shared JWT_SECRET, and the URL must be Redis's.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config';

const SECRET = 'a-secret-of-at-least-thirty-two-characters';

describe('REDIS_URL', () => {
  it('is off by default and taken as given with a shared JWT_SECRET', () => {
    expect(loadConfig({}).redisUrl).toBeNull();
    expect(loadConfig({ REDIS_URL: 'redis://10.0.0.5:6379/0', JWT_SECRET: SECRET }).redisUrl).toBe(
      'redis://10.0.0.5:6379/0',
    );
    expect(loadConfig({ REDIS_URL: 'rediss://cache.internal:6380', JWT_SECRET: SECRET }).redisUrl).toBe(
      'rediss://cache.internal:6380',
    );
  });

  it('requires JWT_SECRET, since every node must check every token', () => {
    expect(() => loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379' })).toThrow(
      new ConfigError('JWT_SECRET is required with REDIS_URL: every node must share it'),
    );
  });

  it('refuses a URL that is not Redis', () => {
    for (const url of ['http://127.0.0.1:6379', '127.0.0.1:6379', 'redis://']) {
      expect(() => loadConfig({ REDIS_URL: url, JWT_SECRET: SECRET })).toThrow(
        `REDIS_URL must be a redis:// or rediss:// URL, got "${url}"`,
      );
    }
  });
});

describe('METRICS_TOKEN', () => {
  it('is null (loopback only) unless set', () => {
    expect(loadConfig({}).metricsToken).toBeNull();
    expect(loadConfig({ METRICS_TOKEN: 'scrape-me' }).metricsToken).toBe('scrape-me');
  });
});
