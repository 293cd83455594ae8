// Dispatch candidates: the roster in the server's routing order, the nearest live units, the intake place
// body, and the incident list's filter.
import { describe, expect, it } from 'vitest';
import { INCIDENT_CATEGORIES, type Incident, type UnitState } from '../../server/contract';
import { CATEGORY_ROLES as SERVER_ROLES } from '../../server/domain/routing';
import { CATEGORY_ROLES, nearestUnits, rosterFor } from '../../client/lib/state/dispatch-candidates';
import { intakePlace } from '../../client/views/wall/panels/intake-place';
import { filterIncidents } from '../../client/views/wall/panels/incident-filter';
import type { Place } from '../../client/lib/state/places';

const staff = [
  { id: 's1', name: '甲', nameEn: 'A', role: 'party_secretary' },
  { id: 's2', name: '乙', nameEn: 'B', role: 'grid_manager' },
  { id: 's3', name: '丙', nameEn: 'C', role: 'police_officer' },
  { id: 's4', name: '丁', nameEn: 'D', role: 'judicial_officer' },
];

const unitAt = (id: string, lon: number, stale = false): UnitState => ({
  id,
  kind: 'military',
  callsign: id,
  lon,
  lat: 22,
  headingDeg: null,
  speedMps: null,
  accuracyMeters: null,
  t: 0,
  rx: 0,
  gridId: null,
  sectorId: null,
  segmentId: null,
  jointPatrolId: null,
  stale,
});

describe('dispatch candidates', () => {
  it('uses the routing table of the server', () => {
    for (const category of INCIDENT_CATEGORIES)
      expect(CATEGORY_ROLES[category]).toEqual(SERVER_ROLES[category]);
  });

  it('puts the roles routing would pick first, in order, the rest as listed', () => {
    expect(rosterFor('dispute', staff).map((s) => s.id)).toEqual(['s4', 's2', 's1', 's3']);
    expect(rosterFor('smuggling', staff).map((s) => s.id)).toEqual(['s3', 's1', 's2', 's4']);
  });

  it('finds the nearest units, on duty before stale, equal to sorting them all', () => {
    const units = Array.from({ length: 200 }, (_, i) =>
      unitAt(`u${i}`, 106 + ((i * 37) % 200) / 1000, i % 7 === 0),
    );
    const best = nearestUnits(units, 106.1, 22, 10);
    const sorted = units
      .map((unit) => ({ unit, d: Math.abs(unit.lon - 106.1) }))
      .sort((a, b) => Number(a.unit.stale) - Number(b.unit.stale) || a.d - b.d)
      .slice(0, 10)
      .map((r) => r.unit.id);
    expect(best.map((r) => r.unit.id)).toEqual(sorted);
    expect(best.every((r) => !r.unit.stale)).toBe(true);
    expect(best[0]!.meters).toBeLessThan(best[9]!.meters);
  });
});

describe('intake place', () => {
  const grid = { kind: 'grid', id: 'dc-grid-001' } as Place;
  const post = { kind: 'post', id: 'px-post-001' } as Place;

  it('sends a grid id, a post id, or coordinates', () => {
    expect(intakePlace('name', grid, '', '')).toEqual({ ok: true, body: { gridId: 'dc-grid-001' } });
    expect(intakePlace('name', post, '', '')).toEqual({ ok: true, body: { postId: 'px-post-001' } });
    expect(intakePlace('coords', null, ' 106.78 ', '22.06')).toEqual({
      ok: true,
      body: { lon: 106.78, lat: 22.06 },
    });
    expect(intakePlace('map', grid, '1', '2')).toEqual({ ok: true, body: { lon: 1, lat: 2 } });
  });

  it('names what is missing or wrong', () => {
    expect(intakePlace('name', null, '', '')).toEqual({ ok: false, problem: 'wall.placeMissing' });
    expect(intakePlace('coords', null, '106', '')).toEqual({ ok: false, problem: 'wall.coordsMissing' });
    expect(intakePlace('coords', null, 'east', '22')).toEqual({ ok: false, problem: 'wall.coordsMissing' });
    expect(intakePlace('coords', null, '200', '22')).toEqual({ ok: false, problem: 'wall.coordsOutOfRange' });
  });
});

describe('incident list filter', () => {
  const make = (id: string, status: Incident['status'], category: Incident['category'], createdAt: number) =>
    ({ id, status, category, createdAt }) as Incident;
  const incidents = [
    make('a', 'reported', 'fire', 1),
    make('b', 'closed', 'fire', 3),
    make('c', 'dispatched', 'dispute', 2),
    make('d', 'rejected', 'dispute', 4),
  ];

  it('shows open incidents, newest first, when no status is chosen', () => {
    expect(filterIncidents(incidents, { statuses: new Set(), category: 'all' }).map((i) => i.id)).toEqual([
      'c',
      'a',
    ]);
  });

  it('filters by the chosen statuses and category', () => {
    expect(
      filterIncidents(incidents, { statuses: new Set(['closed', 'reported']), category: 'fire' }).map(
        (i) => i.id,
      ),
    ).toEqual(['b', 'a']);
    expect(filterIncidents(incidents, { statuses: new Set(), category: 'dispute' }).map((i) => i.id)).toEqual(
      ['c'],
    );
  });
});
