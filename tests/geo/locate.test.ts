// createLocator: golden scenarios, and equality with turf.booleanPointInPolygon on real and generated layers.
import { booleanPointInPolygon } from '@turf/turf';
import type { Feature, FeatureCollection, MultiPolygon, Point, Polygon, Position } from 'geojson';
import { describe, expect, it } from 'vitest';
import { buildCellIndex, createLocator, CROWDED_CELL, featureId, flattenPolygons } from '../../geo';
import type { PolygonLayer } from '../../geo';
import { scenarios, toGolden } from './support/golden';
import { createMeshLayer, loadCountries } from './support/layers';
import { createRandom } from './support/random';

type Box = [number, number, number, number];

function boxOf(feature: Feature<Polygon | MultiPolygon>): Box {
  const box: Box = [Infinity, Infinity, -Infinity, -Infinity];
  const polygons =
    feature.geometry.type === 'Polygon' ? [feature.geometry.coordinates] : feature.geometry.coordinates;
  for (const position of polygons.flat(2)) {
    const [x = NaN, y = NaN] = position;
    box[0] = Math.min(box[0], x);
    box[1] = Math.min(box[1], y);
    box[2] = Math.max(box[2], x);
    box[3] = Math.max(box[3], y);
  }
  return box;
}

/** The reference answer: the first feature, in input order, for which Turf says the point is in (bbox-filtered). */
function createTurfOracle(layer: PolygonLayer): (x: number, y: number) => string | null {
  const boxes = layer.features.map(boxOf);
  return (x, y) => {
    for (let f = 0; f < layer.features.length; f++) {
      const [x0, y0, x1, y1] = boxes[f] as Box;
      if (x < x0 || x > x1 || y < y0 || y > y1) continue;
      const feature = layer.features[f] as Feature<Polygon | MultiPolygon>;
      if (booleanPointInPolygon([x, y], feature)) return featureId(feature);
    }
    return null;
  };
}

function extentOf(layer: PolygonLayer): Box {
  return layer.features
    .map(boxOf)
    .reduce((a, b) => [
      Math.min(a[0], b[0]),
      Math.min(a[1], b[1]),
      Math.max(a[2], b[2]),
      Math.max(a[3], b[3]),
    ]);
}

/** Points exactly at vertices and (up to rounding) on edges, where neighbouring features meet. */
function boundaryPoints(layer: PolygonLayer, count: number, random: () => number): Position[] {
  const points: Position[] = [];
  while (points.length < count) {
    const feature = layer.features[Math.floor(random() * layer.features.length)] as Feature<
      Polygon | MultiPolygon
    >;
    const rings =
      feature.geometry.type === 'Polygon'
        ? feature.geometry.coordinates
        : feature.geometry.coordinates.flat();
    const ring = rings[Math.floor(random() * rings.length)] as Position[];
    const i = Math.floor(random() * (ring.length - 1));
    const [ax = 0, ay = 0] = ring[i] as Position;
    const [bx = 0, by = 0] = ring[i + 1] as Position;
    const t = random() < 0.3 ? 0 : random() < 0.1 ? 0.5 : random();
    points.push([ax + t * (bx - ax), ay + t * (by - ay)]);
  }
  return points;
}

function compareWithTurf(layer: PolygonLayer, points: Position[]): { mismatches: string[]; located: number } {
  const locator = createLocator(layer);
  const oracle = createTurfOracle(layer);
  const mismatches: string[] = [];
  let located = 0;
  for (const [x = NaN, y = NaN] of points) {
    const ours = locator.locate(x, y);
    const expected = oracle(x, y);
    if (ours !== null) located++;
    if (ours !== expected) mismatches.push(`(${x}, ${y}): ours ${ours}, turf ${expected}`);
  }
  return { mismatches, located };
}

function randomPoints(layer: PolygonLayer, count: number, random: () => number): Position[] {
  const [x0, y0, x1, y1] = extentOf(layer);
  const [dx, dy] = [(x1 - x0) * 0.02, (y1 - y0) * 0.02];
  return Array.from({ length: count }, () => [
    x0 - dx + random() * (x1 - x0 + 2 * dx),
    y0 - dy + random() * (y1 - y0 + 2 * dy),
  ]);
}

describe('createLocator golden scenarios', () => {
  for (const { name, input, outPath } of scenarios<FeatureCollection>('locate')) {
    it(name, async () => {
      const polygons = input.features.filter((f) => f.geometry.type !== 'Point') as Feature<
        Polygon | MultiPolygon
      >[];
      const locator = createLocator({ type: 'FeatureCollection', features: polygons });
      const probes = input.features.filter(
        (f): f is Feature<Point, { probe: string; note: string }> => f.geometry.type === 'Point',
      );
      const located = probes.map((probe) => {
        const [lon = NaN, lat = NaN] = probe.geometry.coordinates;
        return { ...probe, properties: { ...probe.properties, locatedId: locator.locate(lon, lat) } };
      });
      // Every probe must agree with Turf's first-match answer, whatever the golden file says.
      const oracle = createTurfOracle({ type: 'FeatureCollection', features: polygons });
      for (const probe of located) {
        const [lon = NaN, lat = NaN] = probe.geometry.coordinates;
        expect(probe.properties.locatedId, probe.properties.probe).toBe(oracle(lon, lat));
      }
      await expect(
        toGolden({ type: 'FeatureCollection', features: [...polygons, ...located] }),
      ).toMatchFileSnapshot(outPath);
    });
  }

  it('resolves the golden probes as documented', () => {
    const answers = new Map<string, string | null>();
    for (const { input } of scenarios<FeatureCollection>('locate')) {
      const polygons = input.features.filter((f) => f.geometry.type !== 'Point') as Feature<
        Polygon | MultiPolygon
      >[];
      const locator = createLocator({ type: 'FeatureCollection', features: polygons });
      for (const f of input.features) {
        if (f.geometry.type !== 'Point') continue;
        const [lon = NaN, lat = NaN] = f.geometry.coordinates;
        answers.set(String(f.properties?.['probe']), locator.locate(lon, lat));
      }
    }
    expect(answers.get('in-hole')).toBe('g-enclave');
    expect(answers.get('in-ring')).toBe('g-village');
    expect(answers.get('on-hole-edge')).toBe('g-village');
    expect(answers.get('outside')).toBeNull();
    expect(answers.get('edge-midpoint')).toBe('g-east');
    expect(answers.get('shared-vertex')).toBe('g-east');
    expect(answers.get('west-of-edge')).toBe('g-west');
    expect(answers.get('east-of-edge')).toBe('g-east');
    expect(answers.get('second-part')).toBe('g-split');
    expect(answers.get('between')).toBe('g-between');
    expect(answers.get('part-boundary')).toBe('g-split');
    expect(answers.get('inner')).toBe('area-district');
    expect(answers.get('district-only')).toBe('area-district');
  });
});

describe('createLocator equals turf.booleanPointInPolygon (first match in input order)', () => {
  const random = createRandom(20_24);

  it('on a 600-grid mesh with holes, exclaves and shared edges (40,000 random + 10,000 boundary points)', () => {
    const layer = createMeshLayer({ cols: 24, rows: 25, holeFraction: 0.05, exclaveFraction: 0.05, seed: 3 });
    const points = [...randomPoints(layer, 40_000, random), ...boundaryPoints(layer, 10_000, random)];
    const { mismatches, located } = compareWithTurf(layer, points);
    expect(mismatches.slice(0, 5)).toEqual([]);
    expect(located).toBeGreaterThan(45_000);
  }, 60_000);

  it('on overlapping layers (areas over a coarse mesh): the lowest index wins', () => {
    const mesh = createMeshLayer({ cols: 60, rows: 30, pointsPerSide: 1, seed: 9, shuffle: true });
    const areas = createMeshLayer({ cols: 6, rows: 3, cellDegrees: 0.1, pointsPerSide: 8, seed: 10 });
    const features = [
      ...areas.features.slice(0, 9).map((f) => ({ ...f, id: `area-${f.id}` })),
      ...mesh.features,
    ];
    const layer: PolygonLayer = { type: 'FeatureCollection', features };
    const points = [...randomPoints(layer, 30_000, random), ...boundaryPoints(layer, 10_000, random)];
    const { mismatches, located } = compareWithTurf(layer, points);
    expect(mismatches.slice(0, 5)).toEqual([]);
    expect(located).toBeGreaterThan(30_000);
  }, 60_000);

  it('on one layer in two districts 2,000 km apart (cells sized to the features, not to the gap)', () => {
    // As the demo's police sectors: some in Dongcheng (Beijing), some on the border at Pingxiang.
    const beijing = createMeshLayer({
      cols: 5,
      rows: 4,
      west: 116.38,
      south: 39.86,
      cellDegrees: 0.02,
      seed: 5,
    });
    const border = createMeshLayer({ cols: 4, rows: 3, cellDegrees: 0.05, pointsPerSide: 12, seed: 6 });
    const features = [
      ...beijing.features.map((f) => ({ ...f, id: `dc-${f.id}` })),
      ...border.features.map((f) => ({ ...f, id: `px-${f.id}` })),
    ];
    const layer: PolygonLayer = { type: 'FeatureCollection', features };
    const points = [
      ...randomPoints(beijing, 15_000, random),
      ...randomPoints(border, 15_000, random),
      ...boundaryPoints(layer, 10_000, random),
    ];
    const { mismatches, located } = compareWithTurf(layer, points);
    expect(mismatches.slice(0, 5)).toEqual([]);
    expect(located).toBeGreaterThan(35_000);
    // A cell is a fraction of a Beijing sector, where cells over the whole extent would be 0.3° wide.
    const cells = buildCellIndex(flattenPolygons(layer));
    expect(1 / cells.invCellWidth).toBeLessThan(0.01);
  }, 60_000);

  it('on real country borders (world-atlas 110m: holes, exclaves, shared borders)', () => {
    const layer = loadCountries('110m');
    const points = [...randomPoints(layer, 30_000, random), ...boundaryPoints(layer, 5_000, random)];
    const { mismatches, located } = compareWithTurf(layer, points);
    expect(mismatches.slice(0, 5)).toEqual([]);
    expect(located).toBeGreaterThan(10_000);
  }, 60_000);

  it('on detailed real borders around Guangxi (world-atlas 10m)', () => {
    const all = loadCountries('10m');
    const region: PolygonLayer = {
      type: 'FeatureCollection',
      features: all.features.filter((f) => {
        const [x0, y0, x1, y1] = boxOf(f);
        return x1 > 100 && x0 < 112 && y1 > 18 && y0 < 26;
      }),
    };
    expect(region.features.length).toBeGreaterThanOrEqual(4);
    const [x0, y0] = [104, 20.5];
    const points = Array.from({ length: 10_000 }, (): Position => [x0 + random() * 5, y0 + random() * 3]);
    const { mismatches, located } = compareWithTurf(region, [
      ...points,
      ...boundaryPoints(region, 2_000, random),
    ]);
    expect(mismatches.slice(0, 5)).toEqual([]);
    expect(located).toBeGreaterThan(5_000);
  }, 60_000);

  it('answers the same for a shared-edge point however often it is asked, and after a rebuild', () => {
    const layer = createMeshLayer({ cols: 10, rows: 10, seed: 4 });
    const locator = createLocator(layer);
    const again = createLocator(JSON.parse(JSON.stringify(layer)) as PolygonLayer);
    let located = 0;
    for (const [x = NaN, y = NaN] of boundaryPoints(layer, 2_000, random)) {
      const first = locator.locate(x, y);
      if (first !== null) located++; // null only just outside the mesh's outer edge
      expect(locator.locate(x, y)).toBe(first);
      expect(again.locate(x, y)).toBe(first);
    }
    expect(located).toBeGreaterThan(1_800);
  });
});

describe('createLocator in crowded cells', () => {
  it('a cluster of 30 tiny grids inside one cell (answered by the box tree) still matches Turf', () => {
    const random = createRandom(12);
    const square = (id: string, x: number, y: number, size: number): Feature<Polygon, { id: string }> => ({
      type: 'Feature',
      id,
      properties: { id },
      geometry: {
        type: 'Polygon',
        coordinates: [
          [
            [x, y],
            [x + size, y],
            [x + size, y + size],
            [x, y + size],
            [x, y],
          ],
        ],
      },
    });
    // One large far-away polygon stretches the grid, so that its cells are far larger than the cluster.
    const features = [square('far', 100, 18, 1)];
    for (let i = 0; i < 30; i++)
      features.push(square(`tiny-${i}`, 106.75 + (i % 6) * 1e-4, 22.1 + Math.floor(i / 6) * 1e-4, 1e-4));
    const layer: PolygonLayer = { type: 'FeatureCollection', features };
    const cluster = Array.from({ length: 5_000 }, (): Position => [
      106.75 + random() * 7e-4,
      22.1 + random() * 6e-4,
    ]);
    const { mismatches, located } = compareWithTurf(layer, [
      ...cluster,
      ...boundaryPoints(layer, 3_000, random),
    ]);
    expect(mismatches.slice(0, 5)).toEqual([]);
    expect(located).toBeGreaterThan(6_000);
    const cells = buildCellIndex(flattenPolygons(layer));
    expect(cells.cellValue.some((v) => v === CROWDED_CELL)).toBe(true);
  });
});

describe('createLocator edge cases', () => {
  it('returns null for an empty layer and for non-finite input', () => {
    expect(createLocator({ type: 'FeatureCollection', features: [] }).locate(106.7, 22.1)).toBeNull();
    const locator = createLocator(createMeshLayer({ cols: 2, rows: 2 }));
    expect(locator.locate(NaN, 21.905)).toBeNull();
    expect(locator.locate(106.605, Infinity)).toBeNull();
    expect(locator.locate(106.605, 21.905)).toBe('g-0-0');
  });

  it('uses properties.id when feature.id is absent, stringifies numeric ids, and rejects features without one', () => {
    const square: Polygon = {
      type: 'Polygon',
      coordinates: [
        [
          [0, 0],
          [1, 0],
          [1, 1],
          [0, 1],
          [0, 0],
        ],
      ],
    };
    const byProperty = createLocator({
      type: 'FeatureCollection',
      features: [{ type: 'Feature', properties: { id: 'p' }, geometry: square }],
    });
    expect(byProperty.locate(0.5, 0.5)).toBe('p');
    const numeric = createLocator({
      type: 'FeatureCollection',
      features: [{ type: 'Feature', id: 42, properties: null, geometry: square }],
    });
    expect(numeric.locate(0.5, 0.5)).toBe('42');
    expect(() =>
      createLocator({
        type: 'FeatureCollection',
        features: [{ type: 'Feature', properties: {}, geometry: square }],
      }),
    ).toThrow(TypeError);
  });
});
