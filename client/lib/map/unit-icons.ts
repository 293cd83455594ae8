// Unit symbols drawn on a canvas (no sprite server): 军 olive square, 警 blue circle, 民 orange triangle;
// stale units the same shape, grey and hollow, so colour never carries the meaning alone. A separate chevron
// icon, rotated by the map, shows the heading just outside the symbol.
import type { Map as MapLibreMap } from 'maplibre-gl';
import type { UnitKind } from '../../../server/contract';

export const UNIT_COLORS: Record<UnitKind, string> = {
  military: '#7a9a2e',
  police: '#2f80ed',
  civilian: '#f2994a',
};
export const STALE_COLOR = '#8a94a3';
const SIZE = 28;
/** The heading icon is larger than the symbol and centred on it, so rotating it swings the chevron round. */
const HEADING_SIZE = 44;
const PIXEL_RATIO = 2;

export const HEADING_ICON = 'unit-heading';
export const HEADING_ICON_STALE = 'unit-heading-stale';

function tracePath(context: CanvasRenderingContext2D, kind: UnitKind, s: number): void {
  const m = s * 0.18;
  context.beginPath();
  if (kind === 'military') context.rect(m, m, s - 2 * m, s - 2 * m);
  else if (kind === 'police') context.arc(s / 2, s / 2, s / 2 - m, 0, 2 * Math.PI);
  else {
    context.moveTo(s / 2, m * 0.6);
    context.lineTo(s - m * 0.6, s - m);
    context.lineTo(m * 0.6, s - m);
    context.closePath();
  }
}

function canvas2d(size: number): CanvasRenderingContext2D {
  const canvas = document.createElement('canvas');
  canvas.width = size;
  canvas.height = size;
  const context = canvas.getContext('2d');
  if (!context) throw new Error('2d canvas unavailable');
  return context;
}

function draw(kind: UnitKind, stale: boolean): ImageData {
  const s = SIZE * PIXEL_RATIO;
  const context = canvas2d(s);
  tracePath(context, kind, s);
  context.lineWidth = 3 * PIXEL_RATIO;
  context.strokeStyle = stale ? STALE_COLOR : '#ffffff';
  context.stroke();
  if (!stale) {
    context.fillStyle = UNIT_COLORS[kind];
    context.fill();
  }
  return context.getImageData(0, 0, s, s);
}

/** A chevron at the top edge, pointing up (north when the map rotates it by the heading). */
function drawHeading(stale: boolean): ImageData {
  const s = HEADING_SIZE * PIXEL_RATIO;
  const context = canvas2d(s);
  const mid = s / 2;
  context.beginPath();
  context.moveTo(mid, s * 0.02);
  context.lineTo(mid + s * 0.13, s * 0.2);
  context.lineTo(mid, s * 0.15);
  context.lineTo(mid - s * 0.13, s * 0.2);
  context.closePath();
  context.fillStyle = stale ? STALE_COLOR : '#ffffff';
  context.fill();
  context.lineWidth = 1.2 * PIXEL_RATIO;
  context.strokeStyle = '#0a1420';
  context.stroke();
  return context.getImageData(0, 0, s, s);
}

export function unitIconName(kind: UnitKind, stale: boolean): string {
  return `unit-${kind}${stale ? '-stale' : ''}`;
}

export function addUnitIcons(map: MapLibreMap): void {
  for (const kind of ['military', 'police', 'civilian'] as const) {
    for (const stale of [false, true]) {
      const name = unitIconName(kind, stale);
      if (!map.hasImage(name)) map.addImage(name, draw(kind, stale), { pixelRatio: PIXEL_RATIO });
    }
  }
  if (!map.hasImage(HEADING_ICON))
    map.addImage(HEADING_ICON, drawHeading(false), { pixelRatio: PIXEL_RATIO });
  if (!map.hasImage(HEADING_ICON_STALE))
    map.addImage(HEADING_ICON_STALE, drawHeading(true), { pixelRatio: PIXEL_RATIO });
}
