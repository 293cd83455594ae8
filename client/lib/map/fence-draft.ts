// Drawing a fence on the map, as a pure state machine: clicks, pointer moves, finish (double-click or Enter)
// and undo (Backspace) in; the draft to preview and, once complete, the contract's FenceShape out.
import type { FeatureCollection, Geometry } from 'geojson';
import { circleRing, corridorOutline, distanceMeters } from '../../../geo';
import type { FenceShape } from '../../../server/contract';

export type FenceTool = 'circle' | 'polygon' | 'corridor';
export type LonLat = [number, number];

export type FenceDraft =
  | { tool: 'circle'; center: LonLat | null; cursor: LonLat | null }
  | { tool: 'polygon'; points: LonLat[]; cursor: LonLat | null }
  | { tool: 'corridor'; points: LonLat[]; cursor: LonLat | null; widthMeters: number };

export type DraftInput =
  | { type: 'click'; at: LonLat }
  | { type: 'move'; at: LonLat }
  | { type: 'finish' }
  | { type: 'undo' }
  | { type: 'width'; meters: number };

/** The draft after an input, and the finished shape when that input completed it. */
export interface DraftStep {
  draft: FenceDraft;
  shape: FenceShape | null;
}

/** A second click this close to the last point is the same point (the two clicks of a double-click). */
export const SAME_POINT_METERS = 0.5;
export const MIN_RADIUS_METERS = 1;
export const CORRIDOR_WIDTH_METERS = { min: 1, max: 10_000, default: 100 } as const;

const apart = (a: LonLat, b: LonLat): number => distanceMeters(a[0], a[1], b[0], b[1]);
const clampWidth = (meters: number): number =>
  Math.min(CORRIDOR_WIDTH_METERS.max, Math.max(CORRIDOR_WIDTH_METERS.min, meters));

export function startDraft(tool: FenceTool, widthMeters: number = CORRIDOR_WIDTH_METERS.default): FenceDraft {
  if (tool === 'circle') return { tool, center: null, cursor: null };
  if (tool === 'polygon') return { tool, points: [], cursor: null };
  return { tool, points: [], cursor: null, widthMeters: clampWidth(widthMeters) };
}

/** Twice the signed area (positive: counter-clockwise), to give rings the RFC 7946 winding. */
function ringArea(ring: LonLat[]): number {
  let sum = 0;
  for (let i = 0; i < ring.length; i++) {
    const a = ring[i] as LonLat;
    const b = ring[(i + 1) % ring.length] as LonLat;
    sum += a[0] * b[1] - b[0] * a[1];
  }
  return sum;
}

function finishShape(draft: FenceDraft): FenceShape | null {
  if (draft.tool === 'circle') {
    if (!draft.center || !draft.cursor) return null;
    const radiusMeters = apart(draft.center, draft.cursor);
    return radiusMeters < MIN_RADIUS_METERS ? null : { type: 'circle', center: draft.center, radiusMeters };
  }
  if (draft.tool === 'polygon') {
    if (draft.points.length < 3) return null;
    const ring = ringArea(draft.points) < 0 ? [...draft.points].reverse() : [...draft.points];
    return { type: 'polygon', geometry: { type: 'Polygon', coordinates: [[...ring, ring[0] as LonLat]] } };
  }
  if (draft.points.length < 2) return null;
  return {
    type: 'corridor',
    line: { type: 'LineString', coordinates: [...draft.points] },
    widthMeters: draft.widthMeters,
  };
}

function addPoint(draft: FenceDraft, at: LonLat): FenceDraft {
  if (draft.tool === 'circle') return draft.center ? { ...draft, cursor: at } : { ...draft, center: at };
  const last = draft.points[draft.points.length - 1];
  if (last && apart(last, at) < SAME_POINT_METERS) return draft;
  return { ...draft, points: [...draft.points, at] };
}

export function stepDraft(draft: FenceDraft, input: DraftInput): DraftStep {
  switch (input.type) {
    case 'move':
      return { draft: { ...draft, cursor: input.at }, shape: null };
    case 'click': {
      const next = addPoint(draft, input.at);
      // A circle is complete on its second click: the centre, then a point on the rim.
      const shape =
        next.tool === 'circle' && draft.tool === 'circle' && draft.center ? finishShape(next) : null;
      return { draft: next, shape };
    }
    case 'finish':
      return { draft, shape: finishShape(draft) };
    case 'undo':
      if (draft.tool === 'circle') return { draft: { ...draft, center: null }, shape: null };
      return { draft: { ...draft, points: draft.points.slice(0, -1) }, shape: null };
    case 'width':
      return {
        draft: draft.tool === 'corridor' ? { ...draft, widthMeters: clampWidth(input.meters) } : draft,
        shape: null,
      };
  }
}

/** What to draw while drawing: the would-be outline, the line so far with the pointer, and the clicked points. */
export function draftPreview(draft: FenceDraft): FeatureCollection {
  const features: FeatureCollection['features'] = [];
  const add = (role: string, geometry: Geometry): void => {
    features.push({ type: 'Feature', properties: { role }, geometry });
  };
  if (draft.tool === 'circle') {
    if (draft.center) add('vertex', { type: 'Point', coordinates: draft.center });
    if (draft.center && draft.cursor && apart(draft.center, draft.cursor) >= MIN_RADIUS_METERS) {
      add('outline', {
        type: 'Polygon',
        coordinates: [circleRing(draft.center, apart(draft.center, draft.cursor))],
      });
      add('guide', { type: 'LineString', coordinates: [draft.center, draft.cursor] });
    }
    return { type: 'FeatureCollection', features };
  }
  const line = draft.cursor ? [...draft.points, draft.cursor] : draft.points;
  if (draft.tool === 'polygon' && line.length >= 3)
    add('outline', { type: 'Polygon', coordinates: [[...line, line[0] as LonLat]] });
  if (draft.tool === 'corridor' && line.length >= 2)
    add('outline', corridorOutline({ type: 'LineString', coordinates: line }, draft.widthMeters));
  if (line.length >= 2) add('guide', { type: 'LineString', coordinates: line });
  for (const point of draft.points) add('vertex', { type: 'Point', coordinates: point });
  return { type: 'FeatureCollection', features };
}
