// The initial state of one (subject, fence) state machine.
import type { FenceState } from './types';

/**
 * A fresh fence state for a subject: UNKNOWN with nothing committed, until its first fix.
 *
 * @example
 * let state = createFenceState('unit-7');
 * ({ state } = stepFence(fence, state, { lon: 106.75, lat: 22.1, accuracyMeters: 5, t: 1_000 }));
 */
export function createFenceState(subjectId: string): FenceState {
  return { subjectId, status: 'UNKNOWN', committed: null, pendingSince: null, visitId: null, lastFix: null };
}
