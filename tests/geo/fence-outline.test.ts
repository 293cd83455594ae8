// circleRing, corridorOutline and fenceOutline: golden outlines per scenario, and every outline vertex on the
// boundary the engine itself measures (signedDistanceToFence ≈ 0), every edge inside it.
import type { Feature, MultiPolygon, Polygon, Position } from 'geojson';
import { describe, expect, it } from 'vitest';
import { circleRing, corridorOutline, fenceOutline, signedDistanceToFence } from '../../geo';
import type { FenceShape } from '../../geo';
import { scenario, scenarios, toGolden } from './support/golden';

interface OutlineScenario {
  description: string;
  shape: FenceShape;
}

/** The outline and, as debug geometry for a reviewer's eye, what it was drawn from. */
function goldenOf(input: OutlineScenario): unknown {
  const { shape } = input;
  const source: Feature =
    shape.type === 'circle'
      ? {
          type: 'Feature',
          properties: { role: 'center' },
          geometry: { type: 'Point', coordinates: shape.center },
        }
      : shape.type === 'corridor'
        ? { type: 'Feature', properties: { role: 'line' }, geometry: shape.line }
        : { type: 'Feature', properties: { role: 'polygon' }, geometry: shape.geometry };
  return {
    type: 'FeatureCollection',
    description: input.description,
    features: [{ type: 'Feature', properties: { role: 'outline' }, geometry: fenceOutline(shape) }, source],
  };
}

const ringsOf = (geometry: Polygon | MultiPolygon): Position[][] =>
  geometry.type === 'Polygon' ? geometry.coordinates : geometry.coordinates.flat();

/** Twice the signed area in degrees² (positive: counter-clockwise). */
function signedArea(ring: Position[]): number {
  let sum = 0;
  for (let i = 0; i + 1 < ring.length; i++) {
    const [x1 = 0, y1 = 0] = ring[i] ?? [];
    const [x2 = 0, y2 = 0] = ring[i + 1] ?? [];
    sum += x1 * y2 - x2 * y1;
  }
  return sum;
}

const shapeOf = (name: string): FenceShape => scenario<OutlineScenario>('fence-outline', name).input.shape;

describe('fenceOutline golden scenarios', () => {
  for (const { name, input, outPath } of scenarios<OutlineScenario>('fence-outline')) {
    it(name, async () => {
      await expect(toGolden(goldenOf(input))).toMatchFileSnapshot(outPath);
    });
  }
});

describe('circleRing', () => {
  for (const name of ['circle-300m', 'circle-100km-north']) {
    it(`${name}: 64 vertices on the radius signedDistanceToFence measures, closed, counter-clockwise`, () => {
      const shape = shapeOf(name);
      if (shape.type !== 'circle') throw new Error('fixture is not a circle');
      const ring = circleRing(shape.center, shape.radiusMeters, 64);
      expect(ring).toHaveLength(65);
      expect(ring[64]).toEqual(ring[0]);
      expect(signedArea(ring)).toBeGreaterThan(0);
      for (const [lon = NaN, lat = NaN] of ring)
        expect(Math.abs(signedDistanceToFence(shape, lon, lat))).toBeLessThan(1e-6 * shape.radiusMeters);
    });
  }

  it('never makes fewer than three vertices', () => {
    expect(circleRing([106.75, 22.1], 50, 1)).toHaveLength(4);
  });
});

describe('corridorOutline', () => {
  for (const name of ['corridor-straight', 'corridor-hairpin', 'corridor-multiline-apart']) {
    it(`${name}: vertices on the half-width boundary, edge midpoints and the line itself inside`, () => {
      const shape = shapeOf(name);
      if (shape.type !== 'corridor') throw new Error('fixture is not a corridor');
      const half = shape.widthMeters / 2;
      // A vertex where two capsules' chords cross sits at most one chord sagitta inside the true arc.
      const sagitta = half * (1 - Math.cos(Math.PI / 16 / 2));
      const outline = corridorOutline(shape.line, shape.widthMeters);
      for (const ring of ringsOf(outline)) {
        for (let i = 0; i + 1 < ring.length; i++) {
          const [lon = NaN, lat = NaN] = ring[i] ?? [];
          const [nextLon = NaN, nextLat = NaN] = ring[i + 1] ?? [];
          const onVertex = signedDistanceToFence(shape, lon, lat);
          expect(onVertex).toBeGreaterThan(-sagitta - 0.05);
          expect(onVertex).toBeLessThan(0.05);
          expect(signedDistanceToFence(shape, (lon + nextLon) / 2, (lat + nextLat) / 2)).toBeLessThan(0.05);
        }
      }
      const lines = shape.line.type === 'LineString' ? [shape.line.coordinates] : shape.line.coordinates;
      for (const [lon = NaN, lat = NaN] of lines.flat())
        expect(signedDistanceToFence(shape, lon, lat)).toBeLessThan(-half + 0.05);
    });
  }

  it('corridor-hairpin: overlapping capsules merge into one polygon without holes', () => {
    const shape = shapeOf('corridor-hairpin');
    if (shape.type !== 'corridor') throw new Error('fixture is not a corridor');
    const outline = corridorOutline(shape.line, shape.widthMeters);
    expect(outline.type).toBe('Polygon');
    expect(outline.coordinates).toHaveLength(1);
  });

  it('corridor-multiline-apart: parts 2 km apart stay two polygons', () => {
    const shape = shapeOf('corridor-multiline-apart');
    if (shape.type !== 'corridor') throw new Error('fixture is not a corridor');
    const outline = corridorOutline(shape.line, shape.widthMeters);
    expect(outline.type).toBe('MultiPolygon');
    expect(outline.coordinates).toHaveLength(2);
  });

  it('corridor-single-point: a line with no length is a circle of half the width', () => {
    const shape = shapeOf('corridor-single-point');
    if (shape.type !== 'corridor') throw new Error('fixture is not a corridor');
    const outline = corridorOutline(shape.line, shape.widthMeters);
    expect(outline.type).toBe('Polygon');
    for (const [lon = NaN, lat = NaN] of ringsOf(outline)[0] ?? [])
      expect(Math.abs(signedDistanceToFence(shape, lon, lat))).toBeLessThan(1e-6);
  });
});

describe('fenceOutline', () => {
  it('polygon-with-hole: a polygon fence is drawn as given', () => {
    const shape = shapeOf('polygon-with-hole');
    if (shape.type !== 'polygon') throw new Error('fixture is not a polygon');
    expect(fenceOutline(shape)).toBe(shape.geometry);
  });
});
