// Audit entries for the append-only incident log, the actors that write them, and the shared service deps.
import { createHash } from 'node:crypto';
import type { AlertDetail, Incident, IncidentAuditEntry, User } from '../contract';
import type { Store } from '../store/store';
import type { Deadlines } from './deadlines';
import { nextId } from './incident-ids';
import type { Router } from './routing';

export interface Actor {
  id: string;
  name: string;
}

/** The engine itself: deadlines and escalations it makes on its own. */
export const SYSTEM: Actor = { id: 'system', name: 'system' };

export function actorOf(user: User): Actor {
  return { id: user.id, name: user.username };
}

export interface IncidentDeps {
  store: Store;
  /** The current router (layers may be reloaded while running). */
  router: () => Router;
  deadlines: Deadlines;
  now: () => number;
  /** Told of every incident after its change is durable. */
  changed: (incident: Incident) => void;
  /** Told of every alert after it is durable. */
  alerted: (alert: AlertDetail) => void;
}

type AuditFields = Partial<Pick<IncidentAuditEntry, 'from' | 'to' | 'fromLevel' | 'toLevel'>>;

export function auditEntry(
  incident: Incident,
  actor: Actor,
  t: number,
  action: IncidentAuditEntry['action'],
  fields: AuditFields,
  note: string,
): IncidentAuditEntry {
  return {
    id: nextId(t),
    incidentId: incident.id,
    t,
    actorId: actor.id,
    actorName: actor.name,
    action,
    from: null,
    to: null,
    fromLevel: null,
    toLevel: null,
    ...fields,
    note,
  };
}

/** updatedAt strictly increases on every change: it is the compare-and-set token of IncidentStore.update. */
export function nextUpdatedAt(incident: Incident, t: number): number {
  return Math.max(t, incident.updatedAt + 1);
}

/** Keys sorted at every depth, null and absent alike: the same request always serialises the same. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== undefined && v !== null)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, v]) => [k, canonical(v)]),
  );
}

/** A stable hash of a request body without its idempotency key (same key + other body = conflict). */
export function requestHash(body: object): string {
  const { idempotencyKey: _ignored, ...rest } = body as Record<string, unknown>;
  return createHash('sha256')
    .update(JSON.stringify(canonical(rest)))
    .digest('hex');
}

/** Lists and the live stream carry no personal data: the reporter is only in the audited full read. */
export function redact(incident: Incident): Incident {
  return incident.reporter === null ? incident : { ...incident, reporter: null };
}
