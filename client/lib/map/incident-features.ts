// Incidents and open alerts as GeoJSON for the map: severity and stage as properties the layer styles read.
import type { Feature, FeatureCollection, Point } from 'geojson';
import type {
  Alert,
  AlertSeverity,
  Incident,
  IncidentCategory,
  IncidentLevel,
} from '../../../server/contract';
import { toDisplayPosition } from './basemap-gcj02';
import { isIncidentOpen } from './incident-choropleth';

/** Categories that threaten life or the border: red whatever their level. */
const CRITICAL_CATEGORIES: ReadonlySet<IncidentCategory> = new Set(['illegal_crossing', 'smuggling', 'fire']);
const INFO_CATEGORIES: ReadonlySet<IncidentCategory> = new Set(['environment', 'petition', 'other']);
/** Escalated this high, an incident is the district's concern: it reads as critical on the wall. */
const HIGH_LEVELS: ReadonlySet<IncidentLevel> = new Set(['district', 'city']);

/** How loudly an incident is drawn: its category's weight, raised to critical once escalated to the district. */
export function incidentSeverity(incident: Pick<Incident, 'category' | 'level'>): AlertSeverity {
  if (CRITICAL_CATEGORIES.has(incident.category) || HIGH_LEVELS.has(incident.level)) return 'critical';
  return INFO_CATEGORIES.has(incident.category) ? 'info' : 'warning';
}

/** Where an incident is in the loop: new (nobody took it yet), working, done (awaiting close), closed. */
export type IncidentStage = 'new' | 'working' | 'done' | 'closed';

export function incidentStage(incident: Pick<Incident, 'status'>): IncidentStage {
  switch (incident.status) {
    case 'reported':
      return 'new';
    case 'accepted':
    case 'dispatched':
    case 'in_progress':
      return 'working';
    case 'resolved':
    case 'verified':
      return 'done';
    case 'closed':
    case 'rejected':
      return 'closed';
  }
}

export function toIncidentCollection(
  incidents: readonly Incident[],
  gcj02Display: boolean,
  label: (incident: Incident) => string,
): FeatureCollection<Point> {
  return {
    type: 'FeatureCollection',
    features: incidents.map((incident): Feature<Point> => ({
      type: 'Feature',
      id: incident.id,
      geometry: { type: 'Point', coordinates: toDisplayPosition(incident.lon, incident.lat, gcj02Display) },
      properties: {
        id: incident.id,
        severity: incidentSeverity(incident),
        stage: incidentStage(incident),
        open: isIncidentOpen(incident.status),
        label: label(incident),
      },
    })),
  };
}

/** Unacknowledged alerts that have a place (an alert about a device with no fix has none). */
export function toOpenAlertCollection(
  alerts: readonly Alert[],
  gcj02Display: boolean,
  label: (alert: Alert) => string,
): FeatureCollection<Point> {
  const features: Feature<Point>[] = [];
  for (const alert of alerts) {
    if (alert.acknowledgedAt !== null || alert.lon === null || alert.lat === null) continue;
    features.push({
      type: 'Feature',
      id: alert.id,
      geometry: { type: 'Point', coordinates: toDisplayPosition(alert.lon, alert.lat, gcj02Display) },
      properties: { id: alert.id, severity: alert.severity, label: label(alert) },
    });
  }
  return { type: 'FeatureCollection', features };
}
