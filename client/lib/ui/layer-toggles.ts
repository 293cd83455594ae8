// Which operational layers the legend shows.
export interface LayerToggles {
  grids: boolean;
  segments: boolean;
  units: boolean;
}
