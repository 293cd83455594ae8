// A node's copy of the cluster's live picture, kept from the leader's published deltas: units and joint
// patrols (what a follower's clients are shown), open incidents and alerts (every node, since an incident
// raised on a follower reaches the leader's delta but not the leader's own open sets).
import type { Alert, Delta, Incident, JointPatrol, UnitState } from '../contract';
import { isOpen } from '../domain/incident-machine';

/** As many alerts as a snapshot carries on one node (closed-loop.ts). */
const SNAPSHOT_ALERTS = 500;

const RANK: Record<Alert['severity'], number> = { critical: 0, warning: 1, info: 2 };
/** Critical first, then newest (the order of closed-loop.ts's byUrgency). */
const byUrgency = (a: Alert, b: Alert): number =>
  RANK[a.severity] - RANK[b.severity] || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

export interface Picture {
  epoch: string;
  seq: number;
  units: UnitState[];
  jointPatrols: JointPatrol[];
}

export interface Mirror {
  epoch(): string | null;
  seq(): number;
  units(): UnitState[];
  unit(id: string): UnitState | undefined;
  jointPatrols(): JointPatrol[];
  openIncidents(): Incident[];
  openAlerts(): Alert[];
  /** Replaces units and patrols with a picture the leader wrote (incidents and alerts are kept). */
  seed(picture: Picture): void;
  /** Folds a published delta in. */
  apply(delta: Delta): void;
}

export function createMirror(initial: { incidents: Incident[]; alerts: Alert[] }): Mirror {
  let epoch: string | null = null;
  let seq = 0;
  const units = new Map<string, UnitState>();
  const patrols = new Map<string, JointPatrol>();
  const incidents = new Map(initial.incidents.map((incident) => [incident.id, incident]));
  const alerts = new Map(initial.alerts.map((alert) => [alert.id, alert]));
  return {
    epoch: () => epoch,
    seq: () => seq,
    units: () => [...units.values()],
    unit: (id) => units.get(id),
    jointPatrols: () => [...patrols.values()],
    openIncidents: () => [...incidents.values()],
    openAlerts: () => [...alerts.values()].sort(byUrgency).slice(0, SNAPSHOT_ALERTS),
    seed(picture) {
      epoch = picture.epoch;
      seq = picture.seq;
      units.clear();
      for (const unit of picture.units) units.set(unit.id, unit);
      patrols.clear();
      for (const patrol of picture.jointPatrols) patrols.set(patrol.id, patrol);
    },
    apply(delta) {
      epoch = delta.epoch;
      seq = delta.seq;
      for (const unit of delta.units.upsert) units.set(unit.id, unit);
      for (const id of delta.units.remove) units.delete(id);
      for (const patrol of delta.jointPatrols?.upsert ?? []) patrols.set(patrol.id, patrol);
      for (const id of delta.jointPatrols?.remove ?? []) patrols.delete(id);
      for (const incident of delta.incidents) {
        if (isOpen(incident.status)) incidents.set(incident.id, incident);
        else incidents.delete(incident.id);
      }
      for (const alert of delta.alerts) {
        if (alert.acknowledgedAt === null) alerts.set(alert.id, alert);
        else alerts.delete(alert.id);
      }
    },
  };
}
