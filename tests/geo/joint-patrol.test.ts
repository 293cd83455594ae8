// createJointPatrolDetector: golden scenarios, DOMAIN.md timing rules, determinism and 10,000 units per update.
import { describe, expect, it } from 'vitest';
import { createJointPatrolDetector, distanceMeters, findUnitLinks, metersPerDegree } from '../../geo';
import type { JointPatrol, JointPatrolEvent, PatrolUnit } from '../../geo';
import { scenario, scenarios, toGolden } from './support/golden';
import { createRandom } from './support/random';
import { shuffleInPlace } from './support/layers';

interface PatrolScenario {
  description: string;
  steps: { now: number; units: PatrolUnit[] }[];
}

interface Step {
  now: number;
  patrols: JointPatrol[];
  events: JointPatrolEvent[];
}

function run(s: PatrolScenario): Step[] {
  const detector = createJointPatrolDetector();
  return s.steps.map(({ now, units }) => ({ now, ...detector.update(units, now) }));
}

const trace = (name: string): Step[] => run(scenario<PatrolScenario>('joint-patrol', name).input);
const eventsOf = (steps: Step[]): string[] =>
  steps.flatMap((s) =>
    s.events.map((e) => `${s.now}:${e.type}:${e.patrol.id}:${e.patrol.memberIds.join('+')}`),
  );

describe('joint patrol golden scenarios', () => {
  for (const { name, input, outPath } of scenarios<PatrolScenario>('joint-patrol')) {
    it(name, async () => {
      await expect(toGolden({ description: input.description, steps: run(input) })).toMatchFileSnapshot(
        outPath,
      );
    });
  }
});

describe('joint patrol rules (DOMAIN.md defaults)', () => {
  it('three-kinds-form: forms at 60 s, not before, with all three kinds and a stable id', () => {
    const steps = trace('three-kinds-form');
    expect(steps.slice(0, 6).every((s) => s.patrols.length === 0)).toBe(true);
    expect(eventsOf(steps)).toEqual(['60000:joint.formed:jp-c-01-60000:c-01+m-01+p-01']);
    const patrol = steps[6]?.patrols[0];
    expect(patrol?.kinds).toEqual(['military', 'police', 'civilian']);
    expect(patrol?.formedAt).toBe(60_000);
    expect(steps[7]?.patrols[0]?.id).toBe('jp-c-01-60000');
  });

  it('single-kind-never-forms', () => {
    expect(
      trace('single-kind-never-forms').every((s) => s.patrols.length === 0 && s.events.length === 0),
    ).toBe(true);
  });

  it('member-leaves-with-hysteresis: 80 m is still with the group; a short absence is forgiven; 120 s away leaves', () => {
    const steps = trace('member-leaves-with-hysteresis');
    expect(eventsOf(steps)).toEqual([
      '60000:joint.formed:jp-c-01-60000:c-01+m-01+p-01',
      '320000:joint.changed:jp-c-01-60000:m-01+p-01',
    ]);
    expect(steps.find((s) => s.now === 140_000)?.patrols[0]?.memberIds).toEqual(['c-01', 'm-01', 'p-01']);
  });

  it('dissolve: one kind left for 120 s dissolves the patrol', () => {
    expect(eventsOf(trace('dissolve'))).toEqual([
      '60000:joint.formed:jp-m-01-60000:m-01+p-01',
      '220000:joint.dissolved:jp-m-01-60000:m-01+p-01',
    ]);
  });

  it('forms-and-splits: the group with the lowest id keeps the patrol, the other pair forms its own', () => {
    expect(eventsOf(trace('forms-and-splits'))).toEqual([
      '60000:joint.formed:jp-m-01-60000:m-01+m-02+p-01+p-02',
      '220000:joint.changed:jp-m-01-60000:m-01+p-01',
      '220000:joint.formed:jp-m-02-220000:m-02+p-02',
    ]);
  });

  it('patrols-merge: two patrols together for 60 s merge into the older one', () => {
    const steps = trace('patrols-merge');
    const events = steps.flatMap((s) => s.events);
    const dissolved = events.find((e) => e.type === 'joint.dissolved');
    expect(dissolved?.mergedInto).toBe('jp-m-01-60000');
    expect(steps.at(-1)?.patrols.map((p) => p.memberIds)).toEqual([['c-02', 'm-01', 'm-02', 'p-01']]);
  });

  it('does not depend on the order of the units in an update', () => {
    const input = scenario<PatrolScenario>('joint-patrol', 'forms-and-splits').input;
    const random = createRandom(8);
    const shuffled: PatrolScenario = {
      ...input,
      steps: input.steps.map((s) => {
        const units = [...s.units];
        shuffleInPlace(units, random);
        return { ...s, units };
      }),
    };
    expect(run(shuffled)).toEqual(run(input));
  });
});

/** 10,000 units: groups of 2–5 mixed-kind units spread over a 60 × 40 km border area. */
function crowd(count: number, seed: number): PatrolUnit[] {
  const random = createRandom(seed);
  const kinds = ['military', 'police', 'civilian'] as const;
  const k = metersPerDegree(22.1);
  const units: PatrolUnit[] = [];
  while (units.length < count) {
    const [cx, cy] = [random() * 60_000, random() * 40_000];
    const size = 2 + Math.floor(random() * 4);
    for (let i = 0; i < size && units.length < count; i++) {
      const id = `u-${String(units.length).padStart(5, '0')}`;
      const [x, y] = [cx + (random() - 0.5) * 60, cy + (random() - 0.5) * 60];
      units.push({
        id,
        kind: kinds[Math.floor(random() * 3)] as PatrolUnit['kind'],
        lon: 106.5 + x / k.x,
        lat: 21.9 + y / k.y,
        t: 0,
      });
    }
  }
  return units;
}

describe('joint patrols at scale', () => {
  it('handles 10,000 units per update in reasonable time and finds the same links as all-pairs', () => {
    const units = crowd(10_000, 3);
    const detector = createJointPatrolDetector();
    const times: number[] = [];
    let last = { patrols: [] as JointPatrol[], events: [] as JointPatrolEvent[] };
    for (let now = 0; now <= 60_000; now += 10_000) {
      const started = performance.now();
      last = detector.update(units, now);
      times.push(performance.now() - started);
    }
    console.log(`joint patrols, 10,000 units: ${times.map((t) => t.toFixed(0)).join(' / ')} ms per update`);
    expect(Math.max(...times)).toBeLessThan(10_000);
    expect(last.events.filter((e) => e.type === 'joint.formed').length).toBeGreaterThan(1_000);

    const sample = units.slice(0, 1_500);
    const links = findUnitLinks(sample, 50);
    const fromTree = new Set(links.a.map((a, i) => `${a}-${links.b[i]}`));
    const allPairs = new Set<string>();
    for (let i = 0; i < sample.length; i++) {
      for (let j = i + 1; j < sample.length; j++) {
        const [p, q] = [sample[i] as PatrolUnit, sample[j] as PatrolUnit];
        if (distanceMeters(p.lon, p.lat, q.lon, q.lat) <= 50) allPairs.add(`${i}-${j}`);
      }
    }
    expect(allPairs.size).toBeGreaterThan(1_000);
    expect(fromTree).toEqual(allPairs);
  }, 60_000);
});
