// A GeoJSON source and its layers owned by one live overlay (incidents, alerts, joint patrols, fences):
// data handed over at most once per animation frame, visibility switched on all its layers at once.
import type { FeatureCollection } from 'geojson';
import type { GeoJSONSource, LayerSpecification, Map as MapLibreMap } from 'maplibre-gl';

export interface Overlay {
  /** Draws a collection in a source (the first by default) on the next animation frame; a later call in the
   * same frame replaces it. */
  setData(collection: FeatureCollection, source?: string): void;
  setVisible(visible: boolean): void;
  remove(): void;
}

const EMPTY: FeatureCollection = { type: 'FeatureCollection', features: [] };

export function createOverlay(
  map: MapLibreMap,
  sources: string[],
  layers: LayerSpecification[],
  before?: string,
): Overlay {
  for (const source of sources) map.addSource(source, { type: 'geojson', data: EMPTY });
  const slot = before && map.getLayer(before) ? before : undefined;
  for (const layer of layers) map.addLayer(layer, slot);
  const pending = new Map<string, FeatureCollection>();
  let frame = 0;
  const flush = (): void => {
    frame = 0;
    for (const [source, collection] of pending)
      void map.getSource<GeoJSONSource>(source)?.setData(collection);
    pending.clear();
  };
  return {
    setData(collection, source = sources[0] ?? '') {
      pending.set(source, collection);
      frame ||= requestAnimationFrame(flush);
    },
    setVisible(visible) {
      for (const layer of layers)
        if (map.getLayer(layer.id))
          map.setLayoutProperty(layer.id, 'visibility', visible ? 'visible' : 'none');
    },
    remove() {
      cancelAnimationFrame(frame);
      for (const layer of layers) if (map.getLayer(layer.id)) map.removeLayer(layer.id);
      for (const source of sources) if (map.getSource(source)) map.removeSource(source);
    },
  };
}
