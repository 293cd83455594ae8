// Paint for the tablet's light map (sunlight): quiet grids, the border, every segment thin, and colours for
// my segments' coverage, my tasks, posts and me. Ids start with `tablet-` (the scenario layers' own ids are
// the wall's, reused with these paints).
import type { OwnLayer } from '../../lib/map/layer-styles';

export const COVERAGE_COLORS = { covered: '#1b873f', partial: '#d98a00', overdue: '#c62828' } as const;
export const TASK_COLORS = {
  reported: '#7b1fa2',
  accepted: '#7b1fa2',
  dispatched: '#c62828',
  in_progress: '#1565c0',
  resolved: '#5b6b7f',
} as const;
export const ME_COLOR = '#1565c0';

export const TABLET_GRID_LAYERS: OwnLayer[] = [
  { id: 'grids-fill', type: 'fill', paint: { 'fill-color': '#8aa0bd', 'fill-opacity': 0.06 } },
  {
    id: 'grids-line',
    type: 'line',
    paint: { 'line-color': '#8aa0bd', 'line-width': ['interpolate', ['linear'], ['zoom'], 10, 0.3, 15, 1.2] },
  },
];

export const TABLET_BORDER_LAYERS: OwnLayer[] = [
  {
    id: 'border-line',
    type: 'line',
    paint: { 'line-color': '#d32f2f', 'line-width': 2, 'line-dasharray': [3, 2] },
  },
];

/** The scenario's segments, thin; mine are left to MySegmentsLayer (drawn once, not twice). */
export function otherSegmentLayers(mySegmentIds: readonly string[]): OwnLayer[] {
  return TABLET_SEGMENT_LAYERS.map((layer) => ({
    ...layer,
    filter: ['!', ['in', ['get', 'id'], ['literal', [...mySegmentIds]]]],
  }));
}

const TABLET_SEGMENT_LAYERS: OwnLayer[] = [
  {
    id: 'segments-line',
    type: 'line',
    layout: { 'line-cap': 'round' },
    paint: { 'line-color': '#6f8f7c', 'line-width': ['interpolate', ['linear'], ['zoom'], 9, 1.5, 14, 3] },
  },
];
