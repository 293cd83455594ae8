// The unit registry in memory (id → unit, device id → unit), mirrored from the store for the hot path.
import type { UnitRecord, UnitStore } from '../store/store';

export interface Registry {
  byId(id: string): UnitRecord | undefined;
  byDeviceId(deviceId: string): UnitRecord | undefined;
  all(): UnitRecord[];
  set(unit: UnitRecord): void;
  remove(id: string): void;
}

export async function loadRegistry(units: UnitStore): Promise<Registry> {
  const byId = new Map<string, UnitRecord>();
  const byDevice = new Map<string, UnitRecord>();
  const registry: Registry = {
    byId: (id) => byId.get(id),
    byDeviceId: (deviceId) => byDevice.get(deviceId),
    all: () => [...byId.values()],
    set: (unit) => {
      const previous = byId.get(unit.id);
      if (previous) byDevice.delete(previous.deviceId);
      byId.set(unit.id, unit);
      byDevice.set(unit.deviceId, unit);
    },
    remove: (id) => {
      const previous = byId.get(id);
      if (previous) byDevice.delete(previous.deviceId);
      byId.delete(id);
    },
  };
  for (const unit of await units.list()) registry.set(unit);
  return registry;
}
