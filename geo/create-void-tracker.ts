// Coverage voids: watched grids or segments with no unit of a required kind for too long.
import type { CoverageVoid, VoidTracker, WatchedArea, UnitKind } from './types';

/**
 * Tracks, per watched area (a grid or a segment) and per required kind, the last time a unit of that
 * kind was there. `report(now)` lists the voids: required kinds (or 'any' unit, when an area requires
 * none) not seen for more than `voidMs`. Before `since` (default: the beginning of time) absence does
 * not count, so a freshly started tracker need not flag everything. Observations for areas not
 * watched are ignored; feed it with the classification of each fix (grid id, segment id).
 *
 * @example
 * const areas = [{ id: 'seg-03', requiredKinds: ['military'] }];
 * const voids = createVoidTracker(areas, { voidMs: 1_800_000, since: 0 });
 * voids.observe('seg-03', 'police', 60_000);
 * voids.report(2_000_000); // [{ areaId: 'seg-03', kind: 'military', lastSeenAt: null }]
 */
export function createVoidTracker(
  areas: readonly WatchedArea[],
  options: { voidMs: number; since?: number },
): VoidTracker {
  const since = options.since ?? -Infinity;
  const lastSeen = new Map<string, Map<UnitKind | 'any', number>>();
  for (const area of areas) lastSeen.set(area.id, new Map());

  const observe = (areaId: string, kind: UnitKind, t: number): void => {
    const seen = lastSeen.get(areaId);
    if (seen === undefined) return;
    for (const key of [kind, 'any'] as const) seen.set(key, Math.max(seen.get(key) ?? -Infinity, t));
  };

  const report = (now: number): CoverageVoid[] => {
    const voids: CoverageVoid[] = [];
    for (const area of areas) {
      const kinds: readonly (UnitKind | 'any')[] = area.requiredKinds?.length ? area.requiredKinds : ['any'];
      for (const kind of kinds) {
        const lastSeenAt = lastSeen.get(area.id)?.get(kind) ?? null;
        if (now - Math.max(lastSeenAt ?? -Infinity, since) > options.voidMs)
          voids.push({ areaId: area.id, kind, lastSeenAt });
      }
    }
    return voids;
  };

  return { observe, report };
}
