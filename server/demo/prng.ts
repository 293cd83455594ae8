// A seeded pseudo-random generator for the demo: the same seed gives the same draws, so a backfill is
// reproducible for a given seed and start time. Not for anything secret.
export interface Random {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max], both included. */
  int(min: number, max: number): number;
  /** A float in [min, max). */
  between(min: number, max: number): number;
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** A key drawn with probability proportional to its weight. */
  weighted<K extends string>(weights: Readonly<Partial<Record<K, number>>>): K;
  /** How many events of a Poisson process with mean `mean` (small means: Knuth's product method). */
  poisson(mean: number): number;
  /** An independent stream for one purpose: drawing more of one kind never shifts another's draws. */
  fork(label: string): Random;
}

/** FNV-1a of a label mixed into a seed: stable stream ids for fork(). */
function mix(seed: number, label: string): number {
  let h = (2166136261 ^ seed) >>> 0;
  for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** A 32-bit generator: a Weyl sequence (step 0x9e3779b9) scrambled by two multiply–xorshift rounds. */
export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return ((z ^ (z >>> 16)) >>> 0) / 4294967296;
  };
  const random: Random = {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    between: (min, max) => min + next() * (max - min),
    chance: (p) => next() < p,
    pick(items) {
      if (items.length === 0) throw new RangeError('pick from an empty list');
      return items[Math.floor(next() * items.length)] as (typeof items)[number];
    },
    weighted(weights) {
      const entries = Object.entries(weights) as [string, number][];
      const total = entries.reduce((sum, [, w]) => sum + Math.max(0, w), 0);
      if (!(total > 0)) throw new RangeError('weighted draw without a positive weight');
      let r = next() * total;
      for (const [key, w] of entries) {
        r -= Math.max(0, w);
        if (r < 0) return key as never;
      }
      return entries.filter(([, w]) => w > 0).at(-1)?.[0] as never;
    },
    poisson(mean) {
      if (!(mean > 0)) return 0;
      const limit = Math.exp(-mean);
      let k = 0;
      for (let p = next(); p > limit; p *= next()) k++;
      return k;
    },
    fork: (label) => createRandom(mix(seed, label)),
  };
  return random;
}
