// Integrity of the committed demo scenario in data/ (see data/README.md).
import fs from 'node:fs';
import * as turf from '@turf/turf';
import type { Feature, LineString, MultiPolygon, Polygon, Position } from 'geojson';
import { describe, expect, it, vi } from 'vitest';
import { createRng } from '../../scripts/scenario/prng';
import { DATA_DIR, loadScenario, type AreaFeature, type Props } from './load';

// a few tests walk every coordinate or sample thousands of points: seconds, more on a busy machine
vi.setConfig({ testTimeout: 30_000 });

const s = loadScenario();
const byId = <T extends { id: string }>(items: readonly T[]): Map<string, T> => new Map(items.map((x) => [x.id, x]));
const props = (f: { properties: Props }): Props => f.properties;
const dc = (f: { properties: Props }): boolean => f.properties['region'] === 'dongcheng';
const px = (f: { properties: Props }): boolean => f.properties['region'] === 'pingxiang';
const level = (l: string) => (f: { properties: Props }) => f.properties['level'] === l;
const areaById = byId(s.areas.map((f) => ({ ...f, id: f.properties.id })));
const district = (region: string): AreaFeature => {
  const d = s.areas.find((a) => a.properties['region'] === region && a.properties['level'] === 'district');
  if (!d) throw new Error(`no district for ${region}`);
  return d;
};
const borderLine = s.border[0] as Feature<LineString, Props>;

/**
 * A point surely inside the polygon: its centroid when that lies inside, else the middle of the widest
 * interior stretch of the horizontal line through the centroid (for the odd L-shaped grid at a notch).
 */
function inner(f: AreaFeature): Position {
  const c = turf.centroid(f).geometry.coordinates;
  if (turf.booleanPointInPolygon(c, f)) return c;
  const y = c[1] as number;
  const xs: number[] = [];
  const polys = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
  for (const ring of polys.flat())
    for (let i = 1; i < ring.length; i++) {
      const [ax, ay] = ring[i - 1] as [number, number];
      const [bx, by] = ring[i] as [number, number];
      if (ay <= y !== by <= y) xs.push(ax + ((y - ay) / (by - ay)) * (bx - ax));
    }
  xs.sort((a, b) => a - b);
  let best: Position = c;
  let width = 0;
  for (let i = 0; i + 1 < xs.length; i += 2) {
    const [a, b] = [xs[i] as number, xs[i + 1] as number];
    if (b - a > width) [best, width] = [[(a + b) / 2, y], b - a];
  }
  return best;
}

/** Features containing p, bbox-prefiltered. */
function containing(p: Position, features: readonly { f: AreaFeature; bbox: number[] }[]): AreaFeature[] {
  const [x, y] = p as [number, number];
  return features
    .filter(({ bbox: b }) => x >= (b[0] as number) && x <= (b[2] as number) && y >= (b[1] as number) && y <= (b[3] as number))
    .filter(({ f }) => turf.booleanPointInPolygon(p, f))
    .map(({ f }) => f);
}
const indexed = (fs: readonly AreaFeature[]) => fs.map((f) => ({ f, bbox: turf.bbox(f) }));

describe('counts', () => {
  it('Dongcheng: 1 district, 17 subdistricts, 187 communities, 589 grids', () => {
    expect(s.areas.filter(dc).filter(level('district'))).toHaveLength(1);
    expect(s.areas.filter(dc).filter(level('subdistrict'))).toHaveLength(17);
    expect(s.areas.filter(dc).filter(level('community'))).toHaveLength(187);
    expect(s.grids.filter(dc)).toHaveLength(589);
  });
  it('Pingxiang: 1 city, a few towns, villages and about 120 grids', () => {
    expect(s.areas.filter(px).filter(level('district'))).toHaveLength(1);
    expect(s.areas.filter(px).filter(level('subdistrict')).length).toBeGreaterThanOrEqual(3);
    expect(s.areas.filter(px).filter(level('community')).length).toBeGreaterThanOrEqual(30);
    expect(s.grids.filter(px).length).toBeGreaterThanOrEqual(100);
  });
  it('47 segments, 265 household posts in 27 groups, facilities, sectors, at least 60 units', () => {
    expect(s.segments).toHaveLength(47);
    const households = s.posts.filter((p) => p.properties['type'] === 'household');
    expect(households).toHaveLength(265);
    expect(new Set(households.map((p) => p.properties['groupId'])).size).toBe(27);
    for (const type of ['checkpoint', 'police_station', 'trade_point'])
      expect(s.posts.filter((p) => p.properties['type'] === type).length).toBeGreaterThanOrEqual(2);
    expect(s.sectors.filter(px).length).toBeGreaterThanOrEqual(5);
    expect(s.sectors.filter(dc).length).toBeGreaterThanOrEqual(1);
    expect(s.units.length).toBeGreaterThanOrEqual(60);
    for (const kind of ['military', 'police', 'civilian']) expect(s.units.some((u) => u.kind === kind)).toBe(true);
  });
  it('the manifest states the same counts', () => {
    const c = s.manifest.counts;
    expect(s.manifest.version).toBe(1);
    expect(c.dongcheng).toEqual({ district: 1, subdistrict: 17, community: 187, grid: 589 });
    expect(c.pingxiang['grid']).toBe(s.grids.filter(px).length);
    expect(c.segments).toBe(s.segments.length);
    expect(c.posts['household']).toBe(265);
    expect(c.postsByRegion['pingxiang']?.['household']).toBe(265);
    expect(c.units['total']).toBe(s.units.length);
    expect(c.jointDefenseGroups).toBe(27);
    expect(s.manifest.bbox['pingxiang']).toEqual(turf.bbox(district('pingxiang')));
  });
});

describe('ids and features', () => {
  const files = { areas: s.areas, grids: s.grids, border: s.border, segments: s.segments, sectors: s.sectors, posts: s.posts, basemap: s.basemap };
  for (const [name, features] of Object.entries(files))
    it(`${name}: every feature has a string id equal to properties.id, unique; coordinates valid, ≤ 6 decimals`, () => {
      expect(features.length).toBeGreaterThan(0);
      for (const f of features) {
        expect(typeof f.id).toBe('string');
        expect(f.id).toBe(f.properties.id);
      }
      expect(new Set(features.map((f) => f.id)).size).toBe(features.length);
      for (const f of features)
        for (const [x, y] of turf.coordAll(f) as [number, number][]) {
          expect(Math.abs(x) <= 180 && Math.abs(y) <= 90).toBe(true);
          expect(Math.round(x * 1e6) / 1e6).toBe(x);
          expect(Math.round(y * 1e6) / 1e6).toBe(y);
        }
    });
  it('grid and area ids do not collide', () => {
    const ids = [...s.grids, ...s.areas].map((f) => f.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
  it('polygon exteriors are counter-clockwise and closed (RFC 7946)', () => {
    for (const f of [...s.grids, ...s.areas, ...s.sectors]) {
      const polys = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
      for (const rings of polys)
        rings.forEach((ring, k) => {
          expect(ring[0]).toEqual(ring[ring.length - 1]);
          const area = turf.area(turf.polygon([ring]));
          expect(area).toBeGreaterThan(0);
          expect(turf.booleanClockwise(ring)).toBe(k > 0);
        });
    }
  });
});

describe('hierarchy', () => {
  const parentLevel: Record<string, string | null> = { grid: 'community', community: 'subdistrict', subdistrict: 'district', district: null };
  it('every parentId resolves to the next level up, in the same region', () => {
    for (const f of [...s.grids, ...s.areas]) {
      const p = props(f);
      const expected = parentLevel[String(p['level'])];
      expect(expected, `${f.id} level`).not.toBeUndefined();
      if (expected === null) {
        expect(p['parentId']).toBeNull();
        continue;
      }
      const parent = areaById.get(String(p['parentId']));
      expect(parent, `${f.id} → ${String(p['parentId'])}`).toBeDefined();
      expect(parent?.properties['level']).toBe(expected);
      expect(parent?.properties['region']).toBe(p['region']);
    }
  });
  it('households and residents add up from grids to districts; grids are Zhucheng-scale', () => {
    const sum = new Map<string, [number, number]>();
    for (const f of [...s.grids, ...s.areas]) {
      const p = props(f);
      const parent = p['parentId'];
      if (typeof parent !== 'string') continue;
      const acc = sum.get(parent) ?? [0, 0];
      sum.set(parent, [acc[0] + Number(p['households']), acc[1] + Number(p['residents'])]);
    }
    for (const a of s.areas) expect(sum.get(a.id), a.id).toEqual([a.properties['households'], a.properties['residents']]);
    for (const g of s.grids.filter(dc)) {
      const h = Number(g.properties['households']);
      expect(h).toBeGreaterThanOrEqual(200);
      expect(h).toBeLessThanOrEqual(600);
      const ratio = Number(g.properties['residents']) / h;
      expect(ratio).toBeGreaterThanOrEqual(2.29);
      expect(ratio).toBeLessThanOrEqual(2.81);
    }
  });
  it('every grid has a 7+X roster: the seven roles once each plus 1–3 extra roles', () => {
    const core = ['party_secretary', 'grid_manager', 'assistant', 'supervisor', 'police_officer', 'judicial_officer', 'firefighter'];
    const extra = ['social_security', 'union', 'youth_league', 'womens_federation', 'social_organization'];
    const staffIds = new Set<string>();
    for (const g of s.grids) {
      const staff = g.properties['staff'] as { id: string; name: string; role: string }[];
      const roles = staff.map((m) => m.role);
      for (const r of core) expect(roles.filter((x) => x === r)).toHaveLength(1);
      const x = roles.filter((r) => !core.includes(r));
      expect(x.length).toBeGreaterThanOrEqual(1);
      expect(x.length).toBeLessThanOrEqual(3);
      for (const r of x) expect(extra).toContain(r);
      for (const m of staff) {
        expect(m.name).toMatch(/^[\u4e00-\u9fff]{2,3}$/);
        staffIds.add(m.id);
      }
    }
    expect(staffIds.size).toBe(s.grids.reduce((n, g) => n + (g.properties['staff'] as unknown[]).length, 0));
  });
  it('every Dongcheng grid lies inside its community, every community inside its subdistrict', () => {
    const comms = indexed(s.areas.filter(dc).filter(level('community')));
    const subs = indexed(s.areas.filter(dc).filter(level('subdistrict')));
    for (const g of s.grids.filter(dc)) {
      // the centroid, or for the few L-shaped grids at notches of the outline (centroid outside the grid
      // and the district) a point on the grid's surface
      expect(containing(inner(g), comms).map((c) => c.id), g.id).toEqual([g.properties['parentId']]);
    }
    for (const { f } of comms) expect(containing(inner(f), subs).map((x) => x.id), f.id).toEqual([f.properties['parentId']]);
  });
  it('grid areas add up to their community, communities to their subdistrict, grids to the outline', () => {
    const area = new Map<string, number>();
    for (const f of [...s.grids, ...s.areas]) {
      const parent = f.properties['parentId'];
      if (typeof parent === 'string') area.set(parent, (area.get(parent) ?? 0) + turf.area(f));
    }
    for (const a of s.areas) {
      const expected = turf.area(a);
      expect(Math.abs((area.get(a.id) ?? 0) - expected) / expected, a.id).toBeLessThan(0.001);
    }
  });
});

describe('grids tile each outline without overlap', () => {
  for (const [region, n] of [
    ['dongcheng', 3000],
    ['pingxiang', 1500],
  ] as const)
    it(`${region}: each of ${n} random points inside the outline lies in exactly one grid`, () => {
      const outline = district(region);
      const grids = indexed(s.grids.filter((g) => g.properties['region'] === region));
      const rng = createRng(`test:${region}`);
      const [x0, y0, x1, y1] = turf.bbox(outline);
      let tested = 0;
      while (tested < n) {
        const p: Position = [rng.range(x0, x1), rng.range(y0, y1)];
        if (!turf.booleanPointInPolygon(p, outline)) continue;
        tested++;
        expect(containing(p, grids), p.join(',')).toHaveLength(1);
      }
    });
});

describe('border and segments', () => {
  const segs = s.segments as Feature<LineString, Props>[];
  it('the border line is one approximate LineString taken from the 凭祥市 outline', () => {
    expect(s.border).toHaveLength(1);
    expect(borderLine.id).toBe('border-cn-vn-pingxiang');
    expect(borderLine.properties['approximate']).toBe(true);
    expect(borderLine.geometry.type).toBe('LineString');
    const outline = district('pingxiang').geometry as Polygon;
    const vertices = new Set((outline.coordinates[0] ?? []).map((p) => p.join(',')));
    for (const p of borderLine.geometry.coordinates) expect(vertices.has(p.join(','))).toBe(true);
    const km = turf.length(borderLine);
    expect(km).toBeGreaterThan(50);
    expect(km).toBeLessThan(120);
  });
  it('segments are numbered 1..47 in id order and contiguous from one end of the line to the other', () => {
    segs.forEach((seg, i) => {
      expect(seg.id).toBe(`px-seg-${String(i + 1).padStart(2, '0')}`);
      expect(seg.properties['index']).toBe(i + 1);
      expect(seg.properties['name']).toBe(`第${i + 1}段`);
      expect(seg.properties['nameEn']).toBe(`Segment ${i + 1}`);
      expect(seg.properties['requiredKinds']).toBeNull();
      const next = segs[i + 1];
      if (next) expect(next.geometry.coordinates[0]).toEqual(seg.geometry.coordinates[seg.geometry.coordinates.length - 1]);
    });
    const line = borderLine.geometry.coordinates;
    expect(segs[0]?.geometry.coordinates[0]).toEqual(line[0]);
    const last = segs[segs.length - 1]?.geometry.coordinates ?? [];
    expect(last[last.length - 1]).toEqual(line[line.length - 1]);
  });
  it('segment lengths are stated correctly, roughly equal, and sum to the border length (±0.5%)', () => {
    const total = turf.length(borderLine) * 1000;
    let sum = 0;
    for (const seg of segs) {
      const m = turf.length(seg) * 1000;
      expect(Math.abs(Number(seg.properties['lengthMeters']) - m)).toBeLessThan(1);
      expect(Math.abs(m - total / segs.length) / (total / segs.length)).toBeLessThan(0.05);
      sum += Number(seg.properties['lengthMeters']);
    }
    expect(Math.abs(sum - total) / total).toBeLessThan(0.005);
  });
  it('every road chief is bound to a civilian road-chief unit on that segment', () => {
    const units = byId(s.units);
    const chiefs = new Set<string>();
    for (const seg of segs) {
      const chief = seg.properties['roadChief'] as { id: string; name: string; unitId: string };
      expect(chief.name).toMatch(/^[\u4e00-\u9fff]{2,3}$/);
      const unit = units.get(chief.unitId);
      expect(unit, chief.unitId).toBeDefined();
      expect(unit?.kind).toBe('civilian');
      expect(unit?.segmentId).toBe(seg.id);
      expect(unit?.gridId).toMatch(/^px-grid-\d{3}$/);
      chiefs.add(chief.unitId);
    }
    expect(chiefs.size).toBe(segs.length);
  });
});

describe('posts', () => {
  const households = s.posts.filter((p) => p.properties['type'] === 'household');
  const segIds = new Set(s.segments.map((x) => x.id));
  it('household posts lie on the Chinese side, 0.2–3 km from the border line, with a head and a nearest segment', () => {
    const outline = district('pingxiang');
    for (const p of households) {
      const c = p.geometry.coordinates;
      const km = turf.pointToLineDistance(c, borderLine);
      expect(km, p.id).toBeLessThanOrEqual(3);
      expect(km, p.id).toBeGreaterThanOrEqual(0.2);
      expect(turf.booleanPointInPolygon(c, outline), p.id).toBe(true);
      expect(p.properties['householdHead']).toMatch(/^[\u4e00-\u9fff]{2,3}$/);
      const dist = new Map(s.segments.map((seg) => [seg.id, turf.pointToLineDistance(c, seg as Feature<LineString>)]));
      const own = dist.get(String(p.properties['segmentId']));
      expect(own, p.id).toBeDefined();
      expect(own, p.id).toBeLessThanOrEqual(Math.min(...dist.values()) + 0.001); // the nearest segment (±1 m)
      expect(s.grids.find((g) => g.id === p.properties['gridId'] && turf.booleanPointInPolygon(c, g)), p.id).toBeDefined();
    }
  });
  it('ten-household groups are consecutive runs of 9–10 posts with ids px-jdg-01..27', () => {
    const runs: string[] = [];
    for (const p of households) if (runs[runs.length - 1] !== p.properties['groupId']) runs.push(String(p.properties['groupId']));
    expect(runs).toEqual(Array.from({ length: 27 }, (_, i) => `px-jdg-${String(i + 1).padStart(2, '0')}`));
    for (const g of runs) {
      const n = households.filter((p) => p.properties['groupId'] === g).length;
      expect(n).toBeGreaterThanOrEqual(9);
      expect(n).toBeLessThanOrEqual(10);
    }
  });
  it('友谊关 is an approximate checkpoint near 106.70 E 21.98 N on the Chinese side', () => {
    const pass = s.posts.find((p) => p.properties['name'] === '友谊关口岸');
    expect(pass?.properties['type']).toBe('checkpoint');
    expect(pass?.properties['approximate']).toBe(true);
    const c = pass?.geometry.coordinates ?? [0, 0];
    expect(turf.distance(c, [106.7, 21.98])).toBeLessThan(2);
    expect(turf.booleanPointInPolygon(c, district('pingxiang'))).toBe(true);
  });
  it('every post has the same keys, and its references resolve', () => {
    const keys = Object.keys(s.posts[0]?.properties ?? {}).sort();
    const grids = new Set(s.grids.map((g) => g.id));
    for (const p of s.posts) {
      expect(Object.keys(p.properties).sort()).toEqual(keys);
      expect(['household', 'checkpoint', 'police_station', 'trade_point']).toContain(p.properties['type']);
      const seg = p.properties['segmentId'];
      if (seg !== null) expect(typeof seg === 'string' && segIds.has(seg)).toBe(true);
      const grid = p.properties['gridId'];
      if (grid !== null) expect(typeof grid === 'string' && grids.has(grid)).toBe(true);
    }
  });
});

describe('units', () => {
  const pattern = /^[A-Za-z0-9._:-]{1,64}$/;
  it('unit and device ids are unique and match the id pattern', () => {
    expect(new Set(s.units.map((u) => u.id)).size).toBe(s.units.length);
    expect(new Set(s.units.map((u) => u.deviceId)).size).toBe(s.units.length);
    for (const u of s.units) {
      expect(u.id).toMatch(pattern);
      expect(u.deviceId).toMatch(pattern);
      expect(['military', 'police', 'civilian']).toContain(u.kind);
      expect(u.callsign.length).toBeGreaterThan(0);
    }
  });
  it('segment and grid references resolve; Dongcheng has its own units', () => {
    const segs = new Set(s.segments.map((x) => x.id));
    const grids = byId(s.grids.map((g) => ({ id: g.id, region: g.properties['region'] })));
    for (const u of s.units) {
      if (u.segmentId !== null) expect(segs.has(u.segmentId), u.id).toBe(true);
      if (u.gridId !== null) expect(grids.get(u.gridId)?.region, u.id).toBe(u.region);
    }
    expect(s.units.filter((u) => u.region === 'dongcheng').length).toBeGreaterThanOrEqual(5);
  });
});

describe('sectors', () => {
  it('Pingxiang sectors cover the outline without overlap (sampled)', () => {
    const outline = district('pingxiang');
    const sectors = indexed(s.sectors.filter(px));
    const total = sectors.reduce((a, { f }) => a + turf.area(f), 0);
    expect(Math.abs(total - turf.area(outline)) / turf.area(outline)).toBeLessThan(0.001);
    const rng = createRng('test:sectors');
    const [x0, y0, x1, y1] = turf.bbox(outline);
    for (let n = 0; n < 300; ) {
      const p: Position = [rng.range(x0, x1), rng.range(y0, y1)];
      if (!turf.booleanPointInPolygon(p, outline)) continue;
      n++;
      expect(containing(p, sectors)).toHaveLength(1);
    }
    for (const { f } of sectors) expect(String(f.properties['stationName'])).toMatch(/派出所$/);
  });
});

describe('basemap', () => {
  // the basemap's own checks (China's conventions, the Pingxiang splice, layers) are in basemap.test.ts
  const china = s.basemap.find((f) => f.id === 'country-156') as Feature<Polygon | MultiPolygon, Props>;
  it('has Chinese names and stays inside lon 73–136, lat 3–54', () => {
    for (const zh of ['中国', '越南', '老挝', '缅甸']) expect(s.basemap.some((f) => f.properties['name'] === zh)).toBe(true);
    const [x0, y0, x1, y1] = turf.bbox(turf.featureCollection(s.basemap));
    expect(x0).toBeGreaterThanOrEqual(73);
    expect(y0).toBeGreaterThanOrEqual(3);
    expect(x1).toBeLessThanOrEqual(136);
    expect(y1).toBeLessThanOrEqual(54);
  });
  it('draws Taiwan, Hong Kong and Macao as part of China, not as separate countries', () => {
    for (const id of ['country-158', 'country-344', 'country-446']) expect(s.basemap.some((f) => f.id === id)).toBe(false);
    for (const p of [
      [121.0, 23.7], // Taiwan
      [114.15, 22.38], // Hong Kong (New Territories)
      [113.55, 22.16], // Macao
      [116.4, 39.9], // Beijing
    ])
      expect(turf.booleanPointInPolygon(p, china), p.join(',')).toBe(true);
  });
});

describe('sizes', () => {
  it('data/ stays small: basemap under 2 MB, everything under 6 MB', () => {
    const size = (name: string): number => fs.statSync(new URL(name, DATA_DIR)).size;
    expect(size('basemap.geojson')).toBeLessThan(2 * 1024 * 1024);
    const files = fs.readdirSync(DATA_DIR).filter((f) => fs.statSync(new URL(f, DATA_DIR)).isFile());
    expect(files.reduce((a, f) => a + size(f), 0)).toBeLessThan(6 * 1024 * 1024);
  });
});
