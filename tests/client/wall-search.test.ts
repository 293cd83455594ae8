// The wall's search and the intake type-ahead: callsigns, grid names (zh and en), incident ids by their tail,
// ranked exact, then prefix, then substring; over the real scenario's grids and posts.
import fs from 'node:fs';
import path from 'node:path';
import type { FeatureCollection } from 'geojson';
import { describe, expect, it } from 'vitest';
import type { Incident, UnitState } from '../../server/contract';
import { lineMiddle, matchPlaces, matchScore, toPlaces } from '../../client/lib/state/places';
import { search } from '../../client/lib/state/search';
import { ROOT } from '../support/server';

const read = (name: string): FeatureCollection =>
  JSON.parse(fs.readFileSync(path.join(ROOT, 'data', name), 'utf8')) as FeatureCollection;
const grids = toPlaces('grid', read('grids.geojson'));
const posts = toPlaces('post', read('posts.geojson'));
const segments = toPlaces('segment', read('segments.geojson'));

const unit = (id: string, callsign: string): UnitState => ({
  id,
  kind: 'police',
  callsign,
  lon: 106.7,
  lat: 22.1,
  headingDeg: null,
  speedMps: null,
  accuracyMeters: null,
  t: 0,
  rx: 0,
  gridId: null,
  sectorId: null,
  segmentId: null,
  jointPatrolId: null,
  stale: false,
});

const incident = {
  id: '01JDX5Q2ZC9YH3M7T8K4WN6RAB',
  summary: '邻里噪音纠纷',
  lon: 116.4,
  lat: 39.9,
} as Incident;

describe('places from the scenario layers', () => {
  it('reads every grid with a point and its 7+X roster', () => {
    expect(grids).toHaveLength(709);
    const first = grids.find((g) => g.id === 'dc-grid-001')!;
    expect(first.name).toBe('东华门街道第1社区第1网格');
    expect(first.region).toBe('dongcheng');
    expect(first.staff.map((s) => s.role)).toContain('judicial_officer');
    expect(first.lon).toBeGreaterThan(116.3);
    expect(first.lat).toBeGreaterThan(39.8);
  });

  it('puts posts at their point and segments at their middle, with the road chief', () => {
    expect(posts.length).toBe(299);
    expect(segments.length).toBe(47);
    expect(segments[0]!.roadChief?.name).toBeTruthy();
  });

  it('finds the vertex halfway along a line', () => {
    expect(
      lineMiddle([
        [0, 0],
        [1, 0],
        [2, 0],
        [10, 0],
      ]),
    ).toEqual([10, 0]);
    expect(
      lineMiddle([
        [0, 0],
        [4, 0],
        [5, 0],
      ]),
    ).toEqual([4, 0]);
    expect(lineMiddle([])).toBeNull();
  });
});

describe('matching', () => {
  it('scores exact, prefix and substring, ignoring case and spaces', () => {
    expect(matchScore('grid 1', 'Grid1')).toBe(0);
    expect(matchScore('donghua', 'Donghuamen Community 1')).toBe(1);
    expect(matchScore('第1网格', '东华门街道第1社区第1网格')).toBe(2);
    expect(matchScore('xyz', 'abc')).toBeNull();
    expect(matchScore('   ', 'abc')).toBeNull();
  });

  it('finds a grid by its Chinese or English name, the closest first', () => {
    const byZh = matchPlaces('东华门街道第1社区第1网格', grids);
    expect(byZh[0]!.id).toBe('dc-grid-001');
    const byEn = matchPlaces('Donghuamen Community 1, Grid 1', grids);
    expect(byEn[0]!.id).toBe('dc-grid-001');
    expect(matchPlaces('渠良村', grids).every((g) => g.name.includes('渠良村'))).toBe(true);
  });

  it('searches callsigns, places and incident ids together', () => {
    const sources = {
      units: [unit('px-pol-01', '边警-01'), unit('px-pol-11', '边警-11')],
      places: [...grids, ...posts],
      incidents: [incident],
      locale: 'zh-CN' as const,
    };
    expect(search('边警-01', sources)[0]).toMatchObject({ type: 'unit', id: 'px-pol-01', score: 0 });
    expect(search('边警', sources).filter((h) => h.type === 'unit')).toHaveLength(2);
    expect(search('dc-grid-001', sources)[0]).toMatchObject({ type: 'grid', id: 'dc-grid-001' });
    // an operator reads out the end of the id
    expect(search('n6rab', sources)[0]).toMatchObject({ type: 'incident', id: incident.id });
    expect(search(incident.id.toLowerCase(), sources)[0]).toMatchObject({ type: 'incident', score: 0 });
    // three characters are too few to match an id (they would match hundreds)
    expect(search('RAB', sources).some((h) => h.type === 'incident')).toBe(false);
    expect(search('噪音', sources)[0]).toMatchObject({ type: 'incident' });
    expect(search('', sources)).toEqual([]);
  });

  it('labels places in the wall’s language', () => {
    const en = search('dc-grid-001', { units: [], places: grids, incidents: [], locale: 'en' });
    expect(en[0]!.label).toBe('Donghuamen Community 1, Grid 1');
  });
});
