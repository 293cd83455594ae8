// The geofence reducer: one (subject, fence) state machine advanced by fixes and clock ticks.
import type { Fence, FenceDetect, FenceEvent, FenceFix, FenceState, FenceStep, FenceTick } from './types';
import { signedDistanceToFence } from './signed-distance-to-fence';

interface Settings {
  enterBufferMeters: number;
  exitBufferMeters: number;
  dwellEnterMs: number;
  dwellExitMs: number;
  maxAccuracyMeters: number;
  staleMs: number;
  detect: readonly FenceDetect[];
}

/** What one fix says: surely out, deep enough in, in between (keep the state), or too vague. */
type Observation = 'in' | 'out' | 'band' | 'poor';

const EVENT_TYPES = {
  enter: 'fence.entered',
  exit: 'fence.exited',
  inside: 'fence.inside',
  outside: 'fence.outside',
} as const satisfies Record<FenceDetect, FenceEvent['type']>;

function settingsOf(fence: Fence): Settings {
  return {
    enterBufferMeters: fence.enterBufferMeters ?? 0,
    exitBufferMeters: fence.exitBufferMeters ?? 0,
    dwellEnterMs: fence.dwellEnterMs ?? 0,
    dwellExitMs: fence.dwellExitMs ?? 0,
    maxAccuracyMeters: fence.maxAccuracyMeters ?? 100,
    staleMs: fence.staleMs ?? 120_000,
    detect: fence.detect ?? ['enter', 'exit'],
  };
}

function observe(fence: Fence, s: Settings, fix: FenceFix): Observation {
  const distance = signedDistanceToFence(fence.shape, fix.lon, fix.lat);
  const accuracy = fix.accuracyMeters ?? 0;
  // Exit needs the whole accuracy circle beyond the exit band: jitter cannot make it up.
  if (distance - accuracy > s.exitBufferMeters) return 'out';
  if (accuracy > s.maxAccuracyMeters) return 'poor';
  if (distance <= s.enterBufferMeters) return 'in';
  return 'band';
}

function event(
  fence: Fence,
  state: FenceState,
  detect: FenceDetect,
  t: number,
  visitId: string | null,
): FenceEvent {
  const { lon = NaN, lat = NaN } = state.lastFix ?? {};
  return {
    type: EVENT_TYPES[detect],
    detect,
    fenceId: fence.id,
    subjectId: state.subjectId,
    visitId,
    t,
    lon,
    lat,
  };
}

/** Commits a pending ENTERING or EXITING state at time `at`. */
function commit(fence: Fence, state: FenceState, at: number): FenceStep {
  if (state.status === 'ENTERING') {
    const visitId = `${fence.id}:${state.subjectId}:${state.pendingSince}`;
    const next: FenceState = { ...state, status: 'INSIDE', committed: 'inside', pendingSince: null, visitId };
    return { state: next, events: [event(fence, next, 'enter', at, visitId)] };
  }
  const next: FenceState = {
    ...state,
    status: 'OUTSIDE',
    committed: 'outside',
    pendingSince: null,
    visitId: null,
  };
  return { state: next, events: [event(fence, state, 'exit', at, state.visitId)] };
}

/**
 * Moves time forward to `now`: a dwell that ended before the data went stale commits at its end
 * time; data older than `staleMs` makes the state UNKNOWN (keeping the committed side, so never an
 * exit). Evaluating at logical times makes the result independent of how often ticks arrive.
 */
function advance(fence: Fence, s: Settings, state: FenceState, now: number): FenceStep {
  if (state.lastFix === null) return { state, events: [] };
  const staleAt = state.lastFix.t + s.staleMs;
  let step: FenceStep = { state, events: [] };
  if (state.pendingSince !== null && (state.status === 'ENTERING' || state.status === 'EXITING')) {
    const due = state.pendingSince + (state.status === 'ENTERING' ? s.dwellEnterMs : s.dwellExitMs);
    if (due <= now && due <= staleAt) step = commit(fence, state, due);
  }
  if (now >= staleAt && step.state.status !== 'UNKNOWN') {
    step = { state: { ...step.state, status: 'UNKNOWN', pendingSince: null }, events: step.events };
  }
  return step;
}

function apply(state: FenceState, observation: Observation, t: number): FenceState {
  const wasInside = state.committed === 'inside';
  switch (observation) {
    case 'poor':
      return { ...state, status: 'UNKNOWN', pendingSince: null };
    case 'in':
      if (wasInside) return { ...state, status: 'INSIDE', pendingSince: null };
      return state.status === 'ENTERING' ? state : { ...state, status: 'ENTERING', pendingSince: t };
    case 'out':
      if (!wasInside) return { ...state, status: 'OUTSIDE', committed: 'outside', pendingSince: null };
      return state.status === 'EXITING' ? state : { ...state, status: 'EXITING', pendingSince: t };
    case 'band':
      // Between the enter and exit thresholds nothing changes sides; a pending change is cancelled.
      if (wasInside) return { ...state, status: 'INSIDE', pendingSince: null };
      return { ...state, status: 'OUTSIDE', committed: 'outside', pendingSince: null };
  }
}

function stepFix(fence: Fence, s: Settings, state: FenceState, fix: FenceFix): FenceStep {
  if (state.lastFix !== null && fix.t <= state.lastFix.t) return { state, events: [] };
  const before = advance(fence, s, state, fix.t);
  const lastFix = { lon: fix.lon, lat: fix.lat, accuracyMeters: fix.accuracyMeters ?? 0, t: fix.t };
  const applied = { ...apply(before.state, observe(fence, s, fix), fix.t), lastFix };
  const after = advance(fence, s, applied, fix.t);
  const events = [...before.events, ...after.events];
  if (!events.some((e) => e.t === fix.t)) {
    const status = after.state.status;
    if (status === 'INSIDE' || status === 'EXITING')
      events.push(event(fence, after.state, 'inside', fix.t, after.state.visitId));
    if (status === 'OUTSIDE' || status === 'ENTERING')
      events.push(event(fence, after.state, 'outside', fix.t, null));
  }
  return { state: after.state, events };
}

/**
 * Advances one (subject, fence) state machine — a pure reducer — with a fix `{lon, lat,
 * accuracyMeters, t}` or a clock tick `{now}`. Semantics (PROTOCOLS.md):
 * - enter only with `accuracy ≤ maxAccuracyMeters` and the point at most `enterBufferMeters` from the
 *   boundary (negative: that deep inside); exit only when `distance − accuracy > exitBufferMeters`;
 *   between the two nothing changes, so GPS jitter on the boundary does not flap;
 * - ENTERING / EXITING commit after `dwellEnterMs` / `dwellExitMs`, checked on the next fix and on
 *   ticks, so a dwell completes when the device goes silent (the event carries the dwell's end time);
 * - no fix for `staleMs`, or a fix too vague to decide, gives UNKNOWN: never an exit; the committed
 *   side is kept, and a later fix on the same side resumes the visit without a new event;
 * - a fix not newer than the last one is ignored for state (store it for history elsewhere).
 * Events: `fence.entered` (detect `enter`) and `fence.exited` (`exit`) carry the visit id
 * `${fence.id}:${subjectId}:${time of the first inside fix}`; with `detect` including `inside` /
 * `outside`, other fixes also report `fence.inside` / `fence.outside` as Tile38 does.
 *
 * @example
 * const shape: FenceShape = { type: 'circle', center: [106.75, 22.1], radiusMeters: 200 };
 * const fence: Fence = { id: 'f1', shape, dwellEnterMs: 30_000 };
 * let state = createFenceState('unit-7');
 * ({ state } = stepFence(fence, state, { lon: 106.75, lat: 22.1, accuracyMeters: 5, t: 0 })); // ENTERING
 * const { events } = stepFence(fence, state, { now: 30_000 }); // [{ type: 'fence.entered', t: 30000, … }]
 */
export function stepFence(fence: Fence, state: FenceState, input: FenceFix | FenceTick): FenceStep {
  const s = settingsOf(fence);
  const step = 'now' in input ? advance(fence, s, state, input.now) : stepFix(fence, s, state, input);
  return { state: step.state, events: step.events.filter((e) => s.detect.includes(e.detect)) };
}
