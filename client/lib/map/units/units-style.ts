// The MapLibre layers that draw units: their sources and ids, and their style (trails, heading chevrons,
// symbols with callsigns, the gl mode's labels, the aggregate mode's cells). The renderer decides which are fed.
import type { ExpressionSpecification, LayerSpecification } from 'maplibre-gl';
import { STALE_COLOR, UNIT_COLORS } from '../unit-icons';

export const SOURCES = {
  units: 'units',
  labels: 'units-labels',
  cells: 'units-cells',
  trails: 'units-trails',
};
export const UNIT_LAYER_IDS = {
  trails: 'units-trails',
  gl: 'units-gl',
  heading: 'units-heading',
  symbol: 'units-symbol',
  labels: 'units-labels',
  cells: 'units-cells',
  cellsLabel: 'units-cells-label',
} as const;

/** The words in the cell labels: 军 警 民 失联 (M P C lost in English). */
export type KindLetters = [military: string, police: string, civilian: string, stale: string];

/** A cell's label: its total, then one line per kind present (军 1,203 …) and the lost ones, in their colours. */
export function cellLabel(letters: KindLetters): ExpressionSpecification {
  const line = (key: string, word: string, color: string): ExpressionSpecification[] => [
    ['case', ['>', ['get', key], 0], ['concat', '\n', word, ['to-string', ['get', key]]], ''],
    { 'text-color': color, 'font-scale': 0.85 } as unknown as ExpressionSpecification,
  ];
  return [
    'format',
    ['to-string', ['get', 'total']],
    { 'font-scale': 1.15 },
    ...line('military', letters[0], '#b6d66a'),
    ...line('police', letters[1], '#8fbcff'),
    ...line('civilian', letters[2], '#ffbd80'),
    ...line('stale', letters[3], STALE_COLOR),
  ] as unknown as ExpressionSpecification;
}

export function styleLayers(letters: KindLetters): LayerSpecification[] {
  return [
    {
      id: UNIT_LAYER_IDS.trails,
      type: 'line',
      source: SOURCES.trails,
      layout: { 'line-cap': 'round', 'line-join': 'round' },
      paint: {
        'line-color': [
          'match',
          ['get', 'kind'],
          'military',
          UNIT_COLORS.military,
          'police',
          UNIT_COLORS.police,
          UNIT_COLORS.civilian,
        ],
        'line-width': ['interpolate', ['linear'], ['zoom'], 9, 1.5, 15, 3],
        'line-opacity': 0.75,
      },
    },
    {
      id: UNIT_LAYER_IDS.heading,
      type: 'symbol',
      source: SOURCES.units,
      filter: ['!=', ['get', 'headingDeg'], null],
      layout: {
        'icon-image': ['get', 'headingIcon'],
        'icon-rotate': ['get', 'headingDeg'],
        'icon-rotation-alignment': 'map',
        'icon-allow-overlap': true,
        'icon-ignore-placement': true,
        'icon-size': ['interpolate', ['linear'], ['zoom'], 8, 0.55, 14, 1],
      },
    },
    {
      id: UNIT_LAYER_IDS.symbol,
      type: 'symbol',
      source: SOURCES.units,
      layout: {
        'icon-image': ['get', 'icon'],
        'icon-allow-overlap': true,
        'icon-size': ['interpolate', ['linear'], ['zoom'], 8, 0.55, 14, 1],
        'text-field': ['step', ['zoom'], '', 12, ['get', 'callsign']],
        'text-size': 14,
        // Beside the symbol, not under it: in a column of units a label below reads as the next one's.
        'text-offset': [1.2, 0],
        'text-anchor': 'left',
        'text-optional': true,
      },
      paint: {
        'text-color': ['case', ['get', 'stale'], STALE_COLOR, '#e8eef7'],
        'text-halo-color': '#0a1420',
        'text-halo-width': 1.5,
      },
    },
    {
      id: UNIT_LAYER_IDS.labels,
      type: 'symbol',
      source: SOURCES.labels,
      layout: {
        'text-field': ['get', 'callsign'],
        'text-size': 14,
        'text-offset': [1.1, 0],
        'text-anchor': 'left',
      },
      paint: {
        'text-color': ['case', ['get', 'stale'], STALE_COLOR, '#e8eef7'],
        'text-halo-color': '#0a1420',
        'text-halo-width': 1.5,
      },
    },
    {
      id: UNIT_LAYER_IDS.cells,
      type: 'circle',
      source: SOURCES.cells,
      paint: {
        // sqrt: area follows the count; 100 units and more fill most of the cell (CELL_PX 120 apart).
        'circle-radius': ['interpolate', ['linear'], ['sqrt', ['get', 'total']], 1, 14, 10, 30, 100, 48],
        'circle-color': 'rgba(14, 22, 36, 0.82)',
        'circle-stroke-color': '#4fb3ff',
        'circle-stroke-width': 1.5,
      },
    },
    {
      id: UNIT_LAYER_IDS.cellsLabel,
      type: 'symbol',
      source: SOURCES.cells,
      layout: {
        'text-field': cellLabel(letters),
        'text-size': 14,
        'text-line-height': 1.15,
        'text-allow-overlap': true,
      },
      paint: { 'text-color': '#e8eef7', 'text-halo-color': '#0a1420', 'text-halo-width': 1.2 },
    },
  ];
}
