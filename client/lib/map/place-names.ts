// Names of places (grids, segments, posts, sectors) by feature id, from the layers as they load: for popups
// and the alarm takeover's "where". Plain, not reactive: read when a card or an alarm opens.
export interface PlaceName {
  name: string;
  nameEn: string | null;
}

/** Names by feature id, filled as layers load (plain, not reactive: read when an alarm or popup opens). */
export const placeNames = new Map<string, PlaceName>();

export function rememberPlaceNames(features: readonly { id?: string | number; properties: unknown }[]): void {
  for (const feature of features) {
    const properties = (feature.properties ?? {}) as { id?: unknown; name?: unknown; nameEn?: unknown };
    const id = String(feature.id ?? properties.id);
    if (typeof properties.name === 'string')
      placeNames.set(id, {
        name: properties.name,
        nameEn: typeof properties.nameEn === 'string' ? properties.nameEn : null,
      });
  }
}
