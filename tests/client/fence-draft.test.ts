// The fence drawing state machine: each tool from clicks to the contract's FenceShape, double-clicks, undo,
// width, previews; every finished shape passes the API's own FenceInput schema.
import { describe, expect, it } from 'vitest';
import {
  draftPreview,
  startDraft,
  stepDraft,
  type DraftInput,
  type FenceDraft,
  type LonLat,
} from '../../client/lib/map/fence-draft';
import { distanceMeters, signedDistanceToFence } from '../../geo';
import { FenceInput, type FenceShape } from '../../server/contract';

/** Runs inputs through the machine; returns the last draft and the shapes completed on the way. */
function run(draft: FenceDraft, inputs: DraftInput[]): { draft: FenceDraft; shapes: FenceShape[] } {
  const shapes: FenceShape[] = [];
  for (const input of inputs) {
    const step = stepDraft(draft, input);
    draft = step.draft;
    if (step.shape) shapes.push(step.shape);
  }
  return { draft, shapes };
}

const click = (at: LonLat): DraftInput => ({ type: 'click', at });
const move = (at: LonLat): DraftInput => ({ type: 'move', at });
const valid = (shape: FenceShape): boolean => FenceInput.safeParse({ name: 'x', shape }).success;

describe('circle', () => {
  it('takes the centre on the first click and completes on the second with the radius to it', () => {
    const { shapes } = run(startDraft('circle'), [
      move([106.7, 22.0]),
      click([106.75, 22.1]),
      move([106.751, 22.1]),
      click([106.752, 22.1]),
    ]);
    expect(shapes).toHaveLength(1);
    const shape = shapes[0]!;
    expect(shape.type).toBe('circle');
    if (shape.type !== 'circle') return;
    expect(shape.center).toEqual([106.75, 22.1]);
    expect(shape.radiusMeters).toBeCloseTo(distanceMeters(106.75, 22.1, 106.752, 22.1), 6);
    expect(valid(shape)).toBe(true);
  });

  it('refuses a zero radius (a double-click on the centre) and forgets the centre on undo', () => {
    const { draft, shapes } = run(startDraft('circle'), [click([106.75, 22.1]), click([106.75, 22.1])]);
    expect(shapes).toEqual([]);
    expect(draft).toMatchObject({ center: [106.75, 22.1] });
    expect(stepDraft(draft, { type: 'undo' }).draft).toMatchObject({ center: null });
  });
});

describe('polygon', () => {
  const square: LonLat[] = [
    [106.74, 22.0],
    [106.74, 22.01],
    [106.75, 22.01],
    [106.75, 22.0],
  ];

  it('collects clicks, ignores the repeated click of a double-click, finishes into a closed CCW ring', () => {
    const clicks = square.map(click);
    const { draft, shapes } = run(startDraft('polygon'), [...clicks, click(square[3]!), { type: 'finish' }]);
    expect(draft).toMatchObject({ points: square });
    expect(shapes).toHaveLength(1);
    const shape = shapes[0]!;
    if (shape.type !== 'polygon' || shape.geometry.type !== 'Polygon') throw new Error('not a polygon');
    const ring = shape.geometry.coordinates[0]!;
    expect(ring).toHaveLength(5);
    expect(ring[4]).toEqual(ring[0]);
    // The clicks went clockwise; the ring is turned counter-clockwise (RFC 7946).
    expect(ring.slice(0, 4)).toEqual([...square].reverse());
    expect(valid(shape)).toBe(true);
    expect(signedDistanceToFence(shape, 106.745, 22.005)).toBeLessThan(0);
  });

  it('will not finish with fewer than three points, and undo removes the last point', () => {
    const { draft, shapes } = run(startDraft('polygon'), [
      click(square[0]!),
      click(square[1]!),
      { type: 'finish' },
    ]);
    expect(shapes).toEqual([]);
    expect(stepDraft(draft, { type: 'undo' }).draft).toMatchObject({ points: [square[0]] });
  });
});

describe('corridor', () => {
  it('finishes a polyline of two or more points with the width set while drawing (clamped to the API range)', () => {
    const { shapes } = run(startDraft('corridor', 80), [
      click([106.74, 22.0]),
      { type: 'width', meters: 250 },
      click([106.75, 22.0]),
      click([106.75, 22.01]),
      { type: 'finish' },
    ]);
    expect(shapes).toEqual([
      {
        type: 'corridor',
        line: {
          type: 'LineString',
          coordinates: [
            [106.74, 22.0],
            [106.75, 22.0],
            [106.75, 22.01],
          ],
        },
        widthMeters: 250,
      },
    ]);
    expect(valid(shapes[0]!)).toBe(true);
    expect(startDraft('corridor', 50_000)).toMatchObject({ widthMeters: 10_000 });
    expect(stepDraft(startDraft('corridor'), { type: 'width', meters: 0 }).draft).toMatchObject({
      widthMeters: 1,
    });
  });
});

describe('draftPreview', () => {
  it('draws the outline with the pointer as the next point, the guide line and the clicked vertices', () => {
    const { draft } = run(startDraft('polygon'), [
      click([106.74, 22.0]),
      click([106.75, 22.0]),
      move([106.75, 22.01]),
    ]);
    const roles = draftPreview(draft).features.map((f) => String(f.properties?.role));
    expect(roles).toEqual(['outline', 'guide', 'vertex', 'vertex']);
  });

  it('shows a circle once the pointer is away from the centre, and a corridor band', () => {
    const circle = run(startDraft('circle'), [click([106.75, 22.1]), move([106.751, 22.1])]).draft;
    expect(draftPreview(circle).features.map((f) => f.geometry.type)).toEqual([
      'Point',
      'Polygon',
      'LineString',
    ]);
    const corridor = run(startDraft('corridor'), [click([106.74, 22.0]), move([106.75, 22.0])]).draft;
    expect(draftPreview(corridor).features[0]?.geometry.type).toBe('Polygon');
    expect(draftPreview(startDraft('polygon')).features).toEqual([]);
  });
});
