// Incidents and alerts on the map: severity from category and level, stage from status, open alerts only.
import { describe, expect, it } from 'vitest';
import {
  incidentSeverity,
  incidentStage,
  toIncidentCollection,
  toOpenAlertCollection,
} from '../../client/lib/map/incident-features';
import { INCIDENT_STATUSES, type Alert, type Incident } from '../../server/contract';

const incident = (patch: Partial<Incident>): Incident => ({
  id: 'INC-1',
  category: 'dispute',
  summary: 's',
  description: '',
  source: 'hotline',
  reporter: null,
  lon: 106.75,
  lat: 22.1,
  gridId: 'px-grid-001',
  sectorId: null,
  postId: null,
  segmentId: null,
  level: 'grid',
  status: 'reported',
  assignee: null,
  deadlineAt: null,
  createdAt: 1,
  updatedAt: 1,
  createdBy: 'u',
  mediation: null,
  feedback: null,
  reportId: null,
  ...patch,
});

describe('incidentSeverity', () => {
  it('is critical for border and fire categories or once escalated to the district, info for quiet ones', () => {
    expect(incidentSeverity(incident({ category: 'illegal_crossing' }))).toBe('critical');
    expect(incidentSeverity(incident({ category: 'fire' }))).toBe('critical');
    expect(incidentSeverity(incident({ category: 'dispute' }))).toBe('warning');
    expect(incidentSeverity(incident({ category: 'dispute', level: 'district' }))).toBe('critical');
    expect(incidentSeverity(incident({ category: 'environment' }))).toBe('info');
  });
});

describe('incidentStage', () => {
  it('maps every status to new, working, done or closed', () => {
    expect(INCIDENT_STATUSES.map((status) => incidentStage({ status }))).toEqual([
      'new',
      'working',
      'working',
      'working',
      'done',
      'done',
      'closed',
      'closed',
    ]);
  });
});

describe('toIncidentCollection', () => {
  it('keeps WGS-84 on a WGS-84 basemap, shifts to GCJ-02 when asked, and labels each incident', () => {
    const items = [incident({}), incident({ id: 'INC-2', status: 'closed' })];
    const plain = toIncidentCollection(items, false, (i) => i.id);
    expect(plain.features.map((f) => f.properties)).toEqual([
      { id: 'INC-1', severity: 'warning', stage: 'new', open: true, label: 'INC-1' },
      { id: 'INC-2', severity: 'warning', stage: 'closed', open: false, label: 'INC-2' },
    ]);
    expect(plain.features[0]?.geometry.coordinates).toEqual([106.75, 22.1]);
    const shifted = toIncidentCollection(items, true, (i) => i.id).features[0]?.geometry.coordinates ?? [];
    expect(shifted[0]).toBeGreaterThan(106.75 + 0.003);
  });
});

describe('toOpenAlertCollection', () => {
  it('draws unacknowledged alerts that have a place, nothing else', () => {
    const base: Alert = {
      id: 'A1',
      type: 'sos',
      severity: 'critical',
      message: 'm',
      lon: 106.75,
      lat: 22.1,
      unitId: null,
      t: 1,
      acknowledgedBy: null,
      acknowledgedAt: null,
    };
    const alerts = [
      base,
      { ...base, id: 'A2', acknowledgedAt: 5, acknowledgedBy: 'u' },
      { ...base, id: 'A3', lon: null, lat: null },
    ];
    const features = toOpenAlertCollection(alerts, false, (a) => a.type).features;
    expect(features.map((f) => f.properties)).toEqual([{ id: 'A1', severity: 'critical', label: 'sos' }]);
  });
});
