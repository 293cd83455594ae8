// Importing a layer: the one validator of geo/, winding normalised, stored whole in one transaction (all or
// nothing), then the engine is told so it reclassifies and clients reload.
import type { FeatureCollection } from 'geojson';
import { rewindLayer, validateLayer } from '../../geo';
import type { LayerKind } from '../contract';
import type { LayerRecord, Store } from '../store/store';

export type ImportResult =
  { ok: true; layer: LayerRecord } | { ok: false; error: { path: string; message: string } };

export interface LayerService {
  import(kind: LayerKind, value: unknown): Promise<ImportResult>;
}

export function createLayerService(
  store: Store,
  onChanged: (kind: LayerKind, version: number) => Promise<void>,
): LayerService {
  return {
    async import(kind, value) {
      const checked = validateLayer(value, kind);
      if (!checked.ok) return checked;
      const collection = rewindLayer(checked.value as FeatureCollection);
      const layer = await store.layers.put(kind, collection);
      await onChanged(kind, layer.version);
      return { ok: true, layer };
    },
  };
}
