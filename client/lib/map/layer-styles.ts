// Paint for the scenario layers on the dark wall: grids quiet, border line and segments prominent; and the
// wall's operational layers (choropleth, sectors, patrol age, posts, incidents, alerts, joint patrols, fences).
import type { ExpressionSpecification, LayerSpecification } from 'maplibre-gl';
import { CHOROPLETH_COLORS, CHOROPLETH_OPACITY } from './incident-choropleth';
import { PATROL_AGE_COLORS } from './segment-age';

/** A layer of a source a component owns: the spec without `source` (distributed, so `filter` survives). */
export type OwnLayer = LayerSpecification extends infer L
  ? L extends { source: string }
    ? Omit<L, 'source'>
    : never
  : never;

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

// ── The wall's operational layers (issue 7) ─────────────────────────────────────────────────────────
// Sizes are for a wall read from five metres: labels ≥ 16 px, markers ≥ 16 px across.

export const SEVERITY_COLORS = { info: '#4fb3ff', warning: '#f2b233', critical: '#ef4b4b' } as const;
const HALO = '#0a1420';
const CLOSED_GREY = '#8a94a3';

const byClass = (values: readonly (string | number)[]): ExpressionSpecification =>
  [
    'match',
    ['coalesce', ['feature-state', 'class'], 0],
    ...values.slice(1).flatMap((value, i) => [i + 1, value]),
    values[0],
  ] as unknown as ExpressionSpecification;

const bySeverity = (property = 'severity'): ExpressionSpecification => [
  'match',
  ['get', property],
  'critical',
  SEVERITY_COLORS.critical,
  'warning',
  SEVERITY_COLORS.warning,
  SEVERITY_COLORS.info,
];

/** Grids shaded by open incidents (feature-state `class`, set by GridsLayer); names from zoom 13. */
export const WALL_GRID_LAYERS: OwnLayer[] = [
  {
    id: 'grids-fill',
    type: 'fill',
    paint: { 'fill-color': byClass(CHOROPLETH_COLORS), 'fill-opacity': byClass(CHOROPLETH_OPACITY) },
  },
  {
    id: 'grids-line',
    type: 'line',
    paint: { 'line-color': '#4a6890', 'line-width': ['interpolate', ['linear'], ['zoom'], 10, 0.4, 15, 1.4] },
  },
  {
    id: 'grids-label',
    type: 'symbol',
    minzoom: 13,
    layout: { 'text-field': ['get', 'name'], 'text-size': 16 },
    paint: { 'text-color': '#a9bcd6', 'text-halo-color': HALO, 'text-halo-width': 1.5 },
  },
];

/** Police sectors: outlines only, violet dashes, so they read through the grid shading. */
export const WALL_SECTOR_LAYERS: OwnLayer[] = [
  {
    id: 'sectors-line',
    type: 'line',
    paint: {
      'line-color': '#b39cf0',
      'line-width': ['interpolate', ['linear'], ['zoom'], 9, 1.2, 15, 3],
      'line-dasharray': [4, 2],
    },
  },
  {
    id: 'sectors-label',
    type: 'symbol',
    minzoom: 11,
    maxzoom: 14,
    layout: { 'text-field': ['get', 'name'], 'text-size': 17, 'symbol-placement': 'point' },
    paint: { 'text-color': '#cbb9ff', 'text-halo-color': HALO, 'text-halo-width': 1.5 },
  },
];

/** Segments by patrol age (`patrolAge`, `label` set by SegmentsLayer); a "!" marks overdue ones. */
export const WALL_SEGMENT_LAYERS: OwnLayer[] = [
  {
    id: 'segments-casing',
    type: 'line',
    layout: { 'line-cap': 'round' },
    paint: { 'line-color': HALO, 'line-width': ['interpolate', ['linear'], ['zoom'], 9, 5, 14, 10] },
  },
  {
    id: 'segments-line',
    type: 'line',
    layout: { 'line-cap': 'round' },
    paint: {
      'line-color': [
        'match',
        ['get', 'patrolAge'],
        'fresh',
        PATROL_AGE_COLORS.fresh,
        'aging',
        PATROL_AGE_COLORS.aging,
        'overdue',
        PATROL_AGE_COLORS.overdue,
        PATROL_AGE_COLORS.unknown,
      ],
      'line-width': ['interpolate', ['linear'], ['zoom'], 9, 3, 14, 7],
    },
  },
  {
    id: 'segments-overdue-mark',
    type: 'symbol',
    filter: ['==', ['get', 'patrolAge'], 'overdue'],
    layout: {
      'symbol-placement': 'line-center',
      'text-field': '!',
      'text-size': 20,
      'text-allow-overlap': true,
    },
    paint: { 'text-color': '#ffffff', 'text-halo-color': PATROL_AGE_COLORS.overdue, 'text-halo-width': 4 },
  },
  {
    id: 'segments-label',
    type: 'symbol',
    minzoom: 11.5,
    layout: {
      'symbol-placement': 'line-center',
      'text-field': ['get', 'label'],
      'text-size': 16,
      'text-offset': [0, 1.2],
    },
    paint: { 'text-color': '#e0f5ea', 'text-halo-color': HALO, 'text-halo-width': 1.5 },
  },
];

/** Household posts (dots) from zoom 12; checkpoints, police stations and trade points (icons) from zoom 10. */
export const WALL_POST_LAYERS: OwnLayer[] = [
  {
    id: 'posts-household',
    type: 'circle',
    minzoom: 12,
    filter: ['==', ['get', 'type'], 'household'],
    paint: {
      'circle-color': '#d9c48e',
      'circle-radius': ['interpolate', ['linear'], ['zoom'], 12, 3, 16, 6],
      'circle-stroke-color': HALO,
      'circle-stroke-width': 1,
    },
  },
  {
    id: 'posts-facility',
    type: 'symbol',
    minzoom: 10,
    filter: ['!=', ['get', 'type'], 'household'],
    layout: {
      'icon-image': ['concat', 'post-', ['get', 'type']],
      'icon-allow-overlap': true,
      'text-field': ['step', ['zoom'], '', 12.5, ['get', 'name']],
      'text-size': 16,
      'text-offset': [0, 1.2],
      'text-anchor': 'top',
      'text-optional': true,
    },
    paint: { 'text-color': '#e8eef7', 'text-halo-color': HALO, 'text-halo-width': 1.5 },
  },
  {
    id: 'posts-household-label',
    type: 'symbol',
    minzoom: 15,
    filter: ['==', ['get', 'type'], 'household'],
    layout: { 'text-field': ['get', 'name'], 'text-size': 14, 'text-offset': [0, 1], 'text-anchor': 'top' },
    paint: { 'text-color': '#d9c48e', 'text-halo-color': HALO, 'text-halo-width': 1.2 },
  },
];

/** Label fields per layer and locale: StaticLayer swaps them when the language changes. */
export function nameField(locale: 'zh-CN' | 'en'): ExpressionSpecification {
  return locale === 'en' ? ['coalesce', ['get', 'nameEn'], ['get', 'name']] : ['get', 'name'];
}

/** Incidents: colour by severity; stage by shape — new ones haloed, working filled, done hollow, closed grey. */
export const INCIDENT_LAYERS = (source: string): LayerSpecification[] => [
  {
    id: 'incidents-halo',
    type: 'circle',
    source,
    filter: ['==', ['get', 'stage'], 'new'],
    paint: { 'circle-radius': 17, 'circle-color': bySeverity(), 'circle-opacity': 0.28, 'circle-blur': 0.3 },
  },
  {
    id: 'incidents-circle',
    type: 'circle',
    source,
    paint: {
      'circle-radius': ['match', ['get', 'stage'], 'closed', 6, 9],
      'circle-color': ['match', ['get', 'stage'], 'closed', CLOSED_GREY, bySeverity()],
      'circle-opacity': ['match', ['get', 'stage'], 'done', 0, 'closed', 0, 1],
      'circle-stroke-width': ['match', ['get', 'stage'], 'done', 4, 'closed', 2, 2.5],
      'circle-stroke-color': [
        'match',
        ['get', 'stage'],
        'done',
        bySeverity(),
        'closed',
        CLOSED_GREY,
        '#ffffff',
      ],
    },
  },
  {
    id: 'incidents-label',
    type: 'symbol',
    source,
    minzoom: 12,
    layout: {
      'text-field': ['get', 'label'],
      'text-size': 16,
      'text-offset': [0, 1.3],
      'text-anchor': 'top',
      'text-optional': true,
    },
    paint: { 'text-color': '#f3f6fb', 'text-halo-color': HALO, 'text-halo-width': 1.6 },
  },
];

/** Open alerts: a warning-triangle icon per severity; critical ones get the pulsing ring AlertsLayer animates. */
export const ALERT_LAYERS = (source: string): LayerSpecification[] => [
  {
    id: 'alerts-pulse',
    type: 'circle',
    source,
    filter: ['==', ['get', 'severity'], 'critical'],
    paint: {
      'circle-radius': 20,
      'circle-color': 'rgba(0,0,0,0)',
      'circle-stroke-color': SEVERITY_COLORS.critical,
      'circle-stroke-width': 4,
      'circle-stroke-opacity': 0.8,
    },
  },
  {
    id: 'alerts-symbol',
    type: 'symbol',
    source,
    layout: {
      'icon-image': ['concat', 'alert-', ['get', 'severity']],
      'icon-allow-overlap': true,
      'text-field': ['step', ['zoom'], '', 11, ['get', 'label']],
      'text-size': 17,
      'text-offset': [0, 1.5],
      'text-anchor': 'top',
      'text-optional': true,
    },
    paint: { 'text-color': '#ffd2d2', 'text-halo-color': HALO, 'text-halo-width': 1.8 },
  },
];

/** Joint patrols: one ring symbol naming its member kinds (icon per set of kinds) and a label under it. */
export const JOINT_PATROL_LAYERS = (source: string): LayerSpecification[] => [
  {
    id: 'joint-patrols-symbol',
    type: 'symbol',
    source,
    layout: {
      'icon-image': ['get', 'icon'],
      'icon-allow-overlap': true,
      'text-field': ['step', ['zoom'], '', 10.5, ['get', 'label']],
      'text-size': 16,
      'text-offset': [0, 1.9],
      'text-anchor': 'top',
      'text-allow-overlap': true,
    },
    paint: { 'text-color': '#ffffff', 'text-halo-color': '#3b2a6b', 'text-halo-width': 2 },
  },
];

/** Fences by severity: light fill, dashed edge, name; the drawing in progress in cyan over them. */
export const FENCE_LAYERS = (source: string, draft: string): LayerSpecification[] => [
  {
    id: 'fences-fill',
    type: 'fill',
    source,
    paint: { 'fill-color': bySeverity(), 'fill-opacity': 0.12 },
  },
  {
    id: 'fences-line',
    type: 'line',
    source,
    paint: {
      'line-color': bySeverity(),
      'line-width': ['case', ['boolean', ['get', 'selected'], false], 4, 2.2],
      'line-dasharray': [3, 1.5],
    },
  },
  {
    id: 'fences-label',
    type: 'symbol',
    source,
    minzoom: 11,
    layout: { 'text-field': ['get', 'name'], 'text-size': 16 },
    paint: { 'text-color': bySeverity(), 'text-halo-color': HALO, 'text-halo-width': 1.6 },
  },
  {
    id: 'fence-draft-fill',
    type: 'fill',
    source: draft,
    filter: ['==', ['get', 'role'], 'outline'],
    paint: { 'fill-color': '#3fd7e6', 'fill-opacity': 0.18 },
  },
  {
    id: 'fence-draft-line',
    type: 'line',
    source: draft,
    filter: ['in', ['get', 'role'], ['literal', ['outline', 'guide']]],
    paint: { 'line-color': '#3fd7e6', 'line-width': 2.5, 'line-dasharray': [2, 1] },
  },
  {
    id: 'fence-draft-vertex',
    type: 'circle',
    source: draft,
    filter: ['==', ['get', 'role'], 'vertex'],
    paint: {
      'circle-radius': 6,
      'circle-color': '#3fd7e6',
      'circle-stroke-color': '#ffffff',
      'circle-stroke-width': 2,
    },
  },
];
