// A joint patrol's symbol, drawn on a canvas: a violet ring holding one small shape per member kind
// (军 square, 警 circle, 民 triangle, as the units are drawn), so the kinds read without colour alone.
import type { Map as MapLibreMap } from 'maplibre-gl';
import type { UnitKind } from '../../../server/contract';
import { JOINT_PATROL_SYMBOL_KEYS, kindsOfSymbolKey } from './joint-patrol-symbol';
import { UNIT_COLORS } from './unit-icons';

const SIZE = 46;
const PIXEL_RATIO = 2;
const RING = '#b18cff';

function kindPath(context: CanvasRenderingContext2D, kind: UnitKind, x: number, y: number, r: number): void {
  context.beginPath();
  if (kind === 'military') context.rect(x - r, y - r, 2 * r, 2 * r);
  else if (kind === 'police') context.arc(x, y, r, 0, 2 * Math.PI);
  else {
    context.moveTo(x, y - r * 1.1);
    context.lineTo(x + r * 1.1, y + r * 0.9);
    context.lineTo(x - r * 1.1, y + r * 0.9);
    context.closePath();
  }
}

function draw(kinds: UnitKind[]): ImageData {
  const element = document.createElement('canvas');
  element.width = SIZE * PIXEL_RATIO;
  element.height = SIZE * PIXEL_RATIO;
  const context = element.getContext('2d');
  if (!context) throw new Error('2d canvas unavailable');
  context.scale(PIXEL_RATIO, PIXEL_RATIO);
  const c = SIZE / 2;
  context.beginPath();
  context.arc(c, c, c - 3, 0, 2 * Math.PI);
  context.fillStyle = 'rgba(30, 18, 60, 0.85)';
  context.fill();
  context.lineWidth = 4;
  context.strokeStyle = RING;
  context.stroke();
  const r = kinds.length === 3 ? 5.5 : 7;
  const spacing = kinds.length === 3 ? 12 : 15;
  kinds.forEach((kind, i) => {
    const x = c + (i - (kinds.length - 1) / 2) * spacing;
    kindPath(context, kind, x, c, r);
    context.fillStyle = UNIT_COLORS[kind];
    context.fill();
    context.lineWidth = 1.5;
    context.strokeStyle = '#ffffff';
    context.stroke();
  });
  return context.getImageData(0, 0, SIZE * PIXEL_RATIO, SIZE * PIXEL_RATIO);
}

export function addJointPatrolIcons(map: MapLibreMap): void {
  for (const key of JOINT_PATROL_SYMBOL_KEYS)
    if (!map.hasImage(key)) map.addImage(key, draw(kindsOfSymbolKey(key)), { pixelRatio: PIXEL_RATIO });
}
