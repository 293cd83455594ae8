// The scenario is reproducible: a fresh build gives the committed files byte for byte.
import { describe, expect, it } from 'vitest';
import { buildScenario } from '../../scripts/scenario/index';
import { createRng } from '../../scripts/scenario/prng';
import { readText } from './load';

describe('determinism', () => {
  it('the seeded PRNG repeats itself and differs between seeds', () => {
    const draw = (seed: string): number[] => {
      const r = createRng(seed);
      return Array.from({ length: 5 }, () => r.next());
    };
    expect(draw('a')).toEqual(draw('a'));
    expect(draw('a')).not.toEqual(draw('b'));
  });
  it('buildScenario() rebuilds every committed file in data/ byte for byte', { timeout: 180_000 }, () => {
    const files = buildScenario();
    expect(Object.keys(files).length).toBeGreaterThanOrEqual(10);
    for (const [path, text] of Object.entries(files)) {
      const name = path.replace(/^data\//, '');
      expect(readText(name) === text, `${path} differs from a fresh build: run npx tsx scripts/build-scenario.ts`).toBe(true);
    }
  });
});
