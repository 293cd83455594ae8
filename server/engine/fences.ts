// Geofences in the engine: one geo/ state machine per (unit, fence), stepped by every applied fix of a
// watched kind and by the engine tick (so dwell commits and staleness happen while a device is silent).
import {
  createFenceState,
  stepFence,
  type Fence as GeoFence,
  type FenceEvent,
  type FenceState,
} from '../../geo';
import type { Fence } from '../contract';
import { newId } from '../domain/ids';
import type { LiveState } from './live-state';

export interface FenceEngine {
  /** Replaces the fence list (after a create, update or delete); states of changed fences restart. */
  setFences(fences: Fence[]): void;
  tick(now: number): void;
}

function toGeoFence(fence: Fence, staleMs: number): GeoFence {
  return {
    id: fence.id,
    shape: fence.shape,
    enterBufferMeters: fence.enterBufferMeters,
    exitBufferMeters: fence.exitBufferMeters,
    dwellEnterMs: fence.dwellEnterMs,
    dwellExitMs: fence.dwellExitMs,
    maxAccuracyMeters: fence.maxAccuracyMeters,
    staleMs,
    detect: fence.detect,
  };
}

const VERBS: Record<FenceEvent['type'], string> = {
  'fence.entered': '进入',
  'fence.exited': '离开',
  'fence.inside': '位于',
  'fence.outside': '不在',
};

export function createFenceEngine(live: LiveState, staleMs: number): FenceEngine {
  let fences: { fence: Fence; geo: GeoFence; version: number }[] = [];
  const states = new Map<string, Map<string, FenceState>>();

  const emit = (fence: Fence, event: FenceEvent): void => {
    const unit = live.unit(event.subjectId);
    live.emit({
      id: newId(event.t),
      type: event.type,
      t: event.t,
      unitId: event.subjectId,
      message: `${unit?.callsign ?? event.subjectId} ${VERBS[event.type]}「${fence.name}」`,
      data: { ...event, fenceName: fence.name, severity: fence.severity },
    });
  };

  const step = (
    entry: (typeof fences)[number],
    unitId: string,
    input: Parameters<typeof stepFence>[2],
  ): void => {
    let perFence = states.get(entry.fence.id);
    if (!perFence) states.set(entry.fence.id, (perFence = new Map<string, FenceState>()));
    const result = stepFence(entry.geo, perFence.get(unitId) ?? createFenceState(unitId), input);
    perFence.set(unitId, result.state);
    for (const event of result.events) emit(entry.fence, event);
  };

  live.onApplied((unit) => {
    for (const entry of fences) {
      if (entry.fence.kinds.length > 0 && !entry.fence.kinds.includes(unit.kind)) continue;
      step(entry, unit.id, { lon: unit.lon, lat: unit.lat, accuracyMeters: unit.accuracyMeters, t: unit.t });
    }
  });

  return {
    setFences(next) {
      const previous = new Map(fences.map((entry) => [entry.fence.id, entry.fence.updatedAt]));
      fences = next.map((fence) => ({ fence, geo: toGeoFence(fence, staleMs), version: fence.updatedAt }));
      for (const id of states.keys()) {
        const fence = next.find((f) => f.id === id);
        if (!fence || previous.get(id) !== fence.updatedAt) states.delete(id);
      }
    },
    tick(now) {
      for (const entry of fences) {
        const perFence = states.get(entry.fence.id);
        if (!perFence) continue;
        for (const unitId of perFence.keys()) step(entry, unitId, { now });
      }
    },
  };
}
