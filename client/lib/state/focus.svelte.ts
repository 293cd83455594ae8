// What the map should look at and what the operator has selected: panels (search, incident list, alarm
// queue) ask, the map obeys. Also the map's point picker: a panel awaits a click on the map (hotline intake).
export interface FocusTarget {
  lon: number;
  lat: number;
  zoom: number | null;
  /** Increments on every request, so asking for the same place twice flies there twice. */
  key: number;
}

export type Selection =
  | { type: 'incident'; id: string }
  | { type: 'alert'; id: string }
  | { type: 'unit'; id: string }
  | { type: 'segment'; id: string }
  | { type: 'grid'; id: string }
  | null;

class MapFocus {
  target = $state.raw<FocusTarget | null>(null);
  selection = $state.raw<Selection>(null);
  /** Set while a panel waits for a point; the map shows a crosshair and resolves it on the next click. */
  picking = $state.raw<{ prompt: string; resolve: (point: [number, number] | null) => void } | null>(null);
  #key = 0;

  flyTo(lon: number, lat: number, zoom: number | null = null): void {
    this.target = { lon, lat, zoom, key: ++this.#key };
  }

  select(selection: Selection): void {
    this.selection = selection;
  }

  /** Resolves with the clicked [lon, lat], or null when cancelled (Escape, or another pick replaced it). */
  pickPoint(prompt: string): Promise<[number, number] | null> {
    this.picking?.resolve(null);
    return new Promise((resolve) => {
      this.picking = {
        prompt,
        resolve: (point) => {
          this.picking = null;
          resolve(point);
        },
      };
    });
  }
}

export const focus = new MapFocus();
