// Segment patrol age → colour class: fresh under 6 h, aging to 12 h, overdue by the server's flag or never.
import type { FeatureCollection } from 'geojson';
import { describe, expect, it } from 'vitest';
import {
  hoursSincePatrol,
  PATROL_AGE_COLORS,
  patrolAge,
  withPatrolAge,
  type SegmentStatus,
} from '../../client/lib/map/segment-age';

const HOUR = 3_600_000;
const NOW = 1_767_225_600_000;

const status = (segmentId: string, hoursAgo: number | null, overdue = false): SegmentStatus => ({
  segmentId,
  name: `第${segmentId}段`,
  nameEn: `Segment ${segmentId}`,
  coveredFraction: 0.5,
  coveredMeters: 800,
  lengthMeters: 1600,
  lastPatrolledAt: hoursAgo === null ? null : NOW - hoursAgo * HOUR,
  overdue,
});

describe('patrolAge', () => {
  it('is fresh under 6 h, aging from 6 h, overdue when the server says so or never patrolled', () => {
    expect(patrolAge(status('1', 0), NOW)).toBe('fresh');
    expect(patrolAge(status('1', 5.99), NOW)).toBe('fresh');
    expect(patrolAge(status('1', 6), NOW)).toBe('aging');
    expect(patrolAge(status('1', 11.9), NOW)).toBe('aging');
    expect(patrolAge(status('1', 12.5, true), NOW)).toBe('overdue');
    expect(patrolAge(status('1', null, true), NOW)).toBe('overdue');
    expect(patrolAge(status('1', null, false), NOW)).toBe('overdue');
  });

  it('is unknown before the status arrived, and every age has its own colour', () => {
    expect(patrolAge(undefined, NOW)).toBe('unknown');
    expect(new Set(Object.values(PATROL_AGE_COLORS)).size).toBe(4);
  });
});

describe('hoursSincePatrol', () => {
  it('floors to whole hours and is null for never', () => {
    expect(hoursSincePatrol(NOW - 2.7 * HOUR, NOW)).toBe(2);
    expect(hoursSincePatrol(NOW + 1000, NOW)).toBe(0);
    expect(hoursSincePatrol(null, NOW)).toBeNull();
  });
});

describe('withPatrolAge', () => {
  it('adds patrolAge and the caller’s label to each segment by id, keeping geometry and properties', () => {
    const segments: FeatureCollection = {
      type: 'FeatureCollection',
      features: ['px-seg-01', 'px-seg-02', 'px-seg-03'].map((id) => ({
        type: 'Feature',
        id,
        properties: { id, name: id },
        geometry: {
          type: 'LineString',
          coordinates: [
            [106.7, 22],
            [106.71, 22.01],
          ],
        },
      })),
    };
    const statuses = new Map([
      ['px-seg-01', status('px-seg-01', 1)],
      ['px-seg-02', status('px-seg-02', 13, true)],
    ]);
    const out = withPatrolAge(segments, statuses, NOW, (f, s) => `${String(f.id)}:${s ? 'known' : '?'}`);
    expect(out.features.map((f) => f.properties)).toEqual([
      { id: 'px-seg-01', name: 'px-seg-01', patrolAge: 'fresh', label: 'px-seg-01:known' },
      { id: 'px-seg-02', name: 'px-seg-02', patrolAge: 'overdue', label: 'px-seg-02:known' },
      { id: 'px-seg-03', name: 'px-seg-03', patrolAge: 'unknown', label: 'px-seg-03:?' },
    ]);
    expect(out.features[0]?.geometry).toBe(segments.features[0]?.geometry);
  });
});
