// Icons for facilities and alerts, drawn on a canvas (no sprite server): checkpoint orange diamond, police
// station blue shield, trade point teal hexagon; alerts a warning triangle with "!" in their severity colour.
import type { Map as MapLibreMap } from 'maplibre-gl';
import { SEVERITY_COLORS } from './layer-styles';

const PIXEL_RATIO = 2;

function canvas(size: number): CanvasRenderingContext2D {
  const element = document.createElement('canvas');
  element.width = size * PIXEL_RATIO;
  element.height = size * PIXEL_RATIO;
  const context = element.getContext('2d');
  if (!context) throw new Error('2d canvas unavailable');
  context.scale(PIXEL_RATIO, PIXEL_RATIO);
  return context;
}

function polygonPath(context: CanvasRenderingContext2D, points: [number, number][]): void {
  context.beginPath();
  points.forEach(([x, y], i) => (i === 0 ? context.moveTo(x, y) : context.lineTo(x, y)));
  context.closePath();
}

const FACILITY_SHAPES: Record<string, { color: string; points: (s: number) => [number, number][] }> = {
  checkpoint: {
    color: '#f2994a',
    points: (s) => [
      [s / 2, 2],
      [s - 2, s / 2],
      [s / 2, s - 2],
      [2, s / 2],
    ],
  },
  police_station: {
    color: '#2f80ed',
    points: (s) => [
      [3, 3],
      [s - 3, 3],
      [s - 3, s * 0.55],
      [s / 2, s - 2],
      [3, s * 0.55],
    ],
  },
  trade_point: {
    color: '#1fb5a8',
    points: (s) =>
      Array.from({ length: 6 }, (_, i): [number, number] => {
        const angle = (Math.PI / 3) * i;
        return [s / 2 + (s / 2 - 2) * Math.cos(angle), s / 2 + (s / 2 - 2) * Math.sin(angle)];
      }),
  },
};

function facilityIcon(type: string): ImageData {
  const size = 24;
  const context = canvas(size);
  const shape = FACILITY_SHAPES[type];
  if (!shape) throw new Error(`no icon for ${type}`);
  polygonPath(context, shape.points(size));
  context.fillStyle = shape.color;
  context.fill();
  context.lineWidth = 2.5;
  context.strokeStyle = '#ffffff';
  context.stroke();
  return context.getImageData(0, 0, size * PIXEL_RATIO, size * PIXEL_RATIO);
}

function alertIcon(color: string): ImageData {
  const size = 34;
  const context = canvas(size);
  polygonPath(context, [
    [size / 2, 2],
    [size - 2, size - 3],
    [2, size - 3],
  ]);
  context.fillStyle = color;
  context.fill();
  context.lineWidth = 2.5;
  context.strokeStyle = '#ffffff';
  context.stroke();
  context.fillStyle = '#0a1420';
  context.font = `bold ${size * 0.55}px sans-serif`;
  context.textAlign = 'center';
  context.textBaseline = 'middle';
  context.fillText('!', size / 2, size * 0.62);
  return context.getImageData(0, 0, size * PIXEL_RATIO, size * PIXEL_RATIO);
}

export function addFacilityIcons(map: MapLibreMap): void {
  for (const type of Object.keys(FACILITY_SHAPES)) {
    const name = `post-${type}`;
    if (!map.hasImage(name)) map.addImage(name, facilityIcon(type), { pixelRatio: PIXEL_RATIO });
  }
}

export function addAlertIcons(map: MapLibreMap): void {
  for (const [severity, color] of Object.entries(SEVERITY_COLORS)) {
    const name = `alert-${severity}`;
    if (!map.hasImage(name)) map.addImage(name, alertIcon(color), { pixelRatio: PIXEL_RATIO });
  }
}
