// The incident list's filter: which statuses (a set; empty = every open one) and which category.
import type { Incident, IncidentCategory, IncidentStatus } from '../../../../server/contract';
import { isOpenStatus } from '../../../lib/state/incident-actions';

export interface IncidentFilter {
  statuses: ReadonlySet<IncidentStatus>;
  category: IncidentCategory | 'all';
}

/** Matching incidents, newest first. With no status chosen only open ones show (closed ones stay out). */
export function filterIncidents(incidents: readonly Incident[], filter: IncidentFilter): Incident[] {
  return incidents
    .filter((i) => (filter.statuses.size === 0 ? isOpenStatus(i.status) : filter.statuses.has(i.status)))
    .filter((i) => filter.category === 'all' || i.category === filter.category)
    .sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1));
}
