// The map instance shared with layer components through Svelte context (no map singleton).
import { getContext, setContext } from 'svelte';
import type { Map as MapLibreMap } from 'maplibre-gl';

const KEY = Symbol('lianfang-map');

export interface MapContext {
  /** The map once its style has loaded; null before. */
  readonly map: MapLibreMap | null;
  /** The basemap is GCJ-02: layers pass their features through basemap-gcj02.ts before drawing them. */
  readonly gcj02Display: boolean;
}

export function setMapContext(context: MapContext): void {
  setContext(KEY, context);
}

export function getMapContext(): MapContext {
  const context = getContext<MapContext | undefined>(KEY);
  if (!context) throw new Error('map layers must be placed inside <MapView>');
  return context;
}
