// GCJ-02 ↔ WGS-84: published reference pairs, the offsets our source data documents, round trips, identity outside.
import { describe, expect, it } from 'vitest';
import { distanceMeters } from '../../geo/distance-meters';
import { gcj02ToWgs84, isOutsideChina, wgs84ToGcj02 } from '../../geo';
import { createRandom } from './support/random';

type Pair = { name: string; wgs: [number, number]; gcj: [number, number] };

/**
 * WGS-84 → GCJ-02 reference pairs (lon, lat) published with the eviltransform project's tests (MIT), computed
 * independently of this implementation. Agreement to 1e-9° means the same formula, term for term.
 */
const PUBLISHED: Pair[] = [
  { name: 'Shanghai', wgs: [121.5272106, 31.1774276], gcj: [121.531541859215, 31.17530398364597] },
  { name: 'Shenzhen', wgs: [113.912316, 22.543847], gcj: [113.9171764808363, 22.540796131694766] },
  { name: 'Beijing', wgs: [116.377817, 39.911954], gcj: [116.38404722455657, 39.91334545536069] },
];

/** East and north components of the shift from a to b, in metres. */
function shiftMeters(a: [number, number], b: [number, number]): [number, number] {
  const east = distanceMeters(a[0], a[1], b[0], a[1]) * Math.sign(b[0] - a[0]);
  const north = distanceMeters(b[0], a[1], b[0], b[1]) * Math.sign(b[1] - a[1]);
  return [east, north];
}

describe('wgs84ToGcj02', () => {
  for (const { name, wgs, gcj } of PUBLISHED)
    it(`matches the published pair for ${name} to 1e-9°`, () => {
      const [lon, lat] = wgs84ToGcj02(...wgs);
      expect(Math.abs(lon - gcj[0])).toBeLessThan(1e-9);
      expect(Math.abs(lat - gcj[1])).toBeLessThan(1e-9);
    });

  it('shifts 天安门 (116.391275, 39.907105) to ≈ (116.39751, 39.90851): +0.0062° lon, +0.0014° lat', () => {
    const [lon, lat] = wgs84ToGcj02(116.391275, 39.907105);
    expect(lon).toBeCloseTo(116.397516, 5);
    expect(lat).toBeCloseTo(39.908506, 5);
    expect(distanceMeters(lon, lat, 116.39751, 39.908508)).toBeLessThan(1);
  });

  // data/source/README.md states the offsets of the raw Amap outlines it converted; an independent check.
  it('gives the offsets the source data documents: +371 m E / −314 m N at 凭祥, +532 m E / +156 m N at 东城', () => {
    const px = shiftMeters([106.78, 22.06], wgs84ToGcj02(106.78, 22.06));
    expect(px[0]).toBeCloseTo(371, -1);
    expect(px[1]).toBeCloseTo(-314, -1);
    const dc = shiftMeters([116.413, 39.91], wgs84ToGcj02(116.413, 39.91));
    expect(dc[0]).toBeCloseTo(532, -1);
    expect(dc[1]).toBeCloseTo(156, -1);
  });

  it('is the identity outside the China rectangle (Tokyo, Singapore, Moscow, Null Island)', () => {
    for (const p of [
      [139.6917, 35.6895],
      [103.8198, 1.3521 - 0.6],
      [37.6173, 55.7558],
      [0, 0],
    ] as [number, number][]) {
      expect(isOutsideChina(...p)).toBe(true);
      expect(wgs84ToGcj02(...p)).toEqual(p);
      expect(gcj02ToWgs84(...p)).toEqual(p);
    }
  });

  it('applies inside the rectangle even beyond the border (it is a rectangle, not the border)', () => {
    expect(isOutsideChina(105.8542, 21.0285)).toBe(false); // Hanoi
    expect(isOutsideChina(116.4074, 39.9042)).toBe(false);
    expect(isOutsideChina(72.0, 30)).toBe(true);
    expect(isOutsideChina(100, 56)).toBe(true);
  });
});

describe('gcj02ToWgs84', () => {
  for (const { name, wgs, gcj } of PUBLISHED)
    it(`inverts the published pair for ${name} within 0.01 m`, () => {
      const [lon, lat] = gcj02ToWgs84(...gcj);
      expect(distanceMeters(lon, lat, ...wgs)).toBeLessThan(0.01);
    });

  for (const [region, box] of [
    ['Pingxiang', [106.6, 21.85, 107.05, 22.3]],
    ['Dongcheng', [116.37, 39.85, 116.45, 39.98]],
    ['all of China', [73.5, 3.5, 135, 53.5]],
  ] as const)
    it(`round-trips 2,000 random points in ${region} within 0.5 m (in practice within a millimetre)`, () => {
      const random = createRandom(region.length * 7919);
      let worst = 0;
      for (let i = 0; i < 2000; i++) {
        const lon = box[0] + random() * (box[2] - box[0]);
        const lat = box[1] + random() * (box[3] - box[1]);
        const [gLon, gLat] = wgs84ToGcj02(lon, lat);
        const [wLon, wLat] = gcj02ToWgs84(gLon, gLat);
        worst = Math.max(worst, distanceMeters(lon, lat, wLon, wLat));
      }
      expect(worst).toBeLessThan(0.5);
      expect(worst).toBeLessThan(0.01);
    });

  it('is not the naive inverse: subtracting the offset at the GCJ-02 point is off by up to metres', () => {
    // why the iteration exists: the one-step inverse errs by the offset's gradient times the offset
    const random = createRandom(42);
    let worstNaive = 0;
    for (let i = 0; i < 500; i++) {
      const lon = 73.5 + random() * 61.5;
      const lat = 18 + random() * 35;
      const [gLon, gLat] = wgs84ToGcj02(lon, lat);
      const [sLon, sLat] = wgs84ToGcj02(gLon, gLat);
      worstNaive = Math.max(worstNaive, distanceMeters(lon, lat, 2 * gLon - sLon, 2 * gLat - sLat));
    }
    expect(worstNaive).toBeGreaterThan(0.5);
  });
});
