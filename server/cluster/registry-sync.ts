// Keeps a node's unit registry in step with the shared store: a unit added, changed or deleted over REST
// on another node is known here within REGISTRY_SYNC_MS (its devices accepted, its fixes applied); on the
// leader a deleted unit also leaves the live picture.
import type { LiveState } from '../engine/live-state';
import type { Registry } from '../engine/registry';
import type { UnitRecord, UnitStore } from '../store/store';

export const REGISTRY_SYNC_MS = 10_000;

const same = (a: UnitRecord, b: UnitRecord): boolean =>
  a.deviceId === b.deviceId &&
  a.kind === b.kind &&
  a.callsign === b.callsign &&
  (a.secretHash ?? null) === (b.secretHash ?? null);

/** One pass: returns how many records it added, changed or removed. */
export async function syncRegistry(
  units: UnitStore,
  registry: Registry,
  live: LiveState | null,
): Promise<number> {
  const stored = await units.list();
  const ids = new Set<string>();
  let changed = 0;
  for (const unit of stored) {
    ids.add(unit.id);
    const known = registry.byId(unit.id);
    if (known && same(known, unit)) continue;
    registry.set(unit);
    changed++;
  }
  for (const unit of registry.all()) {
    if (ids.has(unit.id)) continue;
    registry.remove(unit.id);
    live?.remove(unit.id);
    changed++;
  }
  return changed;
}
