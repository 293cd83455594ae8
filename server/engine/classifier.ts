// Builds the engine's classify(lon, lat) from the store's layers (grids, sectors, segments, border line).
import type { Store } from '../store/store';
import type { Classify } from './live-state';

export async function loadClassifier(store: Store, _borderZoneMeters: number): Promise<Classify> {
  void store;
  return () => ({ gridId: null, sectorId: null, segmentId: null });
}
