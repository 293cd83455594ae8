// What was clicked on the map, as the popup card shows it: a record type, its id and the feature's properties.
export interface MapPick {
  type: 'incident' | 'alert' | 'segment' | 'grid' | 'joint' | 'unit';
  id: string;
  properties: Record<string, unknown>;
}
