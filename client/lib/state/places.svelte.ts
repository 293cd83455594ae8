// The gazetteer the panels share: grids (with their 7+X rosters), posts, segments and the district of each
// region, loaded from /api/layers/* and reloaded when a layer is imported (Wall passes the layer version).
import type { FeatureCollection } from 'geojson';
import { apiGet } from '../net/api';
import { toPlaces, type Place } from './places';

type Kind = 'grids' | 'posts' | 'segments' | 'areas';

class Gazetteer {
  grids = $state.raw<Place[]>([]);
  posts = $state.raw<Place[]>([]);
  segments = $state.raw<Place[]>([]);
  /** Area id of each region's district (Pingxiang is a county-level city, stored at district level). */
  districts = $state.raw<Record<string, string>>({});
  #loaded = new Map<Kind, number>();
  #byId = $state.raw(new Map<string, Place>());

  /** Fetches a layer unless this version is already loaded. */
  async load(kind: Kind, version: number): Promise<void> {
    if (this.#loaded.get(kind) === version) return;
    this.#loaded.set(kind, version);
    // The same URL the map's layer uses, so the browser answers the second fetch from its cache.
    const collection = await apiGet<FeatureCollection>(`/api/layers/${kind}?v=${version}`);
    if (kind === 'areas') {
      this.districts = Object.fromEntries(
        collection.features
          .map((f) => f.properties ?? {})
          .filter((p) => p.level === 'district' && typeof p.region === 'string')
          .map((p) => [p.region as string, String(p.id)]),
      );
      return;
    }
    const places = toPlaces(kind === 'grids' ? 'grid' : kind === 'posts' ? 'post' : 'segment', collection);
    this[kind] = places;
    this.#byId = new Map([...this.#byId, ...places.map((place): [string, Place] => [place.id, place])]);
  }

  /** Every named place, for search. */
  get all(): Place[] {
    return [...this.grids, ...this.posts, ...this.segments];
  }

  byId(id: string | null | undefined): Place | undefined {
    return id ? this.#byId.get(id) : undefined;
  }
}

export const places = new Gazetteer();
