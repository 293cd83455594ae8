// The demo's settings: DEMO_BACKFILL_DAYS, DEMO_SEED, DEMO_LIFE_INTERVAL_MS, with defaults and one-line errors.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config';

describe('demo settings', () => {
  it('default to a 3-day backfill, a fixed seed and a happening every two minutes', () => {
    expect(loadConfig({})).toMatchObject({
      demoBackfillDays: 3,
      demoSeed: 20121106,
      demoLifeIntervalMs: 120_000,
    });
  });

  it('take 0 to turn the backfill or demo life off', () => {
    expect(loadConfig({ DEMO_BACKFILL_DAYS: '0', DEMO_LIFE_INTERVAL_MS: '0' })).toMatchObject({
      demoBackfillDays: 0,
      demoLifeIntervalMs: 0,
    });
  });

  it('fit the default backfill into a shorter HISTORY_DAYS, but refuse an explicit one that does not fit', () => {
    expect(loadConfig({ HISTORY_DAYS: '1' }).demoBackfillDays).toBe(1);
    expect(() => loadConfig({ HISTORY_DAYS: '2', DEMO_BACKFILL_DAYS: '5' })).toThrow(
      /^DEMO_BACKFILL_DAYS=5 is more than HISTORY_DAYS=2/,
    );
    expect(loadConfig({ HISTORY_DAYS: '2', DEMO_BACKFILL_DAYS: '5', DEMO: '0' }).demoBackfillDays).toBe(5);
  });

  it.each([
    [{ DEMO_BACKFILL_DAYS: 'three' }, /^DEMO_BACKFILL_DAYS must be an integer/],
    [{ DEMO_BACKFILL_DAYS: '31' }, /^DEMO_BACKFILL_DAYS must be between 0 and 30/],
    [{ DEMO_SEED: '-1' }, /^DEMO_SEED must be between 0 and 4294967295/],
    [{ DEMO_LIFE_INTERVAL_MS: '50' }, /^DEMO_LIFE_INTERVAL_MS must be 0 \(off\) or at least 100/],
    [{ DEMO_LIFE_INTERVAL_MS: '1.5' }, /^DEMO_LIFE_INTERVAL_MS must be an integer/],
  ])('rejects %o', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});
