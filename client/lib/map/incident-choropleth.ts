// Grids shaded by their open incidents: the count per grid, the class each count falls in, and the
// feature-state changes that move the map from one set of counts to the next.
import type { Incident, IncidentStatus } from '../../../server/contract';

/** Statuses after which an incident no longer weighs on its grid. */
const DONE: ReadonlySet<IncidentStatus> = new Set(['closed', 'rejected']);

export function isIncidentOpen(status: IncidentStatus): boolean {
  return !DONE.has(status);
}

/** Open incidents per grid id (incidents outside every grid are not counted). */
export function countOpenIncidentsByGrid(
  incidents: readonly Pick<Incident, 'gridId' | 'status'>[],
): Map<string, number> {
  const counts = new Map<string, number>();
  for (const { gridId, status } of incidents) {
    if (gridId === null || !isIncidentOpen(status)) continue;
    counts.set(gridId, (counts.get(gridId) ?? 0) + 1);
  }
  return counts;
}

/** Lower bounds of classes 1…4: 1, 2–3, 4–7, 8 or more open incidents; class 0 is none. */
export const CHOROPLETH_BREAKS = [1, 2, 4, 8] as const;

/** The class of a count, 0 (none) to 4 (8 or more). */
export function choroplethClass(count: number): number {
  let found = 0;
  for (const [i, lower] of CHOROPLETH_BREAKS.entries()) if (count >= lower) found = i + 1;
  return found;
}

/** Fill per class, quiet blue for none then amber to red; opacity rises with it so colour is not alone. */
export const CHOROPLETH_COLORS = ['#2a4365', '#e8c547', '#f2994a', '#eb5757', '#c81e3a'] as const;
export const CHOROPLETH_OPACITY = [0.14, 0.3, 0.4, 0.5, 0.62] as const;

export interface GridState {
  id: string;
  open: number;
  class: number;
}

/** The grids whose count changed, with their new state (0 for grids that no longer have any). */
export function gridStateChanges(
  previous: ReadonlyMap<string, number>,
  next: ReadonlyMap<string, number>,
): GridState[] {
  const changes: GridState[] = [];
  for (const [id, open] of next)
    if (previous.get(id) !== open) changes.push({ id, open, class: choroplethClass(open) });
  for (const id of previous.keys()) if (!next.has(id)) changes.push({ id, open: 0, class: 0 });
  return changes;
}
