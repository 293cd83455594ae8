// Which operational layers the legend shows; every layer of the wall map has one switch.
export interface LayerToggles {
  units: boolean;
  jointPatrols: boolean;
  alerts: boolean;
  incidents: boolean;
  fences: boolean;
  segments: boolean;
  posts: boolean;
  sectors: boolean;
  grids: boolean;
}

export const ALL_LAYERS_ON: LayerToggles = {
  units: true,
  jointPatrols: true,
  alerts: true,
  incidents: true,
  fences: true,
  segments: true,
  posts: true,
  sectors: true,
  grids: true,
};
