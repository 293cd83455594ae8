// Paint for the scenario layers on the dark wall: grids quiet, border line and segments prominent.
import type { LayerSpecification } from 'maplibre-gl';

type OwnLayer = Omit<LayerSpecification, 'source'> & { id: string };

export const GRID_LAYERS: OwnLayer[] = [
  { id: 'grids-fill', type: 'fill', paint: { 'fill-color': '#2a4365', 'fill-opacity': 0.18 } },
  {
    id: 'grids-line',
    type: 'line',
    paint: { 'line-color': '#4a6890', 'line-width': ['interpolate', ['linear'], ['zoom'], 10, 0.3, 15, 1.2] },
  },
  {
    id: 'grids-label',
    type: 'symbol',
    minzoom: 14,
    layout: { 'text-field': ['get', 'name'], 'text-size': 12 },
    paint: { 'text-color': '#8fa6c4', 'text-halo-color': '#0a1420', 'text-halo-width': 1 },
  },
];

export const SEGMENT_LAYERS: OwnLayer[] = [
  {
    id: 'segments-line',
    type: 'line',
    layout: { 'line-cap': 'round' },
    paint: {
      'line-color': ['case', ['==', ['%', ['get', 'index'], 2], 0], '#35c27a', '#2aa36a'],
      'line-width': ['interpolate', ['linear'], ['zoom'], 9, 2, 14, 5],
    },
  },
  {
    id: 'segments-label',
    type: 'symbol',
    minzoom: 11,
    layout: { 'symbol-placement': 'line-center', 'text-field': ['get', 'name'], 'text-size': 12 },
    paint: { 'text-color': '#c9f3dc', 'text-halo-color': '#0a1420', 'text-halo-width': 1.2 },
  },
];

export const BORDER_LAYERS: OwnLayer[] = [
  {
    id: 'border-line',
    type: 'line',
    paint: { 'line-color': '#ef4b4b', 'line-width': 1.5, 'line-dasharray': [3, 2] },
  },
];
