// Grids shaded by open incidents: counts skip closed/rejected and grid-less incidents; classes; state diffs.
import { describe, expect, it } from 'vitest';
import {
  choroplethClass,
  countOpenIncidentsByGrid,
  gridStateChanges,
  isIncidentOpen,
} from '../../client/lib/map/incident-choropleth';
import { INCIDENT_STATUSES } from '../../server/contract';

describe('countOpenIncidentsByGrid', () => {
  it('counts every status but closed and rejected, per grid, and ignores incidents outside any grid', () => {
    const incidents = [
      { gridId: 'px-grid-001', status: 'reported' as const },
      { gridId: 'px-grid-001', status: 'in_progress' as const },
      { gridId: 'px-grid-001', status: 'closed' as const },
      { gridId: 'px-grid-002', status: 'verified' as const },
      { gridId: 'px-grid-003', status: 'rejected' as const },
      { gridId: null, status: 'reported' as const },
    ];
    expect([...countOpenIncidentsByGrid(incidents)]).toEqual([
      ['px-grid-001', 2],
      ['px-grid-002', 1],
    ]);
  });

  it('treats exactly closed and rejected as done', () => {
    expect(INCIDENT_STATUSES.filter((s) => !isIncidentOpen(s))).toEqual(['closed', 'rejected']);
  });
});

describe('choroplethClass', () => {
  it('puts 0 in class 0, 1 in 1, 2–3 in 2, 4–7 in 3 and 8 or more in 4', () => {
    expect([0, 1, 2, 3, 4, 7, 8, 50].map(choroplethClass)).toEqual([0, 1, 2, 2, 3, 3, 4, 4]);
  });
});

describe('gridStateChanges', () => {
  it('reports grids whose count changed and zeroes grids that dropped out, nothing for unchanged ones', () => {
    const before = new Map([
      ['a', 1],
      ['b', 3],
      ['c', 2],
    ]);
    const after = new Map([
      ['a', 1],
      ['b', 4],
      ['d', 9],
    ]);
    expect(gridStateChanges(before, after)).toEqual([
      { id: 'b', open: 4, class: 3 },
      { id: 'd', open: 9, class: 4 },
      { id: 'c', open: 0, class: 0 },
    ]);
    expect(gridStateChanges(after, after)).toEqual([]);
  });
});
