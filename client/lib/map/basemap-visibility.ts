// Switches the built-in basemap on and off without touching the operational layers (setStyle would drop them).
import { BASEMAP_BACKGROUND_ID, BASEMAP_LAYER_PREFIX } from './style';

/** The part of maplibregl.Map this needs, so tests can pass a stand-in. */
export interface StyledMap {
  getStyle(): { layers?: { id: string }[] } | undefined;
  setLayoutProperty(layerId: string, name: 'visibility', value: 'visible' | 'none'): unknown;
}

/** Ids of the basemap's own layers, in style order; the background (the water colour) always stays. */
export function basemapLayerIds(map: StyledMap): string[] {
  return (map.getStyle()?.layers ?? [])
    .map((l) => l.id)
    .filter((id) => id.startsWith(BASEMAP_LAYER_PREFIX) && id !== BASEMAP_BACKGROUND_ID);
}

/** Shows or hides the basemap: the operator's switch in the disclaimer line (a map-review concern, not a theme). */
export function setBasemapVisible(map: StyledMap, visible: boolean): void {
  for (const id of basemapLayerIds(map))
    map.setLayoutProperty(id, 'visibility', visible ? 'visible' : 'none');
}
