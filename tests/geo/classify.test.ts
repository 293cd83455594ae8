// createClassifier, createLineIndex and distances: golden scenarios and accuracy against a Vincenty reference.
import type { Feature, FeatureCollection, LineString, MultiPolygon, Point, Polygon, Position } from 'geojson';
import { describe, expect, it } from 'vitest';
import {
  buildProximityMask,
  createClassifier,
  createLineIndex,
  distanceMeters,
  distanceToLineMeters,
  metersPerDegree,
} from '../../geo';
import { geodesicToLine, geodesicToSegment, vincentyMeters } from './support/geodesic';
import { scenario, scenarios, toGolden } from './support/golden';
import { densify, loadChinaVietnamBorder, splitLine } from './support/layers';
import { createRandom } from './support/random';

type Tagged = Feature<Polygon | MultiPolygon | LineString | Point, { layer: string; probe?: string }>;

function layersOf(input: FeatureCollection) {
  const features = input.features as Tagged[];
  const pick = <G extends Tagged['geometry']>(layer: string): FeatureCollection<G> => {
    const picked = features.filter((f) => f.properties.layer === layer) as unknown as Feature<G>[];
    return { type: 'FeatureCollection', features: picked };
  };
  return {
    grids: pick<Polygon | MultiPolygon>('grid'),
    sectors: pick<Polygon | MultiPolygon>('sector'),
    segments: pick<LineString>('segment'),
    border: pick<LineString>('border'),
    probes: features.filter(
      (f): f is Feature<Point, { layer: string; probe: string }> => f.geometry.type === 'Point',
    ),
  };
}

describe('createClassifier golden scenarios', () => {
  for (const { name, input, outPath } of scenarios<FeatureCollection>('classify')) {
    it(name, async () => {
      const { grids, sectors, segments, border, probes } = layersOf(input);
      const classifier = createClassifier({ grids, sectors, segments, borderLine: border });
      const classified = probes.map((probe) => {
        const [lon = NaN, lat = NaN] = probe.geometry.coordinates;
        return { ...probe, properties: { ...probe.properties, ...classifier.classify(lon, lat) } };
      });
      await expect(
        toGolden({
          type: 'FeatureCollection',
          features: [...input.features.filter((f) => f.geometry.type !== 'Point'), ...classified],
        }),
      ).toMatchFileSnapshot(outPath);
    });
  }

  it('segment-end-vertex: ties at a shared vertex go to the lower index; the zone edge is exact', () => {
    const { grids, sectors, segments, border, probes } = layersOf(
      scenario<FeatureCollection>('classify', 'segment-end-vertex').input,
    );
    const classifier = createClassifier({ grids, sectors, segments, borderLine: border });
    const at = (name: string) => {
      const [lon = NaN, lat = NaN] =
        probes.find((p) => p.properties.probe === name)?.geometry.coordinates ?? [];
      return classifier.classify(lon, lat);
    };
    expect(at('below-shared-vertex')).toMatchObject({
      segmentId: 'seg-01',
      inBorderZone: true,
      gridId: 'g-south',
      sectorId: 's-1',
    });
    expect(at('below-shared-vertex').borderDistanceMeters).toBeCloseTo(300, 0);
    expect(at('above-shared-vertex').segmentId).toBe('seg-02');
    expect(at('zone-edge-inside')).toMatchObject({
      inBorderZone: true,
      segmentId: 'seg-01',
      gridId: 'g-north',
    });
    expect(at('zone-edge-inside').borderDistanceMeters).toBeCloseTo(499, 1);
    expect(at('zone-edge-outside')).toMatchObject({ inBorderZone: false, segmentId: null });
    expect(at('zone-edge-outside').borderDistanceMeters).toBeCloseTo(501, 1);
    expect(at('beyond-end').borderDistanceMeters).toBeCloseTo(1000, 0);
    expect(at('no-sector')).toMatchObject({
      gridId: 'g-south',
      sectorId: null,
      segmentId: 'seg-03',
      inBorderZone: true,
    });
    expect(at('far')).toMatchObject({ inBorderZone: false, segmentId: null, sectorId: 's-1' });
  });

  it('with maxBorderDistanceMeters, farther fixes get null without losing the zone', () => {
    const { grids, sectors, segments, border } = layersOf(
      scenario<FeatureCollection>('classify', 'segment-end-vertex').input,
    );
    const classifier = createClassifier({
      grids,
      sectors,
      segments,
      borderLine: border,
      maxBorderDistanceMeters: 800,
    });
    const k = metersPerDegree(22.1);
    expect(classifier.classify(106.75 - 1000 / k.x, 22.1 + 700 / k.y).borderDistanceMeters).toBeCloseTo(
      700,
      0,
    );
    expect(classifier.classify(106.75 - 1000 / k.x, 22.1 + 900 / k.y).borderDistanceMeters).toBeNull();
    expect(classifier.classify(106.75 - 1000 / k.x, 22.1 + 400 / k.y).inBorderZone).toBe(true);
  });

  it('without a border line: no distance, no zone, no segment', () => {
    const { grids, sectors, segments } = layersOf(
      scenario<FeatureCollection>('classify', 'segment-end-vertex').input,
    );
    const result = createClassifier({ grids, sectors, segments, borderLine: null }).classify(106.75, 22.0999);
    expect(result).toEqual({
      gridId: 'g-south',
      sectorId: 's-1',
      segmentId: null,
      borderDistanceMeters: null,
      inBorderZone: false,
    });
  });
});

describe('distances within 0.25 % of the geodesic (Vincenty on WGS-84)', () => {
  const random = createRandom(77);

  it('distanceMeters: 10 m to 100 km at border latitudes', () => {
    let worst = 0;
    for (let i = 0; i < 5_000; i++) {
      const [lon, lat] = [100 + random() * 10, 18 + random() * 8];
      const meters = 10 ** (1 + random() * 4);
      const azimuth = random() * 2 * Math.PI;
      const k = metersPerDegree(lat);
      const [lon2, lat2] = [
        lon + (meters * Math.sin(azimuth)) / k.x,
        lat + (meters * Math.cos(azimuth)) / k.y,
      ];
      const reference = vincentyMeters(lon, lat, lon2, lat2);
      worst = Math.max(worst, Math.abs(distanceMeters(lon, lat, lon2, lat2) - reference) / reference);
    }
    expect(worst).toBeLessThan(0.0025);
    expect(worst).toBeLessThan(0.0001); // in fact far better
  });

  it('China–Vietnam border (world-atlas 10m): classify distance vs the geodesic distance to the line', () => {
    const border = loadChinaVietnamBorder('10m');
    const line = border.coordinates[0] as Position[];
    const segments = splitLine(line, 47);
    const empty: FeatureCollection<Polygon> = { type: 'FeatureCollection', features: [] };
    const classifier = createClassifier({ grids: empty, sectors: empty, segments, borderLine: border });
    let worst = 0;
    for (let i = 0; i < 300; i++) {
      const [vx = 0, vy = 0] = line[Math.floor(random() * line.length)] as Position;
      const p: Position = [vx + (random() - 0.5) * 0.08, vy + (random() - 0.5) * 0.08];
      const ours = classifier.classify(p[0] as number, p[1] as number).borderDistanceMeters as number;
      const piece = (a: Position, b: Position) =>
        distanceToLineMeters(p[0] as number, p[1] as number, { type: 'LineString', coordinates: [a, b] });
      const reference = geodesicToLine(p, line, piece);
      if (reference > 1) worst = Math.max(worst, Math.abs(ours - reference) / reference);
    }
    expect(worst).toBeLessThan(0.0025);
  }, 60_000);

  it('createLineIndex.nearest equals a scan of all segments near the line, within 0.1 % far from it', () => {
    const line = densify(loadChinaVietnamBorder('10m').coordinates[0] as Position[], 0.004);
    const index = createLineIndex({ type: 'LineString', coordinates: line });
    const geometry: LineString = { type: 'LineString', coordinates: line };
    let worstNear = 0;
    let worstFar = 0;
    for (let i = 0; i < 2_000; i++) {
      const near = i % 2 === 0;
      const [vx = 0, vy = 0] = line[Math.floor(random() * line.length)] as Position;
      const [lon, lat] = near
        ? [vx + (random() - 0.5) * 0.02, vy + (random() - 0.5) * 0.02]
        : [102 + random() * 6, 21.4 + random() * 2];
      const scan = distanceToLineMeters(lon, lat, geometry);
      const error = Math.abs((index.nearest(lon, lat)?.distanceMeters ?? NaN) - scan) / Math.max(scan, 1e-9);
      if (scan <= 2_000) worstNear = Math.max(worstNear, error);
      else worstFar = Math.max(worstFar, error);
    }
    expect(worstNear).toBeLessThan(1e-9);
    expect(worstFar).toBeLessThan(0.001);
  }, 60_000);

  it('geodesicToSegment (the reference itself) agrees with Vincenty at the ends and is smaller in between', () => {
    const [a, b]: Position[] = [
      [106.7, 22.1],
      [106.8, 22.1],
    ];
    expect(geodesicToSegment([106.7, 22.2], a as Position, b as Position)).toBeCloseTo(
      vincentyMeters(106.7, 22.2, 106.7, 22.1),
      3,
    );
    expect(geodesicToSegment([106.75, 22.101], a as Position, b as Position)).toBeLessThan(
      vincentyMeters(106.75, 22.101, 106.75, 22.1) + 0.01,
    );
  });
});

describe('createLineIndex', () => {
  const k = metersPerDegree(22.1);
  const at = (x: number, y: number): Position => [106.75 + x / k.x, 22.1 + y / k.y];
  const layer: FeatureCollection<LineString> = {
    type: 'FeatureCollection',
    features: [
      {
        type: 'Feature',
        id: 'a',
        properties: {},
        geometry: { type: 'LineString', coordinates: [at(0, 0), at(1000, 0)] },
      },
      {
        type: 'Feature',
        id: 'b',
        properties: {},
        geometry: { type: 'LineString', coordinates: [at(1000, 0), at(1000, 1000)] },
      },
    ],
  };

  it('within() returns every line whose corridor holds the point, with the metres along it', () => {
    const index = createLineIndex(layer);
    const hits = index.within(...(at(990, 30) as [number, number]), 50);
    expect(hits.map((h) => h.id)).toEqual(['a', 'b']);
    expect(hits[0]?.alongMeters).toBeCloseTo(990, 1);
    expect(hits[1]?.alongMeters).toBeCloseTo(30, 1);
    expect(index.within(...(at(500, 60) as [number, number]), 50)).toEqual([]);
    expect(index.lengthsMeters[0]).toBeCloseTo(1000, 3);
  });

  it('nearest() honours maxMeters and returns null for an empty input', () => {
    const index = createLineIndex(layer);
    expect(index.nearest(...(at(500, 300) as [number, number]), 250)).toBeNull();
    expect(index.nearest(...(at(500, 300) as [number, number]), 350)?.id).toBe('a');
    expect(createLineIndex({ type: 'FeatureCollection', features: [] }).nearest(106.7, 22.1)).toBeNull();
  });
});

describe('buildProximityMask', () => {
  it('never rules out a point within the distance, and rules out most points far away', () => {
    const border = loadChinaVietnamBorder('10m');
    const line = border.coordinates[0] as Position[];
    const index = createLineIndex(border);
    const mask = buildProximityMask(border, 2_000);
    const random = createRandom(31);
    let [near, ruledOutFar, far] = [0, 0, 0];
    for (let i = 0; i < 20_000; i++) {
      const [vx = 0, vy = 0] = line[Math.floor(random() * line.length)] as Position;
      const spread = i % 2 === 0 ? 0.05 : 1;
      const [lon, lat] = [vx + (random() - 0.5) * spread, vy + (random() - 0.5) * spread];
      const distance = index.nearest(lon, lat)?.distanceMeters ?? Infinity;
      if (distance <= 2_000) {
        near++;
        expect(mask.mayBeNear(lon, lat)).toBe(true);
      } else if (distance > 10_000) {
        far++;
        if (!mask.mayBeNear(lon, lat)) ruledOutFar++;
      }
    }
    expect(near).toBeGreaterThan(5_000);
    expect(ruledOutFar / far).toBeGreaterThan(0.95);
  });
});
