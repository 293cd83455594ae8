// Keeps the tablet's own line and point layers above the scenario layers: StaticLayer adds those when their
// data arrives, always just under the units, which would put them over layers added earlier.
import type { Map as MapLibreMap, MapSourceDataEvent } from 'maplibre-gl';

const SCENARIO_SOURCES = new Set(['layer-grids', 'layer-border', 'layer-segments']);

/** Moves `ids` back under the units whenever a scenario layer's data lands; returns the stop function. */
export function keepAboveScenario(map: MapLibreMap, ids: readonly string[]): () => void {
  const raise = (event: MapSourceDataEvent): void => {
    if (!SCENARIO_SOURCES.has(event.sourceId)) return;
    const before = map.getLayer('units-symbol') ? 'units-symbol' : undefined;
    for (const id of ids) if (map.getLayer(id)) map.moveLayer(id, before);
  };
  map.on('sourcedata', raise);
  return () => map.off('sourcedata', raise);
}
