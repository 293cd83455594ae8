// The patrol-leader tablet's own calls: my open tasks, my duty state (start/stop patrol), and SOS.
import type { FastifyInstance } from 'fastify';
import {
  DutyInput,
  SosInput,
  type DutyState,
  type Incident,
  type IncidentStatus,
  type SosAck,
  type User,
} from '../contract';
import type { AlertService } from '../domain/alerts';
import { isAssignedTo } from '../domain/incident-access';
import type { IncidentService } from '../domain/incidents';
import type { Registry } from '../engine/registry';
import type { LiveState } from '../engine/live-state';
import { requireUser } from './auth-routes';
import { parseWith } from './errors';

export interface TabletRouteDeps {
  incidents: IncidentService;
  alerts: AlertService;
  live: LiveState;
  registry: Registry;
}

/** The statuses a field worker still has something to do with (or waits on): the task list. */
export const TASK_STATUSES: IncidentStatus[] = [
  'reported',
  'accepted',
  'dispatched',
  'in_progress',
  'resolved',
];
const PAGE = 500;
/** A leader's scope is small; this bounds the work for an account whose scope is not. */
const MAX_PAGES = 10;

/** Open incidents assigned to the caller (as staff, as their unit's leader, or by name), newest first. */
async function tasksOf(incidents: IncidentService, user: User): Promise<Incident[]> {
  const out: Incident[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const { items, nextCursor } = await incidents.list(user, {
      statuses: TASK_STATUSES,
      limit: PAGE,
      cursor,
    });
    out.push(...items.filter((incident) => isAssignedTo(incident, user)));
    if (!nextCursor) break;
    cursor = nextCursor;
  }
  return out;
}

function dutyOf(deps: TabletRouteDeps, user: User): DutyState {
  const unit = user.unitId ? deps.live.unit(user.unitId) : undefined;
  return { unitId: user.unitId, onDuty: unit !== undefined && !unit.stale, lastFixAt: unit?.t ?? null };
}

function sosMessage(deps: TabletRouteDeps, user: User, note: string): string {
  const callsign = user.unitId ? deps.registry.byId(user.unitId)?.callsign : undefined;
  const who = callsign ? `${callsign}（${user.username}）` : user.username;
  return `SOS：${who} 通过平板紧急求救${note ? `：${note}` : ''}`;
}

export function registerTabletRoutes(app: FastifyInstance, deps: TabletRouteDeps): void {
  app.get('/api/me/tasks', async (request) => {
    const user = requireUser(request);
    return { items: await tasksOf(deps.incidents, user), nextCursor: null };
  });

  app.get('/api/me/duty', async (request) => dutyOf(deps, requireUser(request)));

  // On duty is what the live picture says (a unit with a fresh fix): starting a patrol is sharing positions.
  // Ending one takes the unit off the picture at once instead of leaving it to go stale after UNIT_STALE_MS.
  app.post('/api/me/duty', async (request) => {
    const user = requireUser(request, ['leader', 'staff', 'operator', 'admin']);
    const { onDuty } = parseWith(DutyInput, request.body);
    if (!onDuty && user.unitId) deps.live.remove(user.unitId);
    return dutyOf(deps, user);
  });

  app.post('/api/sos', async (request, reply) => {
    const user = requireUser(request);
    const body = parseWith(SosInput, request.body ?? {});
    const last = user.unitId ? deps.live.unit(user.unitId) : undefined;
    const lon = body.lon ?? last?.lon ?? null;
    const lat = body.lat ?? last?.lat ?? null;
    const note = body.note?.trim() ?? '';
    const key = body.idempotencyKey ?? null;
    const alert = await deps.alerts.create({
      type: 'sos',
      severity: 'critical',
      message: sosMessage(deps, user, note),
      lon,
      lat,
      unitId: user.unitId,
      data: {
        source: 'tablet',
        userId: user.id,
        username: user.username,
        note,
        lon,
        lat,
        accuracyMeters: body.accuracyMeters ?? null,
        positionFrom: body.lon != null ? 'device' : last ? 'last_fix' : 'none',
      },
      // One alert per (user, key): a retried SOS is answered, not raised again.
      sourceKey: key === null ? null : `sos:${user.id}:${key}`,
    });
    const answer: SosAck = { ok: true, alertId: alert?.id ?? null, duplicate: alert === null };
    return reply.status(alert ? 201 : 200).send(answer);
  });
}
