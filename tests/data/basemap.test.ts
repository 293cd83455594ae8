// data/basemap.geojson: China under China's map conventions, the neighbours apart, the layers the style expects,
// the Pingxiang border spliced in, and a size that stays small.
import * as turf from '@turf/turf';
import type { Feature, Geometry, LineString, MultiLineString, MultiPolygon, Point, Polygon, Position } from 'geojson';
import { describe, expect, it, vi } from 'vitest';
import { readCollection, type Feat } from './load';

vi.setConfig({ testTimeout: 30_000 });

const all = readCollection<Polygon | MultiPolygon | LineString | MultiLineString | Point>('basemap.geojson');
const ofLayer = <G extends Geometry>(layer: string) =>
  all.filter((f) => f.properties['layer'] === layer) as unknown as Feat<G>[];
const countries = ofLayer<Polygon | MultiPolygon>('country');
const china = countries.find((f) => f.id === 'country-156') as Feature<Polygon | MultiPolygon>;
const border = readCollection<LineString>('border.geojson')[0] as Feature<LineString>;

const holders = (p: Position): string[] =>
  countries.filter((f) => turf.booleanPointInPolygon(p, f)).map((f) => String(f.properties['name']));

describe('layers', () => {
  it('every feature has one of the layers the style draws, with a Chinese and an English name', () => {
    const layers = ['country', 'boundary', 'province', 'district', 'dashed-line', 'city', 'country-label'];
    for (const f of all) {
      expect(layers, f.id).toContain(f.properties['layer']);
      expect(typeof f.properties['name'], f.id).toBe('string');
      expect(typeof f.properties['nameEn'], f.id).toBe('string');
    }
    for (const layer of layers) expect(ofLayer(layer).length, layer).toBeGreaterThan(0);
  });

  it('stays inside lon 73–136, lat 3–54, covering all of China and both demo regions', () => {
    const [x0, y0, x1, y1] = turf.bbox(turf.featureCollection(all));
    expect(x0).toBeGreaterThanOrEqual(73);
    expect(y0).toBeGreaterThanOrEqual(3);
    expect(x1).toBeLessThanOrEqual(136);
    expect(y1).toBeLessThanOrEqual(54);
    const [cx0, , cx1, cy1] = turf.bbox(china);
    expect(cx0).toBeLessThan(74);
    expect(cy1).toBeGreaterThan(53);
    expect(cx1).toBeGreaterThan(134);
  });

  it('names countries in Chinese (from @surbowl) and in English', () => {
    const names = new Map(countries.map((f) => [f.properties['nameEn'], f.properties['name']]));
    expect(names.get('China')).toBe('中国');
    expect(names.get('Vietnam')).toBe('越南');
    expect(names.get('India')).toBe('印度');
    expect(names.get('Laos')).toBe('老挝');
  });
});

describe("China's outline follows China's map conventions", () => {
  const cases: [string, Position][] = [
    ['Taipei', [121.56, 25.04]],
    // Natural Earth's coast is quantised to ~400 m: 109.5, 18.25 falls just offshore; this is in the city
    ['Sanya', [109.51, 18.26]],
    ['藏南 (South Tibet)', [93.0, 27.8]],
    ['达旺 (Tawang)', [91.86, 27.59]],
    ['Hong Kong (New Territories)', [114.15, 22.38]],
    ['Macao', [113.55, 22.16]],
    ['Beijing', [116.4, 39.9]],
    ['西沙 (Paracels)', [111.78, 16.22]],
  ];
  for (const [name, p] of cases)
    it(`${name} ${p.join(',')} is in China and in no other country`, () => {
      expect(holders(p)).toEqual(['中国']);
    });

  it('Taiwan, Hong Kong, Macao and the Spratlys are not separate countries', () => {
    for (const id of ['country-158', 'country-344', 'country-446', 'country-spratly-is-', 'country-spratly-is'])
      expect(countries.some((f) => f.id === id), id).toBe(false);
  });

  it('Hanoi is in Vietnam, Thimphu in Bhutan, Guwahati in India: the neighbours are still drawn', () => {
    expect(holders([105.85, 21.03])).toEqual(['越南']);
    expect(holders([89.64, 27.47])).toEqual(['不丹']);
    expect(holders([91.75, 26.14])).toEqual(['印度']);
  });

  it('no two countries overlap (sampled across the extent)', () => {
    let overlaps = 0;
    for (let x = 73.25; x < 136; x += 0.5) for (let y = 3.25; y < 54; y += 0.5) if (holders([x, y]).length > 1) overlaps++;
    expect(overlaps).toBe(0);
  });

  it('carries the ten dashes of the South China Sea line', () => {
    const line = ofLayer<MultiLineString>('dashed-line')[0];
    expect(line?.geometry.coordinates).toHaveLength(10);
  });
});

describe('the China–Vietnam boundary at Pingxiang is the line of border.geojson', () => {
  it('every border.geojson vertex lies on China’s land boundary within 15 m (the basemap is rounded to ~10 m)', () => {
    const boundary = all.find((f) => f.id === 'boundary-china') as Feature<MultiLineString>;
    const near = turf.featureCollection(
      boundary.geometry.coordinates
        .filter((l) => l.some(([x, y]) => Math.abs((x as number) - 106.8) < 0.5 && Math.abs((y as number) - 22.1) < 0.5))
        .map((l) => turf.lineString(l)),
    );
    let worst = 0;
    for (const p of border.geometry.coordinates)
      worst = Math.max(worst, Math.min(...near.features.map((l) => turf.pointToLineDistance(p, l) * 1000)));
    expect(worst).toBeLessThan(15);
  });

  it('points 50 m either side of the line fall in China and in Vietnam', () => {
    const line = border.geometry.coordinates;
    for (let i = 10; i < line.length - 10; i += 7) {
      const [ax, ay] = line[i] as [number, number];
      const [bx, by] = line[i + 1] as [number, number];
      const len = Math.hypot(bx - ax, by - ay);
      const [nx, ny] = [(-(by - ay) / len) * 0.0005, ((bx - ax) / len) * 0.0005];
      const mid: Position = [(ax + bx) / 2, (ay + by) / 2];
      const [mx, my] = mid as [number, number];
      const sides = [holders([mx + nx, my + ny]), holders([mx - nx, my - ny])].map((h) => h.join());
      expect(sides.sort(), `vertex ${i}`).toEqual(['中国', '越南']);
    }
  });
});

describe('cities and districts', () => {
  it('has the demo cities, approximate, with Chinese and English names', () => {
    const cities = ofLayer<Point>('city');
    const byEn = new Map(cities.map((c) => [c.properties['nameEn'], c]));
    for (const [en, zh] of [
      ['Beijing', '北京'],
      ['Nanning', '南宁'],
      ['Pingxiang', '凭祥'],
      ['Chongzuo', '崇左'],
      ['Hanoi', '河内'],
      ['Lang Son', '谅山'],
      ['Dong Dang', '同登'],
    ]) {
      expect(byEn.get(en)?.properties['name'], en).toBe(zh);
      expect(byEn.get(en)?.properties['approximate'], en).toBe(true);
    }
    expect(holders(byEn.get('Pingxiang')?.geometry.coordinates ?? [])).toEqual(['中国']);
    expect(holders(byEn.get('Dong Dang')?.geometry.coordinates ?? [])).toEqual(['越南']);
  });

  it('outlines 东城区 and 凭祥市 as districts', () => {
    expect(ofLayer('district').map((d) => d.properties['name']).sort()).toEqual(['东城区', '凭祥市']);
  });
});
