// Which version of each scenario layer the client should show: bumped by `layers.updated` events and by a
// snapshot whose layersVersion moved on, so map layers refetch what an admin imported.
import type { DomainEvent, LayerKind, Snapshot } from '../../../server/contract';

class LayerVersions {
  #versions = $state<Partial<Record<LayerKind, number>>>({});
  #snapshotVersion: number | null = null;

  /** The version to show for a kind (0 until anything changed); read it in an effect to refetch. */
  of(kind: LayerKind): number {
    return this.#versions[kind] ?? 0;
  }

  onSnapshot(snapshot: Snapshot): void {
    // After a reconnect the snapshot may carry a newer version than we loaded: refetch everything.
    if (this.#snapshotVersion !== null && snapshot.layersVersion !== this.#snapshotVersion) {
      for (const kind of ['grids', 'areas', 'sectors', 'segments', 'posts', 'border'] as const) {
        this.#versions[kind] = snapshot.layersVersion;
      }
    }
    this.#snapshotVersion = snapshot.layersVersion;
  }

  onEvents(events: DomainEvent[]): void {
    for (const event of events) {
      if (event.type !== 'layers.updated') continue;
      const { kind, version } = event.data as { kind: LayerKind; version: number };
      this.#versions[kind] = version;
      this.#snapshotVersion = version;
    }
  }
}

export const layerVersions = new LayerVersions();
