// The top bar's search: callsigns, grid/post/segment names and incident ids (or summaries), best first.
import type { Incident, UnitState } from '../../../server/contract';
import { matchScore, type Place } from './places';

export interface SearchHit {
  type: 'unit' | 'incident' | Place['kind'];
  id: string;
  label: string;
  /** A second line: the kind of place, the incident's summary, the unit's kind. */
  detail: string;
  lon: number;
  lat: number;
  score: number;
}

export interface SearchSources {
  units: Iterable<UnitState>;
  places: readonly Place[];
  incidents: readonly Incident[];
  locale: 'zh-CN' | 'en';
}

/** Incident ids are 26-character ULIDs: match their tail (what an operator reads out) from 4 characters on. */
const MIN_ID_QUERY = 4;

function incidentScore(query: string, incident: Incident): number | null {
  const q = query.trim().toLowerCase();
  const id = incident.id.toLowerCase();
  if (q.length >= MIN_ID_QUERY && id === q) return 0;
  if (q.length >= MIN_ID_QUERY && (id.endsWith(q) || id.startsWith(q))) return 1;
  const summary = matchScore(query, incident.summary);
  return summary === null ? null : summary + 1;
}

export function search(query: string, sources: SearchSources, limit = 10): SearchHit[] {
  if (!query.trim()) return [];
  const hits: SearchHit[] = [];
  for (const unit of sources.units) {
    const score = matchScore(query, unit.callsign, unit.id);
    if (score !== null)
      hits.push({
        type: 'unit',
        id: unit.id,
        label: unit.callsign,
        detail: unit.kind,
        lon: unit.lon,
        lat: unit.lat,
        score,
      });
  }
  for (const place of sources.places) {
    const score = matchScore(query, place.name, place.nameEn, place.id);
    const label = sources.locale === 'en' ? place.nameEn : place.name;
    if (score !== null)
      hits.push({
        type: place.kind,
        id: place.id,
        label,
        detail: place.id,
        lon: place.lon,
        lat: place.lat,
        score,
      });
  }
  for (const incident of sources.incidents) {
    const score = incidentScore(query, incident);
    if (score !== null)
      hits.push({
        type: 'incident',
        id: incident.id,
        label: incident.id.slice(-8),
        detail: incident.summary,
        lon: incident.lon,
        lat: incident.lat,
        score,
      });
  }
  return hits.sort((a, b) => a.score - b.score || a.label.length - b.label.length).slice(0, limit);
}
