// What happens in the demo's world, each through the real services: a hotline call or a grid staff member
// reports an incident in a grid; a road chief reports on their segment (an anomaly raises an incident).
import type { Feature, FeatureCollection } from 'geojson';
import type { AnomalyType, Incident, ReportInput } from '../contract';
import type { SegmentInfo } from '../domain/routing';
import type { Store } from '../store/store';
import { DUTY_OFFICER, roadChief, staffMember } from './cast';
import { followIncident } from './lifecycle';
import {
  ANOMALIES,
  ANOMALY_NOTES,
  BORDER_CATEGORIES,
  BORDER_GRID_WEIGHT,
  CALLER_SURNAMES,
  INTAKE_SOURCES,
  NORMAL_NOTES,
  SUMMARIES,
  URBAN_CATEGORIES,
} from './mix';
import type { Random } from './prng';
import { count, type DemoWorld } from './world';

export interface GridEntry {
  id: string;
  name: string;
  /** Border grids (Pingxiang) also see smuggling and illegal crossing. */
  border: boolean;
  /** How likely an incident happens here: residents, border grids weighted up. */
  weight: number;
  staff: { id: string; name: string }[];
  bbox: [number, number, number, number];
}

function bboxOf(feature: Feature): [number, number, number, number] {
  const box: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  const visit = (value: unknown): void => {
    if (!Array.isArray(value)) return;
    if (typeof value[0] === 'number' && typeof value[1] === 'number') {
      box[0] = Math.min(box[0], value[0]);
      box[1] = Math.min(box[1], value[1]);
      box[2] = Math.max(box[2], value[0]);
      box[3] = Math.max(box[3], value[1]);
      return;
    }
    for (const item of value) visit(item);
  };
  visit((feature.geometry as { coordinates?: unknown }).coordinates);
  return box;
}

/** The grids incidents can happen in, with their population (the heavier, the more incidents). */
export async function loadGrids(store: Store, segments: readonly SegmentInfo[]): Promise<GridEntry[]> {
  const layer: FeatureCollection | undefined = (await store.layers.get('grids'))?.collection;
  const border = segments.length > 0;
  return (layer?.features ?? []).map((f) => {
    const p = f.properties ?? {};
    const region = typeof p.region === 'string' ? p.region : '';
    const roster = Array.isArray(p.staff) ? (p.staff as { id?: unknown; name?: unknown }[]) : [];
    const inBorderRegion = border && (region === 'pingxiang' || region === '');
    const residents = typeof p.residents === 'number' && p.residents > 0 ? p.residents : 1000;
    return {
      id: String(f.id ?? p.id),
      name: String(p.name ?? f.id),
      border: inBorderRegion,
      weight: residents * (inBorderRegion ? BORDER_GRID_WEIGHT : 1),
      staff: roster.map((s) => ({ id: String(s.id), name: String(s.name) })),
      bbox: bboxOf(f),
    };
  });
}

/** A grid drawn by weight. */
function pickGrid(grids: readonly GridEntry[], random: Random): GridEntry {
  const total = grids.reduce((sum, g) => sum + g.weight, 0);
  let r = random.next() * total;
  for (const grid of grids) {
    r -= grid.weight;
    if (r < 0) return grid;
  }
  return grids[grids.length - 1] as GridEntry;
}

/** A point inside the grid (drawn in its bounding box until it lands inside); null if it will not. */
function pointIn(world: DemoWorld, grid: GridEntry, random: Random): { lon: number; lat: number } | null {
  for (let attempt = 0; attempt < 20; attempt++) {
    const lon = random.between(grid.bbox[0], grid.bbox[2]);
    const lat = random.between(grid.bbox[1], grid.bbox[3]);
    if (world.router.place({ lon, lat }).gridId === grid.id) return { lon, lat };
  }
  return null;
}

/** A hotline call (the caller names the grid) or a grid staff member on their rounds (at a point). */
export async function raiseIncident(
  world: DemoWorld,
  grids: readonly GridEntry[],
  random: Random,
): Promise<Incident | null> {
  if (grids.length === 0) return null;
  const grid = pickGrid(grids, random);
  const category = random.weighted(grid.border ? BORDER_CATEGORIES : URBAN_CATEGORIES);
  const summary = random.pick(SUMMARIES[category]);
  const source = random.weighted(INTAKE_SOURCES);
  const staff = grid.staff.length > 0 ? random.pick(grid.staff) : null;
  const point = source === 'staff' ? pointIn(world, grid, random) : null;
  let incident: Incident;
  if (source === 'staff' && staff && point) {
    incident = await world.services.incidents.create(staffMember(staff, grid.id), {
      category,
      summary,
      description: `${grid.name}网格员巡查发现：${summary}`,
      source: 'staff',
      ...point,
    });
  } else {
    const caller = `${random.pick(CALLER_SURNAMES)}${random.chance(0.5) ? '先生' : '女士'}`;
    incident = await world.services.incidents.create(DUTY_OFFICER, {
      category,
      summary,
      description: `热线来电反映：${grid.name}${summary}`,
      source: 'hotline',
      reporter: { name: caller, phone: null },
      gridId: grid.id,
    });
  }
  count(world, `incident.raised.${incident.source}`);
  followIncident(world, incident);
  return incident;
}

/** A road chief's report on their segment from where their unit is; an anomaly sometimes. */
export async function fileReport(
  world: DemoWorld,
  segment: SegmentInfo,
  random: Random,
  anomalyRate: number,
): Promise<{ reportId: string; incident: Incident | null } | null> {
  const chief = roadChief(segment);
  if (!chief) return null;
  const where = (chief.unitId ? world.positionOf(chief.unitId, world.now()) : null) ?? {
    lon: segment.midpoint[0],
    lat: segment.midpoint[1],
  };
  const at = { lon: where.lon, lat: where.lat };
  const anomaly: AnomalyType | null = random.chance(anomalyRate) ? random.weighted(ANOMALIES) : null;
  const input: ReportInput = anomaly
    ? {
        segmentId: segment.id,
        status: 'anomaly',
        anomalyType: anomaly,
        ...at,
        note: random.pick(ANOMALY_NOTES[anomaly]),
      }
    : { segmentId: segment.id, status: 'normal', ...at, note: random.pick(NORMAL_NOTES) };
  const answer = await world.services.reports.submit(chief, input);
  count(world, anomaly ? 'report.anomaly' : 'report.normal');
  const incident = answer.incidentId ? await world.store.incidents.byId(answer.incidentId) : null;
  if (incident) followIncident(world, incident);
  return { reportId: answer.id, incident };
}
