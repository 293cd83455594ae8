// stepFence and signedDistanceToFence: golden traces per scenario, with the PROTOCOLS.md rules asserted.
import { describe, expect, it } from 'vitest';
import { createFenceState, metersPerDegree, signedDistanceToFence, stepFence } from '../../geo';
import type { Fence, FenceEvent, FenceFix, FenceShape, FenceState, FenceTick } from '../../geo';
import { scenario, scenarios, toGolden } from './support/golden';
import { createRandom } from './support/random';

interface FenceScenario {
  description: string;
  fence: Fence;
  subjectId: string;
  inputs: (FenceFix | FenceTick)[];
}

interface TraceStep {
  input: FenceFix | FenceTick;
  status: FenceState['status'];
  committed: FenceState['committed'];
  visitId: string | null;
  events: FenceEvent[];
}

function run(s: FenceScenario): TraceStep[] {
  let state = createFenceState(s.subjectId);
  return s.inputs.map((input) => {
    const step = stepFence(s.fence, state, input);
    state = step.state;
    return {
      input,
      status: state.status,
      committed: state.committed,
      visitId: state.visitId,
      events: step.events,
    };
  });
}

const trace = (name: string): TraceStep[] => run(scenario<FenceScenario>('step-fence', name).input);
const statuses = (steps: TraceStep[]): string[] => steps.map((s) => s.status);
const detections = (steps: TraceStep[]): string[] =>
  steps.flatMap((s) => s.events.map((e) => `${e.detect}@${e.t}`));

describe('stepFence golden scenarios', () => {
  for (const { name, input, outPath } of scenarios<FenceScenario>('step-fence')) {
    it(name, async () => {
      await expect(toGolden({ description: input.description, trace: run(input) })).toMatchFileSnapshot(
        outPath,
      );
    });
  }
});

describe('stepFence rules', () => {
  it('gps-jitter-on-boundary: one enter, no flapping while jittering on the edge, one exit', () => {
    const steps = trace('gps-jitter-on-boundary');
    expect(detections(steps)).toEqual(['enter@0', 'exit@90000']);
    expect(
      statuses(steps)
        .slice(1, -1)
        .every((s) => s === 'INSIDE'),
    ).toBe(true);
    const [enter, exit] = steps.flatMap((s) => s.events);
    expect(enter?.type).toBe('fence.entered');
    expect(exit?.type).toBe('fence.exited');
    expect(exit?.visitId).toBe('f-post:u-1:0');
    expect(enter?.visitId).toBe(exit?.visitId);
  });

  it('device-goes-silent: the dwell commits by tick at its end time; silence then makes it UNKNOWN, not an exit', () => {
    const steps = trace('device-goes-silent');
    expect(statuses(steps)).toEqual([
      'ENTERING',
      'ENTERING',
      'ENTERING',
      'INSIDE',
      'INSIDE',
      'UNKNOWN',
      'UNKNOWN',
    ]);
    expect(detections(steps)).toEqual(['enter@30000']);
    expect(steps[3]?.events[0]?.visitId).toBe('f-checkpoint:u-2:0');
    expect(steps.at(-1)?.committed).toBe('inside');
  });

  it('stale-signal: UNKNOWN after silence, resumes the same visit silently, exits only on evidence', () => {
    const steps = trace('stale-signal');
    expect(statuses(steps)).toEqual([
      'INSIDE',
      'INSIDE',
      'UNKNOWN',
      'INSIDE',
      'INSIDE',
      'EXITING',
      'EXITING',
      'OUTSIDE',
    ]);
    expect(detections(steps)).toEqual(['enter@0', 'exit@430000']);
    expect(steps[3]?.visitId).toBe('f-checkpoint:u-3:0');
  });

  it('out-of-order-fix: an older or same-time fix changes nothing', () => {
    const steps = trace('out-of-order-fix');
    expect(statuses(steps)).toEqual(['INSIDE', 'OUTSIDE', 'OUTSIDE', 'OUTSIDE', 'INSIDE']);
    expect(steps[2]?.events).toEqual([]);
    expect(steps[3]?.events).toEqual([]);
    expect(detections(steps)).toEqual(['enter@0', 'exit@20000', 'enter@25000']);
    expect(steps[4]?.visitId).toBe('f-checkpoint:u-4:25000');
  });

  it('dwell-interrupted: leaving during the dwell cancels it; a new dwell starts from the next inside fix', () => {
    const steps = trace('dwell-interrupted');
    expect(statuses(steps)).toEqual(['ENTERING', 'ENTERING', 'OUTSIDE', 'ENTERING', 'ENTERING', 'INSIDE']);
    expect(detections(steps)).toEqual(['enter@55000']);
    expect(steps[5]?.visitId).toBe('f-checkpoint:u-5:25000');
  });

  it('corridor-shape: 50 m each side of the line, with Tile38 inside/outside detections', () => {
    const steps = trace('corridor-shape');
    expect(detections(steps)).toEqual([
      'outside@0',
      'enter@10000',
      'inside@20000',
      'inside@30000',
      'exit@40000',
      'outside@50000',
    ]);
  });

  it('poor-accuracy: a vague fix cannot enter (UNKNOWN) but a vague fix far outside can exit', () => {
    const steps = trace('poor-accuracy');
    expect(statuses(steps)).toEqual(['UNKNOWN', 'INSIDE', 'UNKNOWN', 'INSIDE', 'OUTSIDE']);
    expect(detections(steps)).toEqual(['enter@5000', 'exit@20000']);
  });

  it('enter-buffer-shrinks: enter only deeper than the enter buffer, exit only beyond the exit buffer', () => {
    const steps = trace('enter-buffer-shrinks');
    expect(statuses(steps)).toEqual(['OUTSIDE', 'INSIDE', 'INSIDE', 'OUTSIDE']);
  });

  it('multipolygon-with-hole: the hole is outside, the second part inside', () => {
    const steps = trace('multipolygon-with-hole');
    expect(statuses(steps)).toEqual(['INSIDE', 'OUTSIDE', 'INSIDE', 'INSIDE', 'OUTSIDE']);
    expect(detections(steps)).toEqual(['enter@0', 'exit@10000', 'enter@20000', 'exit@40000']);
  });

  it('is pure: the input state is not modified', () => {
    const { fence, inputs } = scenario<FenceScenario>('step-fence', 'dwell-interrupted').input;
    const state = createFenceState('u');
    const frozen = JSON.stringify(state);
    const step = stepFence(fence, state, inputs[0] as FenceFix);
    expect(JSON.stringify(state)).toBe(frozen);
    expect(step.state).not.toBe(state);
  });

  it('gives the same events whether ticks come every second or never (dwells evaluated at logical times)', () => {
    const random = createRandom(5);
    const k = metersPerDegree(22.1);
    const fence: Fence = {
      id: 'f',
      shape: { type: 'circle', center: [106.75, 22.1], radiusMeters: 150 },
      ...{ dwellEnterMs: 20_000, dwellExitMs: 20_000, exitBufferMeters: 10, staleMs: 60_000 },
    };
    const fixes: FenceFix[] = [];
    for (let t = 0; t < 3_000_000; t += 3_000 + Math.floor(random() * 20_000)) {
      const x = 300 * Math.sin(t / 150_000) + (random() - 0.5) * 40;
      if (random() < 0.03) t += 90_000; // a silent stretch longer than staleMs
      fixes.push({ lon: 106.75 + x / k.x, lat: 22.1, accuracyMeters: 3 + random() * 10, t });
    }
    const events = (withTicks: boolean): string[] => {
      let state = createFenceState('u');
      const out: string[] = [];
      let now = 0;
      for (const fix of fixes) {
        for (; withTicks && now < fix.t; now += 1_000) {
          const tick = stepFence(fence, state, { now });
          state = tick.state;
          out.push(...tick.events.map((e) => `${e.detect}@${e.t}`));
        }
        const step = stepFence(fence, state, fix);
        state = step.state;
        out.push(...step.events.map((e) => `${e.detect}@${e.t}`));
      }
      return out;
    };
    const withTicks = events(true);
    expect(withTicks.filter((e) => e.startsWith('enter')).length).toBeGreaterThan(5);
    expect(withTicks.filter((e) => e.startsWith('exit')).length).toBeGreaterThan(5);
    expect(events(false)).toEqual(withTicks);
  });
});

describe('signedDistanceToFence', () => {
  const k = metersPerDegree(22.1);
  const at = (x: number, y: number): [number, number] => [106.75 + x / k.x, 22.1 + y / k.y];

  it('circle: distance to the centre minus the radius', () => {
    const circle: FenceShape = { type: 'circle', center: at(0, 0), radiusMeters: 100 };
    expect(signedDistanceToFence(circle, ...at(0, 0))).toBeCloseTo(-100, 6);
    expect(signedDistanceToFence(circle, ...at(0, 250))).toBeCloseTo(150, 3);
  });

  it('polygon: negative inside, positive outside and in holes, zero on the edge', () => {
    const ring = [at(0, 0), at(200, 0), at(200, 200), at(0, 200), at(0, 0)];
    const hole = [at(50, 50), at(50, 150), at(150, 150), at(150, 50), at(50, 50)];
    const shape: FenceShape = { type: 'polygon', geometry: { type: 'Polygon', coordinates: [ring, hole] } };
    expect(signedDistanceToFence(shape, ...at(20, 100))).toBeCloseTo(-20, 3);
    expect(signedDistanceToFence(shape, ...at(100, 100))).toBeCloseTo(50, 3);
    expect(signedDistanceToFence(shape, ...at(100, -30))).toBeCloseTo(30, 3);
    expect(Math.abs(signedDistanceToFence(shape, ...at(0, 100)))).toBeLessThan(1e-6);
  });

  it('corridor: distance to the line minus half the width', () => {
    const shape: FenceShape = {
      type: 'corridor',
      line: { type: 'LineString', coordinates: [at(0, 0), at(1000, 0)] },
      widthMeters: 100,
    };
    expect(signedDistanceToFence(shape, ...at(500, 20))).toBeCloseTo(-30, 3);
    expect(signedDistanceToFence(shape, ...at(1100, 0))).toBeCloseTo(50, 3);
  });
});
