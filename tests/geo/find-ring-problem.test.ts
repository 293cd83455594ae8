// Topology problems of polygons: bow-ties, crossing rings, holes outside the shell; valid shapes pass.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { findRingProblem } from '../../geo/find-ring-problem';
import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';

const square = (x: number, y: number, s: number): number[][] => [
  [x, y],
  [x + s, y],
  [x + s, y + s],
  [x, y + s],
  [x, y],
];

describe('findRingProblem', () => {
  it('passes a square with a hole, and touching vertices', () => {
    expect(findRingProblem({ type: 'Polygon', coordinates: [square(0, 0, 10), square(2, 2, 2)] })).toBeNull();
    expect(
      findRingProblem({
        type: 'Polygon',
        coordinates: [
          [
            [0, 0],
            [2, 0],
            [2, 2],
            [2, 2],
            [0, 2],
            [0, 0],
          ],
        ],
      }),
    ).toBeNull();
  });

  it('finds a bow-tie', () => {
    const problem = findRingProblem({
      type: 'Polygon',
      coordinates: [
        [
          [0, 0],
          [1, 1],
          [1, 0],
          [0, 1],
          [0, 0],
        ],
      ],
    });
    expect(problem).toMatchObject({
      path: 'coordinates[0]',
      message: expect.stringMatching(/^self-intersection: ring 0 crosses itself/),
    });
  });

  it('finds a hole crossing its shell, and a hole outside it', () => {
    expect(
      findRingProblem({ type: 'Polygon', coordinates: [square(0, 0, 10), square(8, 8, 4)] })?.message,
    ).toMatch(/rings 0 and 1 cross/);
    expect(findRingProblem({ type: 'Polygon', coordinates: [square(0, 0, 10), square(20, 20, 2)] })).toEqual({
      path: 'coordinates[1]',
      message: 'hole 1 lies outside its shell',
    });
  });

  it('refuses an edge that wraps across the antimeridian', () => {
    const ring = [
      [179, -16],
      [-179, -16],
      [-179, -17],
      [179, -17],
      [179, -16],
    ];
    expect(findRingProblem({ type: 'Polygon', coordinates: [ring] })?.message).toMatch(
      /^edge 0 crosses the antimeridian/,
    );
  });

  it('names the polygon of a MultiPolygon', () => {
    const geometry: MultiPolygon = {
      type: 'MultiPolygon',
      coordinates: [
        [square(0, 0, 1)],
        [
          [
            [5, 5],
            [6, 6],
            [6, 5],
            [5, 6],
            [5, 5],
          ],
        ],
      ],
    };
    expect(findRingProblem(geometry)?.path).toBe('coordinates[1][0]');
  });

  it('passes every grid of the committed scenario', () => {
    const grids = JSON.parse(fs.readFileSync('data/grids.geojson', 'utf8')) as FeatureCollection<
      Polygon | MultiPolygon
    >;
    const started = performance.now();
    const problems = grids.features.flatMap((f) => findRingProblem(f.geometry) ?? []);
    console.log(`${grids.features.length} grids checked in ${(performance.now() - started).toFixed(0)} ms`);
    expect(problems).toEqual([]);
  });
});
