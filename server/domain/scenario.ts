// The committed scenario in data/: layers and the unit roster, read from files and loaded into an empty store.
import fs from 'node:fs';
import path from 'node:path';
import type { FeatureCollection } from 'geojson';
import { z } from 'zod';
import { EntityId, LAYER_KINDS, UnitKind, type LayerKind } from '../contract';
import type { Store } from '../store/store';

export const ScenarioUnit = z.object({
  id: EntityId,
  kind: UnitKind,
  callsign: z.string().min(1),
  deviceId: EntityId,
  region: z.string().optional(),
  segmentId: z.string().nullable().optional(),
  gridId: z.string().nullable().optional(),
});
export type ScenarioUnit = z.infer<typeof ScenarioUnit>;

export interface Scenario {
  layers: Partial<Record<LayerKind, FeatureCollection>>;
  units: ScenarioUnit[];
}

export class ScenarioError extends Error {}

function readJson(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ScenarioError(`${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function asCollection(file: string, value: unknown): FeatureCollection {
  const candidate = value as { type?: unknown; features?: unknown };
  if (candidate?.type !== 'FeatureCollection' || !Array.isArray(candidate.features)) {
    throw new ScenarioError(`${file}: not a GeoJSON FeatureCollection`);
  }
  return value as FeatureCollection;
}

/** Reads data/<kind>.geojson for every layer kind present, and data/units.json. */
export function readScenario(dir: string): Scenario {
  const layers: Scenario['layers'] = {};
  for (const kind of LAYER_KINDS) {
    const file = path.join(dir, `${kind}.geojson`);
    if (fs.existsSync(file)) layers[kind] = asCollection(file, readJson(file));
  }
  const unitsFile = path.join(dir, 'units.json');
  const roster = fs.existsSync(unitsFile) ? readJson(unitsFile) : { units: [] };
  const parsed = z.object({ units: z.array(ScenarioUnit) }).safeParse(roster);
  if (!parsed.success)
    throw new ScenarioError(`${unitsFile}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return { layers, units: parsed.data.units };
}

/** Loads each layer the store lacks, and registers the roster's units that are not registered yet. */
export async function loadScenario(store: Store, scenario: Scenario, now: number): Promise<string[]> {
  const loaded: string[] = [];
  for (const kind of LAYER_KINDS) {
    const collection = scenario.layers[kind];
    if (collection && !(await store.layers.get(kind))) {
      await store.layers.put(kind, collection);
      loaded.push(kind);
    }
  }
  const added = await store.units.createMany(
    scenario.units.map((unit) => ({
      id: unit.id,
      kind: unit.kind,
      callsign: unit.callsign,
      deviceId: unit.deviceId,
      createdAt: now,
    })),
  );
  if (added > 0) loaded.push(`${added} units`);
  return loaded;
}
