// The offline base style: no glyph, sprite or tile server; land and borders from /basemap.geojson (data/).
import type { StyleSpecification } from 'maplibre-gl';

export type Theme = 'dark' | 'light';

const COLORS: Record<Theme, { sea: string; land: string; china: string; border: string; label: string }> = {
  dark: { sea: '#0a1420', land: '#162231', china: '#1b2a3c', border: '#3b4d66', label: '#6f84a0' },
  light: { sea: '#cfe0ec', land: '#eef0ea', china: '#f7f7f2', border: '#9aa6b2', label: '#5b6875' },
};

export function createBaseStyle(theme: Theme): StyleSpecification {
  const c = COLORS[theme];
  return {
    version: 8,
    sources: { basemap: { type: 'geojson', data: '/basemap.geojson' } },
    layers: [
      { id: 'sea', type: 'background', paint: { 'background-color': c.sea } },
      {
        id: 'land',
        type: 'fill',
        source: 'basemap',
        paint: { 'fill-color': ['case', ['==', ['get', 'nameZh'], '中国'], c.china, c.land] },
      },
      {
        id: 'country-border',
        type: 'line',
        source: 'basemap',
        paint: { 'line-color': c.border, 'line-width': 1 },
      },
      {
        id: 'country-label',
        type: 'symbol',
        source: 'basemap',
        maxzoom: 8,
        layout: { 'text-field': ['coalesce', ['get', 'nameZh'], ['get', 'name']], 'text-size': 14 },
        paint: { 'text-color': c.label },
      },
    ],
  };
}
